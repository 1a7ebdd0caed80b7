#include "src/model/expand_compare.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>

#include <fmt/format.h>

namespace postvet::expand_detail {
namespace {

bool Compare(RelOp op, long long delta) {
  switch (op) {
    case RelOp::kEq: return delta == 0;
    case RelOp::kNe: return delta != 0;
    case RelOp::kLt: return delta < 0;
    case RelOp::kLe: return delta <= 0;
    case RelOp::kGe: return delta >= 0;
    case RelOp::kGt: return delta > 0;
    case RelOp::kNone: break;
  }
  return false;
}

// strtol(s, &end, 10) over the whole string, as sane_strtol is used by
// atol_or_die() and compat_level_from_string(): returns false on overflow.
bool ParseLong(std::string_view s, size_t* consumed, long* out) {
  std::string copy(s);
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(copy.c_str(), &end, 10);
  *consumed = static_cast<size_t>(end - copy.c_str());
  *out = v;
  return errno != ERANGE;
}

// compat_level_from_string(): "major[.minor[.patch]]" packed into one number,
// -1 when malformed.
long CompatLevel(std::string_view str) {
  constexpr int kMinorShift = 10;
  constexpr int kMajorShift = 20;
  size_t used = 0;
  long major = 0;
  bool ok = ParseLong(str, &used, &major);
  if (used > 0 && (used == str.size() || str[used] == '.') && ok && major >= 0 &&
      major <= (LONG_MAX >> kMajorShift)) {
    long res = major << kMajorShift;
    if (used == str.size()) return res;
    std::string_view rest = str.substr(used + 1);
    long minor = 0;
    ok = ParseLong(rest, &used, &minor);
    if (used > 0 && (used == rest.size() || rest[used] == '.') && ok && minor >= 0 && minor <= 0x3ff) {
      res |= minor << kMinorShift;
      if (used == rest.size()) return res;
      rest = rest.substr(used + 1);
      long patch = 0;
      ok = ParseLong(rest, &used, &patch);
      if (used > 0 && used == rest.size() && ok && patch >= 0 && patch <= 0x3ff) return res | patch;
    }
  }
  return -1;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// atol_or_die(): an overflow is fatal in Postfix.
bool AtolOrDie(std::string_view s, long* out, Comparison* c) {
  size_t used = 0;
  if (!ParseLong(s, &used, out) || used != s.size()) {
    c->fatal = true;
    c->fatal_message = fmt::format("mac_exp_eval: bad conversion: {}", s);
    return false;
  }
  return true;
}

}  // namespace

RelOp ParseOp(std::string_view op) {
  if (op == "==") return RelOp::kEq;
  if (op == "!=") return RelOp::kNe;
  if (op == "<") return RelOp::kLt;
  if (op == "<=") return RelOp::kLe;
  if (op == ">=") return RelOp::kGe;
  if (op == ">") return RelOp::kGt;
  return RelOp::kNone;
}

Comparison Evaluate(RelOp op, bool level_compare, const std::string& left, const std::string& right) {
  Comparison c;
  if (level_compare) {
    long l = CompatLevel(left);
    long r = l < 0 ? -1 : CompatLevel(right);
    if (l < 0 || r < 0) {
      c.warning = fmt::format("malformed compatibility level syntax: \"{}\"", l < 0 ? left : right);
    } else {
      c.result = Compare(op, static_cast<long long>(l) - r);
    }
  } else if (AllDigits(left) && AllDigits(right)) {
    long l = 0;
    long r = 0;
    if (!AtolOrDie(left, &l, &c) || !AtolOrDie(right, &r, &c)) return c;
    c.result = Compare(op, static_cast<long long>(l) - r);
  } else {
    c.result = Compare(op, left.compare(right));
  }
  return c;
}

}  // namespace postvet::expand_detail
