#include "src/base/json_reader.hpp"

#include <cstdlib>
#include <utility>

#include <fmt/format.h>

#include "src/base/utf8.hpp"

namespace postvet {

const JsonValue* JsonValue::Find(std::string_view key) const {
  const JsonValue* found = nullptr;
  if (type != Type::kObject) return nullptr;
  for (const auto& [name, value] : members) {
    if (name == key) found = &value;
  }
  return found;
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, std::string_view name) : text_(text), name_(name) {}

  Result<JsonValue> ParseDocument() {
    JsonValue value;
    SkipSpace();
    if (!ParseValue(&value, 0)) return Status::Error(error_);
    SkipSpace();
    if (pos_ != text_.size()) {
      Error("unexpected data after the JSON value");
      return Status::Error(error_);
    }
    return value;
  }

 private:
  bool Error(std::string_view what) {
    if (!error_.empty()) return false;  // keep the first error
    uint32_t line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    error_ = fmt::format("{}:{}:{}: {}", name_, line, pos_ - line_start + 1, what);
    return false;
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return Error("invalid literal");
    pos_ += word.size();
    return true;
  }

  bool ParseValue(JsonValue* out, int depth) {
    if (pos_ >= text_.size()) return Error("unexpected end of input");
    switch (text_[pos_]) {
      case '{': return ParseObject(out, depth + 1);
      case '[': return ParseArray(out, depth + 1);
      case '"': out->type = JsonValue::Type::kString; return ParseString(&out->string);
      case 't': out->type = JsonValue::Type::kBool; out->boolean = true; return Literal("true");
      case 'f': out->type = JsonValue::Type::kBool; return Literal("false");
      case 'n': out->type = JsonValue::Type::kNull; return Literal("null");
      default: return ParseNumber(out);
    }
  }

  bool ParseObject(JsonValue* out, int depth) {
    if (depth > kMaxJsonDepth) return Error("nested too deeply");
    out->type = JsonValue::Type::kObject;
    ++pos_;  // {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
    for (;;) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a member name");
      std::string key;
      if (!ParseString(&key)) return false;
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expected ':'");
      ++pos_;
      SkipSpace();
      JsonValue value;
      if (!ParseValue(&value, depth)) return false;
      out->members.push_back(JsonMember{std::move(key), std::move(value)});
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
      return Error("expected ',' or '}'");
    }
  }

  bool ParseArray(JsonValue* out, int depth) {
    if (depth > kMaxJsonDepth) return Error("nested too deeply");
    out->type = JsonValue::Type::kArray;
    ++pos_;  // [
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
    for (;;) {
      SkipSpace();
      JsonValue value;
      if (!ParseValue(&value, depth)) return false;
      out->items.push_back(std::move(value));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
      return Error("expected ',' or ']'");
    }
  }

  bool ParseString(std::string* out) {
    if (const char* error = DecodeJsonString(text_, &pos_, out)) return Error(error);
    return true;
  }

  bool ParseNumber(JsonValue* out) {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    bool integer = true;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    const size_t int_start = pos_;
    const size_t int_digits = digits();
    if (int_digits == 0) return pos_ = start, Error("expected a value");
    if (int_digits > 1 && text_[int_start] == '0') return Error("leading zero in a number");
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      integer = false;
      if (digits() == 0) return Error("expected digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      integer = false;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return Error("expected digits in the exponent");
    }
    const std::string number(text_.substr(start, pos_ - start));
    out->type = JsonValue::Type::kNumber;
    out->number = std::strtod(number.c_str(), nullptr);
    if (integer && number[0] != '-' && int_digits <= 19) {
      out->unsigned_integer = std::strtoull(number.c_str(), nullptr, 10);
    }
    return true;
  }

  std::string_view text_;
  std::string_view name_;
  size_t pos_ = 0;
  std::string error_;
};

}  // namespace

namespace {

// Four hex digits at `*pos` (advanced past them); false when they are not.
bool Hex4(std::string_view s, size_t* pos, uint32_t* out) {
  if (*pos + 4 > s.size()) return false;
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) {
    const char c = s[*pos + i];
    v <<= 4;
    if (c >= '0' && c <= '9') {
      v |= static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      v |= static_cast<uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      v |= static_cast<uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
  }
  *pos += 4;
  *out = v;
  return true;
}

// Where a failed Hex4() at `at` stops reading: just past the first byte
// that is not a hex digit (or the end of `s` when they run out).
size_t BadHexEnd(std::string_view s, size_t at) {
  for (size_t i = at; i < s.size() && i < at + 4; ++i) {
    const char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return i + 1;
  }
  return at;
}

}  // namespace

const char* DecodeJsonString(std::string_view s, size_t* pos, std::string* out) {
  size_t p = *pos + 1;  // past the opening quote
  while (p < s.size()) {
    const char c = s[p];
    if (c == '"') {
      *pos = p + 1;
      return nullptr;
    }
    if (static_cast<unsigned char>(c) < 0x20) {
      *pos = p;
      return "control character in a string";
    }
    if (c != '\\') {
      size_t run = p + 1;
      while (run < s.size() && s[run] != '"' && s[run] != '\\' && static_cast<unsigned char>(s[run]) >= 0x20) ++run;
      out->append(s.substr(p, run - p));
      p = run;
      continue;
    }
    if (++p >= s.size()) break;
    switch (s[p++]) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        uint32_t cp = 0;
        if (!Hex4(s, &p, &cp)) {
          *pos = p + 4 > s.size() ? p : BadHexEnd(s, p);
          return p + 4 > s.size() ? "truncated \\u escape" : "bad hex digit in \\u escape";
        }
        if (cp >= 0xD800 && cp < 0xDC00 && s.substr(p, 2) == "\\u") {
          size_t q = p + 2;
          uint32_t low = 0;
          if (!Hex4(s, &q, &low)) {
            *pos = q + 4 > s.size() ? q : BadHexEnd(s, q);
            return q + 4 > s.size() ? "truncated \\u escape" : "bad hex digit in \\u escape";
          }
          if (low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            p = q;
          }  // else not a pair: the high half stands alone
        }
        if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
        report::AppendUtf8(out, static_cast<char32_t>(cp));
        break;
      }
      default:
        *pos = p - 1;
        return "bad escape in a string";
    }
  }
  *pos = p;
  return "unterminated string";
}

Result<JsonValue> ParseJson(std::string_view text, std::string_view name) {
  return Parser(text, name).ParseDocument();
}

}  // namespace postvet
