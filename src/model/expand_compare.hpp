// The relational operators of Postfix's `$` language
// (`${{left}op{right}?...}`, mac_expand.c mac_exp_parse_relational() and
// mac_exp_eval()): which operator a text names and what comparing two
// expanded operands gives. Internal to src/model/expand.cpp.
//
// Contract: Evaluate() compares as Postfix does: as compatibility levels
// ("major[.minor[.patch]]") with the "level" suffix, as numbers when both
// operands are all digits, else as byte strings. A malformed level is a
// warning (Postfix's msg_warn text, a parse error); a number strtol cannot
// hold is fatal in Postfix (atol_or_die()), reported with its message.
#pragma once

#include <string>
#include <string_view>

namespace postvet::expand_detail {

enum class RelOp { kNone, kEq, kNe, kLt, kLe, kGe, kGt };

/// The operator `op` spells ("==", "!=", "<", "<=", ">=", ">"), else kNone.
RelOp ParseOp(std::string_view op);

/// What comparing two operands gave.
struct Comparison {
  bool result = false;
  std::string warning;        ///< non-empty: a malformed level (a parse error)
  bool fatal = false;         ///< a number out of range: Postfix dies
  std::string fatal_message;  ///< "mac_exp_eval: bad conversion: ..."
};

/// `left op right`, as levels when `level_compare`.
Comparison Evaluate(RelOp op, bool level_compare, const std::string& left, const std::string& right);

}  // namespace postvet::expand_detail
