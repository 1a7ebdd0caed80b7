// Parsing entry points: run a grammar over a Source and return its Cst.
// Parsing is total (every input gives a tree covering every byte) and never
// throws; the grammars are iterative, so deep nesting cannot overflow the
// stack. No PEGTL type leaves this unit.
#pragma once

#include "grammar/cst.hpp"
#include "src/base/source.hpp"

namespace postvet {

/// Which grammar to use for a table file.
enum class TableType { kRegexp, kPcre };

Cst ParseMainCf(const Source& source);
Cst ParseMasterCf(const Source& source);
Cst ParseTable(const Source& source, TableType type);
/// ParseTable()'s tree without the tokens inside a logical line (pattern,
/// negation, flags, result, extra text, spaces, line end): the file, its
/// logical and dropped lines, and the joins with the lines they step over.
/// Not lossless; what linting reads of a table (the table model, the
/// suppression comments, the joins), at about a fifth of the nodes.
Cst ParseTableLines(const Source& source, TableType type);

}  // namespace postvet
