// ParseJson and DecodeJsonString (src/base/json_reader.hpp): escapes,
// surrogates and the position of each string error; the same decoder
// serves the journald reader of tune.
#include <catch2/catch.hpp>

#include "src/base/json_reader.hpp"

namespace postvet {
namespace {

std::string ErrorOf(std::string_view text) {
  Result<JsonValue> r = ParseJson(text, "t");
  return r.ok() ? "ok" : r.status().message();
}

TEST_CASE("DecodeJsonString unescapes and stops after the closing quote") {
  std::string out = "kept ";
  size_t pos = 1;
  const std::string_view text = R"({"a\"b\\c\/\t\u00e9\ud83d\ude00\ud800x" tail)";
  REQUIRE(DecodeJsonString(text, &pos, &out) == nullptr);
  CHECK(out == "kept a\"b\\c/\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx");  // a lone surrogate is U+FFFD
  CHECK(text.substr(pos) == " tail");
}

TEST_CASE("string errors name the offending byte") {
  CHECK(ErrorOf("\"ab\\x\"") == "t:1:5: bad escape in a string");
  CHECK(ErrorOf("\"a\x01\"") == "t:1:3: control character in a string");
  CHECK(ErrorOf("\"\\u12g4\"") == "t:1:7: bad hex digit in \\u escape");
  CHECK(ErrorOf("\"\\u12") == "t:1:4: truncated \\u escape");
  CHECK(ErrorOf("\"abc") == "t:1:5: unterminated string");
  std::string out;
  size_t pos = 0;
  CHECK(std::string(DecodeJsonString("\"a\\", &pos, &out)) == "unterminated string");
}

}  // namespace
}  // namespace postvet
