// Tests of the escaping layers under the reporters: UTF-8 decoding, the JSON
// string writer, terminal-safe text and checkstyle's XML attributes. Every
// output format must stay well formed whatever bytes a configuration holds.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>

#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/report/reporter.hpp"
#include "src/base/utf8.hpp"

namespace postvet::report {
namespace {

std::string Encode(char32_t cp) {
  std::string out;
  AppendUtf8(&out, cp);
  return out;
}

// Whether `bytes` is exactly one well-formed sequence, by RFC 3629's
// definition: it is the encoding of the code point it denotes, that code
// point is a scalar value, and the encoding is the shortest (re-encoding
// gives the same bytes).
bool IsOneSequence(const std::string& bytes) {
  const Utf8Unit unit = DecodeUtf8(bytes, 0);
  return unit.valid && unit.length == bytes.size() && Encode(unit.code_point) == bytes;
}

TEST_CASE("UTF-8 decoding of chosen sequences", "[utf8]") {
  struct Case {
    const char* bytes;
    bool valid;
    char32_t cp;
    uint32_t length;
  };
  const Case cases[] = {
      {"A", true, 0x41, 1},
      {"\xc3\xa9", true, 0xE9, 2},
      {"\xe2\x82\xac", true, 0x20AC, 3},
      {"\xf0\x9f\x98\x80", true, 0x1F600, 4},
      {"\xf4\x8f\xbf\xbf", true, 0x10FFFF, 4},
      {"\xc0\x80", false, 0xC0, 1},          // overlong NUL
      {"\xc1\xbf", false, 0xC1, 1},          // overlong
      {"\xe0\x80\x80", false, 0xE0, 1},      // overlong
      {"\xed\xa0\x80", false, 0xED, 1},      // UTF-16 surrogate
      {"\xf4\x90\x80\x80", false, 0xF4, 1},  // above U+10FFFF
      {"\xf5\x80\x80\x80", false, 0xF5, 1},
      {"\x80", false, 0x80, 1},              // stray continuation
      {"\xe2\x82", false, 0xE2, 1},          // truncated
      {"\xe2\x28\xa1", false, 0xE2, 1},      // bad continuation
      {"\xff", false, 0xFF, 1},
  };
  for (const Case& c : cases) {
    INFO(c.bytes);
    const Utf8Unit unit = DecodeUtf8(c.bytes, 0);
    CHECK(unit.valid == c.valid);
    CHECK(unit.code_point == c.cp);
    CHECK(unit.length == c.length);
  }
  CHECK(CountCodePoints("caf\xc3\xa9\xff") == 5);
}

TEST_CASE("UTF-8 decoding agrees with re-encoding, exhaustively", "[utf8]") {
  // Every scalar value round-trips.
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const std::string bytes = Encode(cp);
    const Utf8Unit unit = DecodeUtf8(bytes, 0);
    if (!(unit.valid && unit.code_point == cp && unit.length == bytes.size())) {
      FAIL("code point " << static_cast<uint32_t>(cp));
    }
  }
  // Every 2- and 3-byte string starting with a multi-byte lead: decoding
  // accepts it whole exactly when it is the shortest form of a scalar value.
  size_t mismatches = 0, accepted = 0;
  for (uint32_t v = 0xC00000; v <= 0xEFFFFF; ++v) {
    std::string three = {static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
    const Utf8Unit unit = DecodeUtf8(three, 0);
    const bool whole = unit.valid && unit.length == 3;
    bool expected = false;
    if ((v >> 16) >= 0xE0) {
      // A scalar value needing exactly 3 bytes, written with 3 bytes.
      const uint32_t cp = ((v >> 16) & 0x0F) << 12 | ((v >> 8) & 0x3F) << 6 | (v & 0x3F);
      expected = ((v >> 8) & 0xC0) == 0x80 && (v & 0xC0) == 0x80 && cp >= 0x800 &&
                 !(cp >= 0xD800 && cp <= 0xDFFF);
    }
    if (whole != expected || (whole && !IsOneSequence(three))) ++mismatches;
    if (whole) ++accepted;
    if ((v & 0xFF) == 0) {  // the 2-byte prefix once per lead/second pair
      const std::string two = three.substr(0, 2);
      const Utf8Unit u2 = DecodeUtf8(two, 0);
      const uint32_t lead = v >> 16, second = (v >> 8) & 0xFF;
      const bool two_expected = lead >= 0xC2 && lead <= 0xDF && (second & 0xC0) == 0x80;
      if ((u2.valid && u2.length == 2) != two_expected) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  CHECK(accepted == 0xFFFF - 0x800 + 1 - 0x800);  // U+0800..U+FFFF minus surrogates
  // 4-byte leads with boundary continuation bytes.
  for (uint32_t lead = 0xF0; lead <= 0xF7; ++lead) {
    for (uint32_t second = 0; second <= 0xFF; ++second) {
      for (uint32_t rest : {0x7Fu, 0x80u, 0xBFu, 0xC0u}) {
        const std::string four = {static_cast<char>(lead), static_cast<char>(second),
                                  static_cast<char>(rest), static_cast<char>(rest)};
        const uint32_t cp = (lead & 7) << 18 | (second & 0x3F) << 12 | (rest & 0x3F) << 6 |
                            (rest & 0x3F);
        const bool expected = lead <= 0xF4 && (second & 0xC0) == 0x80 &&
                              (rest & 0xC0) == 0x80 && cp >= 0x10000 && cp <= 0x10FFFF;
        const Utf8Unit unit = DecodeUtf8(four, 0);
        if ((unit.valid && unit.length == 4) != expected) ++mismatches;
      }
    }
  }
  CHECK(mismatches == 0);
}

std::string Json(std::string_view text) {
  std::string out;
  AppendJsonString(&out, text);
  return out;
}

// Decodes a JSON string literal as AppendJsonString writes it (the escapes
// it uses, \uXXXX only for BMP code points), for round-trip checks.
std::string UnJson(std::string_view literal) {
  REQUIRE(literal.size() >= 2);
  REQUIRE(literal.front() == '"');
  REQUIRE(literal.back() == '"');
  std::string out;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    const char c = literal[i];
    REQUIRE(c != '"');
    REQUIRE(static_cast<unsigned char>(c) >= 0x20);
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    const char e = literal[++i];
    switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case 'u':
        AppendUtf8(&out, static_cast<char32_t>(std::stoul(std::string(literal.substr(i + 1, 4)), nullptr, 16)));
        i += 4;
        break;
      default: FAIL("unexpected escape " << e);
    }
  }
  return out;
}

// `text` with each invalid UTF-8 byte replaced by U+FFFD.
std::string Sanitized(std::string_view text) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Unit unit = DecodeUtf8(text, pos);
    if (unit.valid) {
      out.append(text.substr(pos, unit.length));
    } else {
      AppendUtf8(&out, 0xFFFD);
    }
    pos += unit.length;
  }
  return out;
}

TEST_CASE("JSON strings escape what RFC 8259 requires", "[json]") {
  CHECK(Json("") == "\"\"");
  CHECK(Json("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(Json("\n\t\r\b\f") == "\"\\n\\t\\r\\u0008\\u000c\"");
  CHECK(Json(std::string("\0\x1f\x7f", 3)) == "\"\\u0000\\u001f\\u007f\"");
  CHECK(Json("caf\xc3\xa9 \xe2\x80\xa8") == "\"caf\xc3\xa9 \\u2028\"");
  CHECK(Json("x\xffy\xc0\x80") == "\"x\\ufffdy\\ufffd\\ufffd\"");
  CHECK(Json("/ <tag> &") == "\"/ <tag> &\"");
}

TEST_CASE("JSON strings round-trip arbitrary bytes", "[json]") {
  std::mt19937 random(20240601);  // fixed seed: deterministic
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    for (int n = length(random); n > 0; --n) text.push_back(static_cast<char>(byte(random)));
    const std::string literal = Json(text);
    INFO(literal);
    // Valid UTF-8 throughout, no raw control byte, and decodes back.
    REQUIRE(CountCodePoints(literal) == CountCodePoints(Sanitized(literal)));
    for (char c : literal) REQUIRE(static_cast<unsigned char>(c) >= 0x20);
    REQUIRE(UnJson(literal) == Sanitized(text));
  }
}

TEST_CASE("JsonWriter nests and separates values", "[json]") {
  std::string out;
  JsonWriter json(&out);
  json.BeginObject();
  json.UintField("a", 1);
  json.Key("b");
  json.BeginArray();
  json.String("x");
  json.Null();
  json.BeginObject();
  json.EndObject();
  json.BeginArray();
  json.EndArray();
  json.EndArray();
  json.StringField("c", "");
  json.EndObject();
  CHECK(out ==
        "{\n"
        "  \"a\": 1,\n"
        "  \"b\": [\n"
        "    \"x\",\n"
        "    null,\n"
        "    {},\n"
        "    []\n"
        "  ],\n"
        "  \"c\": \"\"\n"
        "}");
}

TEST_CASE("terminal text escapes control, invalid and invisible characters", "[text]") {
  CHECK(TerminalSafe("plain $name {x} \\d") == "plain $name {x} \\d");
  CHECK(TerminalSafe("a\tb") == "a\tb");
  CHECK(TerminalSafe("\x1b[31mred") == "\\x1B[31mred");
  CHECK(TerminalSafe("one\ntwo\r") == "one\\ntwo\\r");
  CHECK(TerminalSafe(std::string("\0\x7f", 2)) == "\\x00\\x7F");
  CHECK(TerminalSafe("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(TerminalSafe("\xff\xc0\x80") == "\\xFF\\xC0\\x80");
  CHECK(TerminalSafe("a\xe2\x80\xae" "b") == "a\\u{202E}b");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(TerminalSafe("\xc2\x85") == "\\u{0085}");             // C1 NEXT LINE
  CHECK(DisplayWidth(U'a') == 1);
  CHECK(DisplayWidth(0x65E5) == 2);
  CHECK(DisplayWidth(0x301) == 0);
}

TEST_CASE("checkstyle drops what XML cannot hold and escapes the rest", "[checkstyle]") {
  std::string message;
  for (int c = 1; c < 0x80; ++c) message.push_back(static_cast<char>(c));
  message += "\xff\xef\xbf\xbf";  // an invalid byte and U+FFFF
  const Source source("a&b\".cf", "a&b\".cf", "x\n");
  std::vector<Diagnostic> diagnostics(1);
  diagnostics[0].rule_id = "PV001";
  diagnostics[0].location = {&source, 0, 1};
  diagnostics[0].message = message;
  const std::string xml = Render(Format::kCheckstyle, diagnostics, {}, ReportOptions{});
  const size_t at = xml.find("message=\"");
  REQUIRE(at != std::string::npos);
  const std::string attribute = xml.substr(at, xml.find("\" source=") - at);
  CHECK(attribute ==
        "message=\"&#9;&#10;&#13; !&quot;#$%&amp;&apos;()*+,-./0123456789:;&lt;=&gt;?@"
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~&#127;\xef\xbf\xbd");
  CHECK(xml.find("<file name=\"a&amp;b&quot;.cf\">") != std::string::npos);
  CHECK(std::count_if(xml.begin(), xml.end(), [](char c) {
          return static_cast<unsigned char>(c) < 0x20 && c != '\n';
        }) == 0);
}

TEST_CASE("terminal-safe lines keep line feeds and escape the rest", "[printable]") {
  CHECK(TerminalSafeLines("a\nb\n") == "a\nb\n");
  CHECK(TerminalSafeLines("x\x1b]0;t\x07y\r\nz") == "x\\x1B]0;t\\x07y\\r\nz");
  CHECK(TerminalSafeLines("\xc2\x9b" "2J\n\x9b") == "\\u{009B}2J\n\\x9B");
  // Idempotent: escaped text passes unchanged, so layers may be stacked.
  const std::string once = TerminalSafeLines("\x1b[2J\xc2\x9b\n\x07");
  CHECK(TerminalSafeLines(once) == once);
  CHECK(TerminalSafe(TerminalSafe("\x1b")) == TerminalSafe("\x1b"));
}

}  // namespace
}  // namespace postvet::report
