// A small JSON reader for the files postvet reads back (the --baseline
// file). No JSON library is available, and the writer side lives in
// src/report/json_writer. It parses RFC 8259 JSON text into a tree of
// JsonValues; nesting is limited (kMaxJsonDepth) so hostile input cannot
// exhaust the stack, and every error is a Status naming the line and column.
// Strings are returned as UTF-8 bytes (\u escapes decoded, surrogate pairs
// joined; a lone surrogate becomes U+FFFD).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

/// Deepest nesting of arrays and objects ParseJson() accepts.
inline constexpr int kMaxJsonDepth = 64;

struct JsonMember;

/// One JSON value.
struct JsonValue {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;
  double number = 0;
  /// The number's value when it is a non-negative integer that fits.
  std::optional<uint64_t> unsigned_integer;
  std::string string;
  std::vector<JsonValue> items;                             // kArray
  std::vector<JsonMember> members;                          // kObject, in input order

  /// The last member named `key` of an object (null when absent or not an object).
  const JsonValue* Find(std::string_view key) const;
};

/// One name/value pair of an object.
struct JsonMember {
  std::string name;
  JsonValue value;
};

/// Decodes the JSON string whose opening quote is at `text[*pos]`, appending
/// its bytes to `out` as ParseJson() does (escapes decoded, surrogate pairs
/// joined, a lone surrogate U+FFFD). Returns nullptr and moves `*pos` past
/// the closing quote, or returns what is wrong (a static string) with `*pos`
/// at the offending byte. For readers that pick a few fields out of many
/// JSON lines without building a tree (tune's journald reader).
const char* DecodeJsonString(std::string_view text, size_t* pos, std::string* out);

/// Parses `text` (a complete JSON text; surrounding whitespace allowed).
/// Errors name `name` and the position: "base.json:3:7: expected ':'".
Result<JsonValue> ParseJson(std::string_view text, std::string_view name);

}  // namespace postvet
