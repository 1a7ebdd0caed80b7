// A minimal streaming JSON writer for the json, sarif and gitlab reporters
// (no JSON library is available). It appends to a std::string, indents by
// two spaces, and always produces valid JSON text from arbitrary bytes:
// strings are escaped per RFC 8259 and invalid UTF-8 becomes U+FFFD.
// Callers are trusted to nest Begin/End calls and to give every object
// member a Key(); misuse is a bug (assert), not a runtime error.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postvet::report {

/// Appends `text` as a quoted JSON string: `"` `\` and every control
/// character (U+0000..U+001F, U+007F) escaped, U+2028/U+2029 escaped (they
/// end lines in JavaScript), each invalid UTF-8 byte written as \ufffd.
void AppendJsonString(std::string* out, std::string_view text);

/// Writes one JSON value, member by member, into a string it does not own.
class JsonWriter {
 public:
  /// Appends to `*out`, which must outlive the writer.
  explicit JsonWriter(std::string* out) : out_(out) {}

  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  /// The name of the next object member.
  void Key(std::string_view key);
  void String(std::string_view value);
  void Uint(uint64_t value);
  void Null();
  void Bool(bool value);

  /// Shorthands for `Key(key)` followed by the value.
  void StringField(std::string_view key, std::string_view value) { Key(key), String(value); }
  void UintField(std::string_view key, uint64_t value) { Key(key), Uint(value); }

 private:
  void BeforeValue();
  void Open(char bracket);
  void Close(char bracket);
  void NewLine();

  std::string* out_;
  std::vector<bool> has_items_;  // per open container: any member written yet
  bool after_key_ = false;
};

}  // namespace postvet::report
