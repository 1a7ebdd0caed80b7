// RegexpTable: the loader's view of regexp:/pcre: tables. Expected warning
// texts and line numbers are the ones postmap 3.7.11 printed for the same
// input (format spec section 6 and section 11 cases 47-59, re-checked with
// postmap while writing these tests).
#include <catch2/catch.hpp>

#include "tests/table_fixture.hpp"

namespace postvet {
namespace {

using namespace std::string_literals;
using testing::LoadedTable;
using Strings = std::vector<std::string>;

constexpr TableType kRegexp = TableType::kRegexp;
constexpr TableType kPcre = TableType::kPcre;

TEST_CASE("case 48: %c%d% is pattern c with the unknown option d") {
  LoadedTable t("%c%d% OK pct\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 1: unknown regexp option \"d\": skipping this rule"});
  const TableEntry& e = t.table().entries().at(0);
  CHECK_FALSE(e.active);
  REQUIRE(e.pattern);
  CHECK(e.pattern->body == "c");
  CHECK(e.pattern->delimiter == '%');
  CHECK(e.pattern->flags() == "d");
  CHECK(t.Text(t.table().warnings()[0].range) == "d");
}

TEST_CASE("case 49: $1x names 1x, a bad replacement") {
  LoadedTable t("/(a)(b)?/ OK [$1x] [${1}x]\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 1: non-numeric replacement index \"1x\"",
                                "regexp map t, line 1: bad replacement syntax: skipping this rule"});
  CHECK_FALSE(t.table().entries()[0].active);
  CHECK(t.Text(t.table().warnings()[0].range) == "$1x");
}

TEST_CASE("case 50: $0 wording differs between regexp and pcre") {
  LoadedTable r("/(b)/ OK $0\n", kRegexp);
  CHECK(r.Warnings() == Strings{"regexp map t, line 1: out-of-range replacement index \"0\"",
                                "regexp map t, line 1: bad replacement syntax: skipping this rule"});
  LoadedTable p("/(b)/ OK $0\n", kPcre);
  CHECK(p.Warnings() == Strings{"pcre map t, line 1: out of range replacement index \"0\"",
                                "pcre map t, line 1: bad replacement syntax: skipping this rule"});
}

TEST_CASE("case 51: an indented rule inside IF continues the IF line") {
  LoadedTable t("if /^Subject:/\n  /spam/ REJECT x\nendif\n", kRegexp);
  CHECK(t.Warnings() ==
        Strings{"regexp map t, line 1: ignoring extra text after IF statement: \"/spam/ REJECT x\"",
                "regexp map t, line 1: do not prepend whitespace to statements between IF and ENDIF"});
  const auto& entries = t.table().entries();
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].kind == TableLineKind::kIf);
  CHECK(entries[0].active);
  CHECK(entries[0].extra_text() == "/spam/ REJECT x");
  CHECK(t.Text(entries[0].extra_range()) == "/spam/ REJECT x");
  CHECK(entries[1].kind == TableLineKind::kEndif);
  CHECK(entries[1].line == 3);
  CHECK(entries[0].partner == 1);
  CHECK(entries[1].partner == 0);
}

TEST_CASE("case 52: an IF that fails to compile is dropped but its ENDIF still counts") {
  const char* text = "if /a/\nif /(/\n/x/ OK inner\nendif\n/y/ OK after-inner-endif\nendif\n";
  LoadedTable t(text, kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 2: Unmatched ( or \\(",
                                "regexp map t, line 6: ignoring ENDIF without matching IF"});
  const auto& e = t.table().entries();
  REQUIRE(e.size() == 6);
  CHECK(e[0].active);
  CHECK_FALSE(e[1].active);                   // the broken IF
  CHECK(t.table().Scope(2) == std::vector<uint32_t>{0});  // /x/ sits inside /a/ only
  CHECK(e[3].partner == 0);                   // the inner ENDIF closes the outer IF
  CHECK(t.table().Scope(4).empty());                  // so /y/ is unconditional
  CHECK_FALSE(e[5].active);
  LoadedTable p(text, kPcre);
  CHECK(p.Warnings() ==
        Strings{"pcre map t, line 2: error in regex at offset 1: missing closing parenthesis",
                "pcre map t, line 6: ignoring ENDIF without matching IF"});
}

TEST_CASE("a bare if is dropped like a broken one (r39)") {
  LoadedTable t("if /a/\nif\n/x/ OK\nendif\n/y/ OK y\nendif\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 2: no regexp: skipping this rule",
                                "regexp map t, line 6: ignoring ENDIF without matching IF"});
  CHECK(t.table().Scope(4).empty());
}

TEST_CASE("case 53: IF has no matching ENDIF, at the IF's line") {
  LoadedTable t("if /a/\nif /b/\n/c/ OK abc\nendif\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 1: IF has no matching ENDIF"});
  const auto& e = t.table().entries();
  CHECK(t.table().Scope(2) == std::vector<uint32_t>{0, 1});
  CHECK(e[2].parent == 1);
  CHECK(e[2].depth == 2);
  CHECK(t.table().Scope(1) == std::vector<uint32_t>{0});
  CHECK(t.table().ListedScope(2) == std::vector<uint32_t>{0, 1});
  CHECK(e[0].partner == TableEntry::kNoEntry);
  CHECK(e[1].partner == 3);
}

TEST_CASE("unclosed IFs are reported innermost first") {
  LoadedTable t("if /a/\n/x/ OK\nif /b/\n", kPcre);
  CHECK(t.Warnings() == Strings{"pcre map t, line 3: IF has no matching ENDIF",
                                "pcre map t, line 1: IF has no matching ENDIF"});
}

TEST_CASE("case 54: /a/!/b/ is two patterns in regexp, an unknown option in pcre") {
  LoadedTable r("/^Subject:/!/ham/ REJECT not ham\n", kRegexp);
  CHECK(r.Warnings().empty());
  const TableEntry& e = r.table().entries()[0];
  CHECK(e.active);
  REQUIRE(e.second);
  CHECK(e.pattern->body == "^Subject:");
  CHECK(e.second->body == "ham");
  CHECK(e.second->negated());
  CHECK_FALSE(e.pattern->negated());
  CHECK(r.Text(e.second->negation_range) == "!");
  CHECK(r.Text(e.second->range) == "/ham/");
  CHECK(e.result == "REJECT not ham");
  LoadedTable p("/^Subject:/!/ham/ REJECT not ham\n", kPcre);
  CHECK(p.Warnings() == Strings{"pcre map t, line 1: unknown regexp option \"!\": skipping this rule"});
}

TEST_CASE("/a/ !/b/ is one pattern and a result: the '!' must follow the flags") {
  LoadedTable r("/a/ !/b/ R\n", kRegexp);
  CHECK(r.Warnings().empty());
  CHECK_FALSE(r.table().entries()[0].second);
  CHECK(r.table().entries()[0].result == "!/b/ R");
}

TEST_CASE("case 55: no replacement text") {
  LoadedTable t("/x/\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 1: no replacement text: using empty string"});
  CHECK(t.table().entries()[0].active);
  CHECK(t.table().entries()[0].result.empty());
}

TEST_CASE("case 56: delimiters and unrecognized requests") {
  LoadedTable t("_x_ OK underscore\n1/x/ OK\nfoo bar\n", kRegexp);
  CHECK(t.Warnings() == Strings{"regexp map t, line 2: ignoring unrecognized request",
                                "regexp map t, line 3: ignoring unrecognized request"});
  CHECK(t.table().entries()[0].pattern->delimiter == '_');
  CHECK(t.table().entries()[0].pattern->body == "x");
  auto bad = t.table().BadLines();
  REQUIRE(bad.size() == 2);
  CHECK(bad[0]->line == 2);
  CHECK(t.Text(bad[1]->range) == "foo bar");
}

TEST_CASE("case 57: pcre X is obsolete but the rule stays") {
  LoadedTable t("/e/X OK X\n", kPcre);
  CHECK(t.Warnings() == Strings{"pcre map t, line 1: ignoring obsolete regexp option \"X\""});
  CHECK(t.table().entries()[0].active);
  LoadedTable r("/e/X OK X\n", kRegexp);
  CHECK(r.Warnings() == Strings{"regexp map t, line 1: unknown regexp option \"X\": skipping this rule"});
}

TEST_CASE("negation runs, flags toggles and ranges") {
  LoadedTable t("! !/abc/ii OK\n!aba OK\n!#x# OK\n", kRegexp);
  CHECK(t.Warnings().empty());
  const auto& e = t.table().entries();
  REQUIRE(e.size() == 3);
  CHECK(e[0].pattern->negations == 2);
  CHECK_FALSE(e[0].pattern->negated());
  CHECK(e[0].pattern->options == DefaultRegexOptions(RegexDialect::kPosix));  // ii cancels
  CHECK(t.Text(e[0].pattern->negation_range) == "! !");
  CHECK(t.Text(e[0].pattern->body_range) == "abc");
  CHECK(t.Text(e[0].pattern->flags_range) == "ii");
  CHECK(t.Text(e[0].result_range) == "OK");
  CHECK(e[1].pattern->delimiter == 'a');
  CHECK(e[1].pattern->body == "b");
  CHECK(e[1].pattern->negated());
  CHECK(e[2].pattern->body == "x");
}

TEST_CASE("continuations, CRLF, trailing space and NUL") {
  const std::string text =
      "/^Subject:/\r\n"
      "# comment inside\r\n"
      "  REJECT multi\r\n"
      "\r\n"
      "   line text  \r\n"
      "/a/ OK before\0after\n"
      "/b\0/ OK\n"s;  // std::string literal: keeps the NULs
  LoadedTable t(text, kRegexp);
  const auto& e = t.table().entries();
  REQUIRE(e.size() == 3);
  // The CR of each physical line stays; only the end of the logical line is trimmed.
  CHECK(e[0].result == "REJECT multi\r   line text");
  CHECK(e[0].line == 1);
  CHECK(e[1].line == 6);
  CHECK(e[1].result == "OK before");
  CHECK(t.Warnings() == Strings{"regexp map t, line 7: no closing regexp delimiter \"/\": skipping this rule"});
}

TEST_CASE("a first line that starts with whitespace is discarded") {
  LoadedTable t("# c\n  /a/ OK\n/b/ OK\n", kPcre);
  CHECK(t.Warnings() == Strings{"t: logical line must not start with whitespace: \"  /a/ OK\""});
  CHECK(t.table().entries()[0].kind == TableLineKind::kLeading);
  CHECK(t.table().entries()[1].active);
  LoadedTable long_line("  /0123456789012345678901234567890/ OK\n", kRegexp);
  CHECK(long_line.Warnings() ==
        Strings{"t: logical line must not start with whitespace: \"  /012345678901234567890123456...\""});
}

TEST_CASE("unterminated patterns: wording differs; the regexp trailing-backslash quirk") {
  LoadedTable r("/abc\\\n", kRegexp);  // taken as pattern "abc" with no result
  CHECK(r.Warnings() == Strings{"regexp map t, line 1: no replacement text: using empty string"});
  CHECK(r.table().entries()[0].pattern->body == "abc");
  LoadedTable p("/abc\\\n", kPcre);
  CHECK(p.Warnings() == Strings{"pcre map t, line 1: no closing regexp delimiter \"/\": ignoring this rule"});
  LoadedTable n("!!\n", kPcre);
  CHECK(n.Warnings() == Strings{"pcre map t, line 1: no regexp: skipping this rule"});
}

TEST_CASE("replacement checks, in Postfix's order") {
  LoadedTable t(
      "/(a)/ OK $2\n"
      "!/(a)/ OK $1\n"
      "/(a)/ OK ${1\n"
      "/(a)/ OK cost 5$\n"
      "/(a)/ OK $x ${1} $y\n"
      "/(a/ OK $1\n"
      "/(a)/ $4294967295\n",
      kRegexp);
  CHECK(t.Warnings() ==
        Strings{"regexp map t, line 1: out of range replacement index \"2\": skipping this rule",
                "regexp map t, line 2: $number found in negative match replacement text: skipping this rule",
                "truncated macro reference: \"OK ${1\"",
                "regexp map t, line 3: bad replacement syntax: skipping this rule",
                "empty macro name: \"OK cost 5$\"",
                "regexp map t, line 4: bad replacement syntax: skipping this rule",
                // mac_parse stops at ${1} after the first error, so $y is not seen.
                "regexp map t, line 5: non-numeric replacement index \"x\"",
                "regexp map t, line 5: bad replacement syntax: skipping this rule",
                "regexp map t, line 6: Unmatched ( or \\(",
                "regexp map t, line 7: out of range replacement index \"-1\": skipping this rule"});
  for (const TableEntry& e : t.table().entries()) CHECK_FALSE(e.active);
}

TEST_CASE("$$ is a literal dollar; results without $n are stored with it") {
  LoadedTable t("/a/ OK $$HOME $${x}\n/(b)/ [$1] $$ [$(1)]\n", kPcre);
  CHECK(t.Warnings().empty());
  const auto& e = t.table().entries();
  CHECK(e[0].max_sub == 0);
  CHECK(t.table().Replacement(0).literal == "OK $HOME ${x}");
  CHECK(t.Query("a") == "OK $HOME ${x}");
  CHECK(e[1].max_sub == 1);
  CHECK(t.table().Replacement(1).max_sub == 1);
  CHECK(t.Query("b") == "[b] $ [b]");
}

TEST_CASE("ENDIF handling") {
  LoadedTable t("endif\nif !/a/\n/b/ OK\nENDIF extra\nIf/c/ x\nendif\n", kRegexp);
  CHECK(t.Warnings() ==
        Strings{"regexp map t, line 1: ignoring ENDIF without matching IF",
                "regexp map t, line 4: ignoring extra text after ENDIF",
                "regexp map t, line 5: ignoring extra text after IF statement: \"x\"",
                "regexp map t, line 5: do not prepend whitespace to statements between IF and ENDIF"});
  const auto& e = t.table().entries();
  CHECK(e[1].pattern->negated());
  CHECK(e[3].active);
  CHECK(t.Text(e[3].extra_range()) == "extra");
}

TEST_CASE("pcre compile errors and flags") {
  LoadedTable t("/a/imsxAEU OK\n/(?<x/ OK\n/a/q OK\n", kPcre);
  CHECK(t.Warnings() ==
        Strings{"pcre map t, line 2: error in regex at offset 4: syntax error in subpattern name (missing terminator?)",
                "pcre map t, line 3: unknown regexp option \"q\": skipping this rule"});
  CHECK(t.table().entries()[0].active);
}

TEST_CASE("PostfixIndex wraps like atoi()") {
  CHECK(PostfixIndex("1") == 1);
  CHECK(PostfixIndex("007") == 7);
  CHECK(PostfixIndex("4294967296") == 0);
  CHECK(static_cast<int>(static_cast<unsigned int>(PostfixIndex("99999999999"))) == 1215752191);
  CHECK(PostfixIndex("99999999999999999999999") == SIZE_MAX);
}

TEST_CASE("warnings are sanitised like msg_*") {
  CHECK(SanitizeMessage("caf\xe9\tx") == "caf??x");
  LoadedTable t("\xa7x\xa7 OK\n\xa7y\n", kRegexp);
  REQUIRE(t.Warnings().size() == 1);
  CHECK(SanitizeMessage(t.Warnings()[0]) ==
        "regexp map t, line 2: no closing regexp delimiter \"?\": skipping this rule");
}

TEST_CASE("the CST of a table has no overlapping siblings") {
  LoadedTable t("/a/ x\n/a/!b\n!!aba OK\n/a/! /b/ y\n", kRegexp);
  const Cst& cst = t.cst();
  for (uint32_t i = 0; i < cst.nodes().size(); ++i) {
    uint32_t prev_end = cst.node(i).begin;
    for (uint32_t c : cst.Children(i)) {
      CHECK(cst.node(c).begin >= prev_end);
      prev_end = cst.node(c).end;
    }
  }
}

}  // namespace
}  // namespace postvet

namespace postvet {
namespace {

TEST_CASE("deep IF nesting: the listed scope is capped, Scope() is complete") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "if /a/\n";
  text += "/a/ deep\n";
  testing::LoadedTable t(text, TableType::kPcre);
  const TableEntry& rule = t.table().entries().back();
  CHECK(rule.depth == 100);
  std::vector<uint32_t> listed = t.table().ListedScope(100);
  CHECK(listed.size() == TableEntry::kMaxListedScope);
  CHECK(listed.front() == 100 - TableEntry::kMaxListedScope);
  CHECK(listed.back() == 99);
  size_t visited = 0;
  CHECK_FALSE(t.table().AnyListedScope(100, [&](uint32_t) { return ++visited, false; }));
  CHECK(visited == TableEntry::kMaxListedScope);
  std::vector<uint32_t> full = t.table().Scope(100);
  REQUIRE(full.size() == 100);
  CHECK(full.front() == 0);
  CHECK(full.back() == 99);
  CHECK(t.Warnings().size() == 100);  // every IF is unclosed
  CHECK(t.Query("a") == "deep");
}

}  // namespace
}  // namespace postvet
