// Value conversion and validation the way the Postfix daemons do it
// (value_check.hpp).
#include "src/model/value_check.hpp"

#include <algorithm>
#include <climits>
#include <set>
#include <vector>

namespace postvet {
namespace {

// isspace() in the C locale, which is what strtol() skips.
bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// What strtol(text, &end, 10) leaves behind.
struct Strtol {
  long value = 0;
  std::size_t end = 0;  // index of the first unconverted byte
  bool range_error = false;
};

Strtol ParseStrtol(std::string_view text) {
  Strtol r;
  std::size_t i = 0;
  while (i < text.size() && IsCSpace(text[i])) ++i;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  if (i >= text.size() || !IsDigit(text[i])) return r;  // no conversion: end = start
  // Accumulate as a negative number so LONG_MIN fits, as C libraries do.
  long acc = 0;
  for (; i < text.size() && IsDigit(text[i]); ++i) {
    long digit = text[i] - '0';
    if (!r.range_error) {
      if (acc < (LONG_MIN + digit) / 10) {
        r.range_error = true;
      } else {
        acc = acc * 10 - digit;
      }
    }
  }
  r.end = i;
  if (r.range_error) {
    r.value = negative ? LONG_MIN : LONG_MAX;
  } else if (negative) {
    r.value = acc;
  } else if (acc == LONG_MIN) {
    r.range_error = true;
    r.value = LONG_MAX;
  } else {
    r.value = -acc;
  }
  return r;
}

// Postfix sees values as C strings: a NUL ends them.
std::string_view CString(std::string_view value) {
  std::size_t nul = value.find('\0');
  return nul == std::string_view::npos ? value : value.substr(0, nul);
}

std::string Str(std::string_view s) { return std::string(s); }

std::optional<std::string> CheckBounds(const ParamInfo& info, int64_t n) {
  const std::string name = info.name;
  if (info.min && n < *info.min) {
    return "invalid " + name + " parameter value " + std::to_string(n) + " < " +
           std::to_string(*info.min);
  }
  if (info.max && n > *info.max) {
    return "invalid " + name + " parameter value " + std::to_string(n) + " > " +
           std::to_string(*info.max);
  }
  return std::nullopt;
}

std::optional<std::string> CheckLength(const ParamInfo& info, std::string_view value) {
  // mail_conf_str.c and mail_conf_raw.c differ only in the parentheses.
  bool raw = info.type == ParamType::kRaw;
  auto message = [&](char op, int64_t bound) {
    std::string numbers = std::to_string(value.size()) + " " + op + " " + std::to_string(bound);
    if (raw) numbers = "(" + numbers + ")";
    return "bad string length " + numbers + ": " + info.name + " = " + Str(value);
  };
  auto length = static_cast<int64_t>(value.size());
  if (info.min && length < *info.min) return message('<', *info.min);
  if (info.max && length > *info.max) return message('>', *info.max);
  return std::nullopt;
}

bool IsTlsLevelParam(std::string_view name) {
  return name.ends_with("_tls_security_level");
}

std::optional<std::string> CheckMask(const ParamInfo& info, std::string_view value,
                                     std::string_view context, std::set<std::string>* seen) {
  // name_mask(): words separated by ", \t\r\n", compared case-sensitively.
  std::size_t i = 0;
  while (i < value.size()) {
    std::size_t start = value.find_first_not_of(", \t\r\n", i);
    if (start == std::string_view::npos) break;
    std::size_t stop = value.find_first_of(", \t\r\n", start);
    if (stop == std::string_view::npos) stop = value.size();
    std::string_view word = value.substr(start, stop - start);
    if (std::find(info.enum_values.begin(), info.enum_values.end(), word) ==
        info.enum_values.end()) {
      return "unknown " + Str(context) + " value \"" + Str(word) + "\" in \"" + Str(value) + "\"";
    }
    seen->insert(std::string(word));
    i = stop;
  }
  return std::nullopt;
}

std::optional<std::string> CheckEnum(const ParamInfo& info, std::string_view value) {
  const std::string& name = info.name;
  std::set<std::string> seen;
  if (name == "mynetworks_style") {
    // mynetworks.c: name_mask(), then exactly one style.
    if (auto bad = CheckMask(info, value, "mynetworks mask style", &seen)) return bad;
    if (seen.size() != 1) {
      return "bad " + name + " value: " + Str(value) + "; specify exactly one value";
    }
    return std::nullopt;
  }
  if (info.enum_is_mask) return CheckMask(info, value, name, &seen);
  // name_code(): one word, any case.
  for (const std::string& word : info.enum_values) {
    if (EqualsNoCase(word, value)) return std::nullopt;
  }
  if (IsTlsLevelParam(name)) return "Invalid TLS level \"" + Str(value) + "\"";
  if (name == "smtp_dns_support_level" || name == "lmtp_dns_support_level") {
    return "invalid " + name + ": \"" + Str(value) + "\"";
  }
  if (name == "header_from_format") return "invalid setting: \"" + name + " = " + Str(value) + "\"";
  if (name == "info_log_address_format") {
    return "invalid parameter setting \"" + name + " = " + Str(value) + "\"";
  }
  return "bad " + name + " value: " + Str(value);
}

}  // namespace

std::optional<long> ConvertLong(std::string_view value) {
  value = CString(value);
  Strtol r = ParseStrtol(value);
  if (value.empty() || r.end != value.size() || r.range_error) return std::nullopt;
  return r.value;
}

std::optional<int> ConvertInt(std::string_view value) {
  std::optional<long> n = ConvertLong(value);
  if (!n || *n < INT_MIN || *n > INT_MAX) return std::nullopt;
  return static_cast<int>(*n);
}

std::optional<bool> ConvertBool(std::string_view value) {
  value = CString(value);
  if (EqualsNoCase(value, "yes")) return true;
  if (EqualsNoCase(value, "no")) return false;
  return std::nullopt;
}

std::optional<int> ConvertTime(std::string_view value, char default_unit) {
  value = CString(value);
  Strtol r = ParseStrtol(value);
  if (value.empty() || r.range_error || r.value < 0 || r.value > INT_MAX) return std::nullopt;
  int n = static_cast<int>(r.value);
  // conv_time() looks only at the first byte after the number; its check of
  // the byte after that is commented out, so "1h30m" is one hour.
  char unit = r.end < value.size() ? value[r.end] : default_unit;
  int scale = 0;
  switch (unit) {
    case 'w': scale = 7 * 24 * 3600; break;
    case 'd': scale = 24 * 3600; break;
    case 'h': scale = 3600; break;
    case 'm': scale = 60; break;
    case 's': return n;
    default: return std::nullopt;
  }
  if (n >= INT_MAX / scale) return std::nullopt;  // conv_time() requires n < INT_MAX / unit
  return n * scale;
}

bool IsCompatLevel(std::string_view value) {
  // compat_level_from_string(): up to three strtol() numbers joined by dots,
  // each non-negative; minor and patch at most 1023.
  value = CString(value);
  constexpr long kMaxMajor = LONG_MAX >> 20;
  constexpr long kMaxMinor = 0x3ff;
  std::size_t pos = 0;
  for (int part = 0; part < 3; ++part) {
    Strtol r = ParseStrtol(value.substr(pos));
    if (r.end == 0 || r.range_error || r.value < 0) return false;
    if (r.value > (part == 0 ? kMaxMajor : kMaxMinor)) return false;
    pos += r.end;
    if (pos == value.size()) return true;
    if (value[pos] != '.' || part == 2) return false;
    ++pos;
  }
  return false;
}

std::optional<std::string> CheckValue(const ParamInfo& info, std::string_view value) {
  value = CString(value);
  const std::string& name = info.name;
  switch (info.type) {
    case ParamType::kInt:
    case ParamType::kNint: {
      std::optional<int> n = ConvertInt(value);
      if (!n) return "bad numerical configuration: " + name + " = " + Str(value);
      return CheckBounds(info, *n);
    }
    case ParamType::kSize: {
      std::optional<long> n = ConvertLong(value);
      if (!n) return "bad numerical configuration: " + name + " = " + Str(value);
      return CheckBounds(info, *n);
    }
    case ParamType::kBool:
    case ParamType::kNbool:
      if (!ConvertBool(value)) return "bad boolean configuration: " + name + " = " + Str(value);
      return std::nullopt;
    case ParamType::kTime: {
      std::optional<int> seconds = ConvertTime(value, info.time_unit ? info.time_unit : 's');
      if (!seconds) return "parameter " + name + ": bad time value or unit: " + Str(value);
      if (info.min && *seconds < *info.min) {
        return "invalid " + name + ": " + std::to_string(*seconds) + " (min " +
               std::to_string(*info.min) + ")";
      }
      if (info.max && *seconds > *info.max) {
        return "invalid " + name + ": " + std::to_string(*seconds) + " (max " +
               std::to_string(*info.max) + ")";
      }
      return std::nullopt;
    }
    case ParamType::kString:
    case ParamType::kRaw:
    case ParamType::kList:
    case ParamType::kMaps:
      return CheckLength(info, value);
    case ParamType::kEnum:
      if (auto bad = CheckLength(info, value)) return bad;
      return CheckEnum(info, value);
    case ParamType::kLevel:
      if (auto bad = CheckLength(info, value)) return bad;
      if (!IsCompatLevel(value)) {
        return "malformed compatibility level syntax: \"" + Str(value) + "\"";
      }
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace postvet
