// Lookup in a loaded regexp:/pcre: table, as dict_regexp_lookup() and
// dict_pcre_lookup() do it (format spec 6.4-6.6): the active entries are
// tried in file order and the first match wins.
//
// * A match rule matches when its pattern matches (does not match, when
//   negated); a regexp `/a/!/b/` rule also needs its second pattern to
//   match with its own parity. A match error (PCRE2 limit, regexec failure)
//   is logged and counts as "no match" whatever the negation.
// * An IF whose test fails (or errs) jumps past its ENDIF; an unclosed IF
//   whose test fails ends the lookup with "not found".
// * The result is the literal text ($$ already $) or, with `$n`, the text
//   with each `$n`/`${n}`/`$(n)` replaced by group n; a group that did not
//   take part or matched empty adds nothing.
//
// The key is a C string to Postfix: it is cut at its first NUL. No case
// folding and no UTF-8 checks are done: that is postmap with an empty
// main.cf (compatibility_level 0, smtputf8_enable = no), and it is also how
// cleanup(8) opens header_checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/regexp_table.hpp"

namespace postvet {

/// The answer to one lookup.
struct LookupResult {
  bool found = false;
  /// The result text (may be empty: postmap prints an empty line then).
  std::string value;
  /// Index (into table.entries()) of the entry that matched.
  uint32_t entry = TableEntry::kNoEntry;
  /// Warnings logged while matching (e.g. `match limit exceeded`), with the
  /// line of the rule whose pattern failed; prefix kMap.
  std::vector<TableWarning> warnings;
};

/// Looks `key` up in `table`.
LookupResult Lookup(const RegexpTable& table, std::string_view key);

/// The text of `entry`'s result for a match whose groups are `groups`
/// (spans into `key`): Postfix's $n substitution.
std::string ExpandResult(const TableEntry& entry, std::string_view key,
                         const std::vector<GroupSpan>& groups);

}  // namespace postvet
