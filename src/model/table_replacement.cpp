#include "src/model/table_replacement.hpp"

#include <climits>

#include <fmt/format.h>

namespace postvet {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The pre-scan callback for one reference (dict_*_prescan): returns false
// for MAC_PARSE_ERROR.
bool PrescanReference(std::string_view name, uint32_t begin, uint32_t end, RegexDialect dialect,
                      ReplacementScan* scan) {
  scan->literal.clear();
  if (!AllDigits(name)) {
    scan->issues.push_back({ReplacementIssueKind::kNonNumericIndex,
                            fmt::format("non-numeric replacement index \"{}\"", name), true,
                            begin, end});
    return false;
  }
  size_t n = PostfixIndex(name);
  if (n < 1) {
    // The two table types spell this one differently (format spec 6.4).
    const char* what = dialect == RegexDialect::kPosix ? "out-of-range" : "out of range";
    scan->issues.push_back({ReplacementIssueKind::kIndexZero,
                            fmt::format("{} replacement index \"{}\"", what, name), true, begin,
                            end});
    return false;
  }
  if (n > scan->max_sub) scan->max_sub = n;
  scan->parts.push_back(ReplacementPart{true, std::string(name), n, begin, end});
  return true;
}

}  // namespace

size_t PostfixIndex(std::string_view digits) {
  // strtol() saturates at LONG_MAX; atoi() then narrows to int; the caller
  // stores that int in a size_t.
  unsigned long long value = 0;
  bool overflow = false;
  for (char c : digits) {
    if (overflow) break;
    value = value * 10 + static_cast<unsigned long long>(c - '0');
    if (value > static_cast<unsigned long long>(LONG_MAX)) overflow = true;
  }
  long as_long = overflow ? LONG_MAX : static_cast<long>(value);
  int as_int = static_cast<int>(static_cast<unsigned int>(static_cast<unsigned long>(as_long)));
  return static_cast<size_t>(static_cast<long>(as_int));
}

ReplacementScan ScanReplacement(std::string_view s, RegexDialect dialect) {
  ReplacementScan scan;
  std::string buf;
  uint32_t buf_begin = 0;
  bool error = false;
  const size_t n = s.size();
  // Literal text goes to the pre-scan only while no reference has been seen.
  auto flush_literal = [&](uint32_t end) {
    if (scan.max_sub == 0) scan.literal = buf;
    scan.parts.push_back(ReplacementPart{false, buf, 0, buf_begin, end});
    buf.clear();
  };
  size_t vp = 0;
  while (vp < n) {
    if (buf.empty()) buf_begin = static_cast<uint32_t>(vp);
    if (s[vp] != '$') {
      buf += s[vp];
      vp += 1;
      continue;
    }
    if (vp + 1 < n && s[vp + 1] == '$') {  // $$ is a literal $
      buf += '$';
      vp += 2;
      continue;
    }
    if (!buf.empty()) flush_literal(static_cast<uint32_t>(vp));
    const size_t dollar = vp;
    vp += 1;
    std::string_view name;
    if (vp < n && (s[vp] == '(' || s[vp] == '{')) {
      const char open = s[vp];
      const char close = open == '(' ? ')' : '}';
      vp += 1;
      size_t ep = vp;
      int level = 1;
      bool truncated = false;
      while (level > 0) {
        if (ep >= n) {
          scan.issues.push_back({ReplacementIssueKind::kTruncated,
                                 fmt::format("truncated macro reference: \"{}\"", s), false,
                                 static_cast<uint32_t>(dollar), static_cast<uint32_t>(n)});
          truncated = true;
          break;
        }
        if (s[ep] == open) ++level;
        if (s[ep] == close) --level;
        ++ep;
      }
      if (truncated) error = true;
      // mac_parse() stops here on any earlier error, also one reported by
      // the pre-scan for an earlier reference.
      if (error) break;
      name = s.substr(vp, ep - vp - 1);
      vp = ep;
    } else {
      size_t ep = vp;
      while (ep < n && (IsAsciiAlnum(s[ep]) || s[ep] == '_')) ++ep;
      name = s.substr(vp, ep - vp);
      vp = ep;
    }
    if (name.empty()) {
      error = true;
      scan.issues.push_back({ReplacementIssueKind::kEmptyName,
                             fmt::format("empty macro name: \"{}\"", s), false,
                             static_cast<uint32_t>(dollar), static_cast<uint32_t>(vp)});
      break;
    }
    if (!PrescanReference(name, static_cast<uint32_t>(dollar), static_cast<uint32_t>(vp), dialect,
                          &scan)) {
      error = true;
    }
  }
  if (!buf.empty() && !error) flush_literal(static_cast<uint32_t>(n));
  scan.syntax_error = error;
  return scan;
}

}  // namespace postvet
