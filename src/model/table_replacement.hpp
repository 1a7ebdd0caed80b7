// Result text of a regexp:/pcre: rule, split the way Postfix splits it
// (util/mac_parse.c, called from dict_regexp_prescan() / dict_pcre_prescan();
// format spec 3.1 and 6.4): `$$` is a literal `$`; `$name`, `${name}` and
// `$(name)` are references, and in a table the name must be all digits
// (`$1`, `${12}`). Anything else is an error that makes Postfix skip the rule,
// with the warnings this scan reproduces word for word and in order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/match/regex_engine.hpp"

namespace postvet {

/// One piece of a result: literal text (with `$$` already `$`) or `$n`.
struct ReplacementPart {
  bool is_index = false;
  std::string text;   ///< literal bytes, or the reference's name ("1", "01")
  size_t index = 0;   ///< for a reference: the group number, as Postfix's atoi() computes it
  uint32_t begin = 0; ///< offsets of the part in the result text
  uint32_t end = 0;
};

/// Why a result text is rejected.
enum class ReplacementIssueKind : uint8_t {
  kNonNumericIndex,  // `$x`, `$1x`
  kIndexZero,        // `$0`: out-of-range (regexp) / out of range (pcre)
  kTruncated,        // `${1` (mac_parse, printed without the map prefix)
  kEmptyName,        // `$` at the end, `$ `, `${}` (mac_parse, without prefix)
};

/// One warning of the scan, in Postfix's order.
struct ReplacementIssue {
  ReplacementIssueKind kind;
  std::string message;  ///< the text Postfix prints (after the map prefix, if it has one)
  bool map_prefixed;    ///< printed as `regexp map F, line N: <message>`
  uint32_t begin;       ///< offsets in the result text of the offending reference
  uint32_t end;
};

/// The result text as Postfix's pre-scan sees it.
struct ReplacementScan {
  std::vector<ReplacementPart> parts;
  std::vector<ReplacementIssue> issues;
  /// Largest `$n` (size_t, with Postfix's atoi() wrap-around for huge numbers).
  size_t max_sub = 0;
  /// mac_parse reported an error: Postfix prints `bad replacement syntax`.
  bool syntax_error = false;
  /// With no `$n`: the text Postfix stores and returns ($$ turned into $).
  std::string literal;
};

/// Scans `result` (already cut at NUL) like mac_parse + the table pre-scan.
ReplacementScan ScanReplacement(std::string_view result, RegexDialect dialect);

/// Postfix's atoi() of an all-digit index: strtol() saturating at LONG_MAX,
/// truncated to int, then widened to size_t (so $4294967295 becomes SIZE_MAX).
size_t PostfixIndex(std::string_view digits);

}  // namespace postvet
