// MainCf::BuildInPlace() (the Cst-free builder `show` uses) against
// MainCf::Build(ParseMainCf()): the same definitions, values, line numbers,
// byte ranges, overrides, effective order and bad lines, on the grammar's
// corner cases, on random bytes drawn from the characters the line layer
// cares about, and on every main.cf of testdata/ and the corpus.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "grammar/cst_builder.hpp"
#include "src/cli/show_output.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/postfix_strings.hpp"
#include "test_util.hpp"

using namespace postvet;

namespace {

// Catch's INFO cannot print NUL and control bytes legibly.
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += "\\n";
    else if (c == '\0') out += "\\0";
    else if (static_cast<unsigned char>(c) < 0x20) out += "\\x" + std::to_string(static_cast<int>(c));
    else out += c;
  }
  return out;
}

// Compares both builders on `text`; returns the number of definitions.
size_t CompareBuilders(const std::string& text) {
  INFO("input: " << Escape(text));
  Source src("main.cf", "main.cf", text);
  Cst cst = ParseMainCf(src);
  MainCf want = MainCf::Build(cst);
  std::string bytes = text;
  MainCf got = MainCf::BuildInPlace(bytes);
  REQUIRE(got.definitions().size() == want.definitions().size());
  for (size_t i = 0; i < want.definitions().size(); ++i) {
    const MainCfDefinition& w = want.definitions()[i];
    const MainCfDefinition& g = got.definitions()[i];
    CHECK(g.name == w.name);
    CHECK(g.value == w.value);
    CHECK(g.line == w.line);
    CHECK(g.name_begin == w.name_begin);
    CHECK(g.name_end == w.name_end);
    CHECK(g.value_begin == w.value_begin);
    CHECK(g.value_end == w.value_end);
    CHECK(g.node == Cst::kNone);
  }
  CHECK(got.EffectiveInOrder() == want.EffectiveInOrder());
  REQUIRE(got.overrides().size() == want.overrides().size());
  for (size_t i = 0; i < want.overrides().size(); ++i) {
    CHECK(got.overrides()[i].earlier == want.overrides()[i].earlier);
    CHECK(got.overrides()[i].later == want.overrides()[i].later);
    CHECK(got.overrides()[i].value_differs == want.overrides()[i].value_differs);
  }
  REQUIRE(got.bad_lines().size() == want.bad_lines().size());
  for (size_t i = 0; i < want.bad_lines().size(); ++i) {
    const MainCfBadLine& w = want.bad_lines()[i];
    const MainCfBadLine& g = got.bad_lines()[i];
    CHECK(g.kind == w.kind);
    CHECK(g.reason == w.reason);
    CHECK(g.line == w.line);
    CHECK(g.begin == w.begin);
    CHECK(g.end == w.end);
  }
  for (const MainCfDefinition& w : want.definitions()) {
    const MainCfDefinition* g = got.Find(w.name);
    REQUIRE(g != nullptr);
    CHECK(g->value == want.Find(w.name)->value);
  }
  return want.definitions().size();
}

}  // namespace


TEST_CASE("BuildInPlace: grammar corner cases as Build") {
  const char* cases[] = {
      "",
      "a = b\n",
      "a=b",
      "a =\n",
      "a =",
      "a = b \t\r\n",
      "a = b\n  c\n",
      "a = b\n# note\n\n   \n  c  \n",
      "a = b   \n  \n",
      "a =  \n  b  \nc = d\n",
      "a\n  = b\n",
      "a\n  b\n",
      "  lead\na = b\n",
      "# c\n  lead after comment\n",
      "noequals here\n",
      "= value\n",
      "\0 = x\n",
      "a\0b = c\n",
      "a = b\0c\n",
      "a = b \0 c\n  d\n",
      "a = 1\na = 2\na = 2\nb = $a\n",
      "a = b\n  c\n# x\n  d\ne = f\n  \t\n",
      "   ",
      "  \n\n#x",
      "a = b\n \n",
      "a = #not a comment\n",
      "a = b\r\n  c\r\n",
      "x = y\n\tz\n\v w\n\f v\n",
      "a = \n\n\n  b\n",
      "bad\n  continued\n  more\nok = 1\n",
      "a = b\n  c\nbad line\n  x\n  lead?\n",
      "== x\n",
      "a==b\n",
      "a = b\n  # not dropped: text before\n",
      "a = b\n  \n  c",
      "a = b\n  c  ",
      "  # comment\n  x = y\n",
  };
  for (const char* c : cases) CompareBuilders(c);
  CompareBuilders(std::string("a = b\0\n  c\n", 11));
  CompareBuilders(std::string("\0", 1));
}

TEST_CASE("BuildInPlace: random inputs as Build") {
  const char alphabet[] = {' ', ' ', '\t', '\r', '\v', '\n', '\n', '\n', '#', '=', '=', 'a', 'b', 'a', '\0', '$'};
  std::mt19937 rng(20);
  for (int round = 0; round < 20000; ++round) {
    std::string text(rng() % 40, ' ');
    for (char& c : text) c = alphabet[rng() % sizeof alphabet];
    CompareBuilders(text);
  }
}

TEST_CASE("BuildInPlace: longer random inputs, with and without NUL, as Build") {
  // Lines and names past 16 and 64 bytes (names with control bytes that
  // are name bytes), continued values over several lines with
  // comment and blank lines between, CRLF, a last line without LF; half of
  // the inputs hold no NUL at all (values are then not cut).
  const char* pieces[] = {"name_1", " = ", "=", "value with words", "$ref ${x}", "\n", "\n  ", "\n    more",
                          "\n# note\n", "\n  # indented note\n", "\n\n", "\r\n", "\t", " ", "#", "\v",
                          "long_parameter_name_past_sixteen_bytes", "x",
                          "control\x01bytes\x1f\x7f\xff_in_a_name_past_16"};
  std::mt19937 rng(2026);
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    size_t n = rng() % 60;
    for (size_t i = 0; i < n; ++i) text += pieces[rng() % (sizeof pieces / sizeof pieces[0])];
    if (round % 2 == 1 && !text.empty()) text[rng() % text.size()] = '\0';
    CompareBuilders(text);
  }
  // A value of 200 KB on one line, and one continued over 5,000 lines.
  std::string wide = "a = " + std::string(200000, 'v') + "\nb = c\n";
  CompareBuilders(wide);
  std::string tall = "a = first";
  for (int i = 0; i < 5000; ++i) tall += i % 7 == 0 ? "\n# c\n  x" : "\n  y";
  CompareBuilders(tall + "\nz = 1");
}

TEST_CASE("BuildInPlace: testdata main.cf files as Build") {
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::SourceDir() + "/testdata")) {
    if (!e.is_regular_file() || e.path().filename().string().rfind("main.cf", 0) != 0) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    CompareBuilders(ss.str());
    ++files;
  }
  CHECK(files > 50);
}

TEST_CASE("BuildInPlace: corpus main.cf files as Build", "[shared]") {
  if (!testing::CorpusPresent()) return;
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(testing::CorpusDir())) {
    if (!e.is_regular_file() || e.path().filename().string().find("main.cf") == std::string::npos) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    CompareBuilders(ss.str());
    ++files;
  }
  CHECK(files > 0);
}

TEST_CASE("BuildInPlace: joins continued values where they stand") {
  std::string bytes = "a = b\n# x\n  c\nd = e\n";
  MainCf m = MainCf::BuildInPlace(bytes);
  REQUIRE(m.Value("a") == std::optional<std::string_view>("b  c"));
  // The joined value sits at the raw value's start; d's bytes are untouched.
  CHECK(m.Value("a")->data() == bytes.data() + 4);
  CHECK(m.Value("d") == std::optional<std::string_view>("e"));
  CHECK(bytes.substr(14) == "d = e\n");
}

TEST_CASE("show output: printable in place and normalised space as the originals") {
  std::mt19937 rng(7);
  for (int round = 0; round < 5000; ++round) {
    std::string text(rng() % 80, ' ');
    for (char& c : text) c = static_cast<char>(rng() % 256);
    if (round % 2 == 0) {
      for (char& c : text) c = static_cast<char>(0x1e + rng() % 0x63);  // mostly printable
    }
    std::string prefix = "prefix:";
    std::string in_place = prefix + text;
    MakePrintableFrom(in_place, prefix.size());
    CHECK(in_place == prefix + Printable(text));
    std::string normalized = "x";
    AppendNormalizedSpace(normalized, text);
    CHECK(normalized == "x" + NormalizeSpace(text));
  }
}
