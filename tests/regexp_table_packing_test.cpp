// Issue 20's packed table entries (regexp_table.hpp, "Memory"): every
// entry a table materialises is exactly the entry its builder computed
// (RegexpTable::BuildKeepingFullEntries()), for the fixture tables and for
// the inputs the packing cannot hold (joined lines, `/a/!/b/`, IF and ENDIF
// text, long lines, large `$n`), and the usual one-line rule is packed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/regexp_table.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

std::string TypeName(TableType type) { return type == TableType::kRegexp ? "regexp" : "pcre"; }

// Builds `text` from both trees and both residencies; checks that every
// entry, through every accessor, is the builder's own. Returns the number
// of fat entries of the last build.
size_t CheckPacked(const std::string& text, TableType type) {
  INFO(text.substr(0, 160) << " as " << TypeName(type));
  Source source = testing::MakeSource(text, "t");
  const Cst full_tree = ParseTable(source, type);
  const Cst lines_tree = ParseTableLines(source, type);
  size_t fat = 0;
  for (const Cst* cst : {&full_tree, &lines_tree}) {
    for (Residency residency : {Residency::kResident, Residency::kOnDemand}) {
      std::vector<TableEntry> full;
      RegexpTable built = RegexpTable::BuildKeepingFullEntries(*cst, type, residency, &full);
      const RegexpTable table = std::move(built);  // the entries must survive a move
      REQUIRE(table.size() == full.size());
      const TableEntries entries = table.entries();
      REQUIRE(entries.size() == full.size());
      uint32_t i = 0;
      for (const TableEntry& e : entries) {  // the iterator
        INFO("entry " << i << ", line " << full[i].line);
        const TableEntry& want = full[i];
        CHECK(SameEntry(e, want));
        CHECK(SameEntry(table.Entry(i), want));
        CHECK(SameEntry(entries[i], want));
        CHECK(table.Kind(i) == want.kind);
        CHECK(table.Active(i) == want.active);
        CHECK(table.Line(i) == want.line);
        CHECK(table.Parent(i) == want.parent);
        CHECK(table.Depth(i) == want.depth);
        CHECK(table.MaxSub(i) == want.max_sub);
        CHECK(table.Second(i) == want.second);
        const std::string_view result = table.ResultText(i);
        CHECK((result.data() == want.result.data() && result.size() == want.result.size()));
        const std::optional<TablePattern> pattern = table.Pattern(i);
        REQUIRE(pattern.has_value() == want.pattern.has_value());
        if (pattern) {
          TableEntry only = want;
          only.pattern = pattern;
          CHECK(SameEntry(only, want));
        }
        if (want.kind == TableLineKind::kIf || want.kind == TableLineKind::kEndif) {
          CHECK(table.Partner(i) == want.partner);
        }
        // Independent of the builder: the views say what the ranges say
        // when the line is one physical line.
        if (want.pattern && source.Slice(want.range.begin, want.range.end).find('\n') == std::string_view::npos) {
          CHECK(source.Slice(want.pattern->body_range.begin, want.pattern->body_range.end) == e.pattern->body);
          CHECK(source.Slice(want.result_range.begin, want.result_range.end) == e.result);
        }
        ++i;
      }
      CHECK(i == full.size());
      fat = table.FatEntries();
    }
  }
  return fat;
}

TEST_CASE("every fixture table materialises the entries its builder computed") {
  const std::filesystem::path root = std::filesystem::path(testing::SourceDir()) / "testdata";
  REQUIRE(std::filesystem::is_directory(root));
  size_t files = 0;
  for (const auto& item : std::filesystem::recursive_directory_iterator(root)) {
    if (!item.is_regular_file() || item.file_size() > 200000) continue;
    const std::string name = item.path().filename().string();
    if (name == "main.cf" || name == "master.cf" || item.path().extension() == ".log") continue;
    std::ifstream in(item.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    INFO(item.path().string());
    for (TableType type : {TableType::kRegexp, TableType::kPcre}) CheckPacked(text.str(), type);
    ++files;
  }
  CHECK(files > 50);
}

TEST_CASE("the inputs a packed record cannot hold are kept exactly") {
  const std::string long_body(70000, 'a');
  const std::string many_bangs(70000, '!');
  const std::vector<std::string> cases = {
      // joined lines, comments and blank lines inside a logical line
      "/a\n  b/ REJECT x\n  and more\n/c/ OK\n",
      "/a\n  # comment\n\n  b/i REJECT x\n/c/ OK",
      // IF nesting, dropped IFs, extra text, ENDIF without IF
      "if /^Subject:/\nif !/x/\n/a/ R\nendif\nendif\nendif extra\nif /[/\n/b/ OK\nendif\nIF /c/ extra text\nENDIF\n",
      "if /a/\n  /b/ REJECT indented\nendif\n  more\nif /(/\nendif\n",
      // `/a/!/b/` forms, the second with an unknown flag, a pcre '!'
      "/a/!/b/ R\n/a/i!!/b/x R\n!/a/!/b/q R\n/a/! /b/ R\n/a/!\n/x/!/(/ R\n",
      // flags, unknown and obsolete ones, negations with blanks
      "/a/imx R\n/a/ii R\n/a/sAEUX R\n/a/q R\n! ! !/a/ R\n!!/a/ R\n!\n",
      // results: none, `$n`, bad syntax, a `$n` past 255, past the groups
      "/a/\n/(a)/ $1\n/(a)/ ${1\n/a/ $$ $1\n/(a)/ $300\n/(a)/ $99999\n!/(a)/ $1\n/x/ $0\n",
      // NULs, CRLF, trailing blanks, leading whitespace, unrecognized lines
      std::string("/a\0b/ OK\n/c/ R\0ES\n/d/\0\n", 23) + "/e/ OK\r\n/f/ OK \t\n",
      "  lead /x/ OK\n/a/ OK\n1/x/ OK\nfoo\n%x% OK\n_x_ OK\n\n\n",
      // a backslash at the end, an empty body, other delimiters
      "/a\\\n/b\\/ OK\n// OK\n#x# OK\n|a|i OK\n",
      // lines longer than 16-bit offsets reach
      "/" + long_body + "/ OK\n/short/ OK\n",
      "/x/ " + long_body + "\n/y/ R\n",
      many_bangs + "/z/ OK\n/y/ OK\n",
      "if /" + long_body + "/\n/a/ OK\nendif " + long_body + "\n",
  };
  for (const std::string& text : cases) {
    for (TableType type : {TableType::kRegexp, TableType::kPcre}) CheckPacked(text, type);
  }
}

TEST_CASE("deep IF nesting keeps parents, depths and partners") {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "if /^X" + std::to_string(i) + ":/\n";
  text += "/a/ OK\n";
  for (int i = 0; i < 100; ++i) text += "endif\n";
  text += "endif\n";
  for (TableType type : {TableType::kRegexp, TableType::kPcre}) CheckPacked(text, type);
}

TEST_CASE("one-line rules are packed, the rare forms are not") {
  std::string text;
  for (int i = 0; i < 300; ++i) text += "/^Subject:.*x" + std::to_string(i) + "/i REJECT rule " + std::to_string(i) + "\n";
  // The other one-line forms a record holds: flags, negations, IF and
  // ENDIF without text, no result, `$n`, dropped and unrecognized lines.
  text += "if /^From:/\n!/a/ DUNNO\nendif\n/(a)/ $1\n/a/imx R\n! ! /b/ R\n/c/\nif !/d/i\n/(e)(f)/ $2$1\n"
          "endif\n/g/q R\n/(/ R\nfoo\n/unclosed R\n#x#i OK\n/h/ \t\n";
  for (TableType type : {TableType::kRegexp, TableType::kPcre}) CHECK(CheckPacked(text, type) == 0);
  // A joined line, a second pattern, ENDIF text (kept whole even once
  // dropped: the ENDIF has no IF).
  CHECK(CheckPacked("/a\n  b/ OK\n/c/!/d/ R\nendif x\n", TableType::kRegexp) == 3);
}

TEST_CASE("SameEntry tells entries apart by every field") {
  const std::string text = "/a/i R\n";
  TableEntry base;
  base.pattern.emplace();
  base.pattern->body = std::string_view(text).substr(1, 1);
  base.result = std::string_view(text).substr(4, 1);
  CHECK(SameEntry(base, base));
  std::vector<TableEntry> changed(15, base);
  changed[0].kind = TableLineKind::kIf;
  changed[1].active = true;
  changed[2].line = 7;
  changed[3].range.end = 3;
  changed[4].pattern.reset();
  changed[5].pattern->negations = 1;
  changed[6].pattern->options = 1;
  changed[7].pattern->flags_range.end = 9;
  static const std::string elsewhere = "a";
  changed[8].pattern->body = elsewhere;  // the same bytes at another address
  changed[9].result = std::string_view(text).substr(4, 0);
  changed[10].result_range.begin = 2;
  changed[11].max_sub = 1;
  changed[12].parent = 0;
  changed[13].depth = 1;
  changed[14].partner = 2;
  for (const TableEntry& e : changed) CHECK_FALSE(SameEntry(e, base));
  TablePattern second;
  TableEntry with_second = base;
  with_second.second = &second;
  CHECK_FALSE(SameEntry(with_second, base));
  TableExtraText extra;
  TableEntry with_extra = base;
  with_extra.extra = &extra;
  CHECK_FALSE(SameEntry(with_extra, base));
}

}  // namespace
}  // namespace postvet
