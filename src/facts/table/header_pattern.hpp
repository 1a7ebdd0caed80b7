// What a table pattern says about the header lines it can match, for the
// header_checks rules: PV301 (group rules under `if /^Name:/`) needs a
// proof, PV307 (unanchored pattern) a cheap syntactic test.
//
// Contract of ImpliedHeaderName(): it returns a name N only when every key
// the pattern can match begins with "N:" compared case-insensitively, with
// the pattern's own engine (glibc regcomp ERE or PCRE2) and options. It
// answers nullopt whenever that is not certain: negated patterns, POSIX
// basic syntax (`x` flag), newline-sensitive `^` (regexp `m`, pcre `m`),
// pcre extended mode (`x`, `(?x)`), a top-level alternation, and any
// construct the scanner does not fully model. So `if /^N:/` (Postfix's
// default flags: case-insensitive, `^` only at the start of the key) is
// true of every key the pattern matches.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/match/regex_engine.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {

/// The header name (as written in the pattern: a view into its body) that
/// every match starts with, followed by ':'; nullopt when that cannot be
/// proven. One pass over the body, no allocation.
std::optional<std::string_view> ImpliedHeaderName(const TablePattern& pattern, RegexDialect dialect);

/// Whether the pattern is anchored at the start of the key and then names
/// (a set of) header labels: `^Subject:`, `^(From|To):`, `^X-`, pcre
/// `/Subject:/A`. A heuristic for PV307, not a proof.
bool AnchoredAtHeaderName(const TablePattern& pattern, RegexDialect dialect);

/// Whether the body, from byte `from` on, has a `|` outside any group
/// (true), none (false), or nullopt when the scanner cannot tell.
std::optional<bool> HasTopLevelAlternation(std::string_view body, size_t from, RegexDialect dialect);

}  // namespace postvet
