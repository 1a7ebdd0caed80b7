// ReleaseTableWarning: a regexp/pcre table warning (regexp_table.hpp) as the
// target Postfix release prints it. The table model records what Postfix 3.7
// and later, built with PCRE2, print; releases built with the old PCRE
// library (SourceFeatures::pcre1(): 3.5 and 3.6) differ in two ways that
// follow from their dict_pcre.c:
//   * the `X` flag toggles PCRE_EXTRA without a word, where PCRE2 builds
//     warn "ignoring obsolete regexp option" (PCRE2 always behaves as
//     PCRE_EXTRA did, so the rule is the same either way);
//   * a pcre_exec() error is reported with dict_pcre_exec_error()'s own
//     texts ("backtracking limit exceeded"), not PCRE2's message.
// Compile errors keep PCRE2's wording: that text is the library's own, and
// postvet has no PCRE1 to ask (docs/oracles.md).
//
// Contract: nullopt when the release prints nothing; else the warning with
// the release's text. Pure function.
#pragma once

#include <optional>

#include "src/model/regexp_table.hpp"
#include "src/model/source_features.hpp"

namespace postvet {

std::optional<TableWarning> ReleaseTableWarning(const TableWarning& warning, TableType type,
                                                const SourceFeatures& release);

}  // namespace postvet
