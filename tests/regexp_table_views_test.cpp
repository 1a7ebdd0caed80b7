// Issue 20's slim table entries: what an entry's views point at and how
// long they live, that a large table (patterns compiled on every core
// between the parse and the resolve pass) loads exactly like a small one,
// the cheap first look of the backtracking analysis, and the CST lookup the
// PV301 fix uses.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/match/backtrack_risk.hpp"
#include "src/match/compile_all.hpp"
#include "src/match/regcomp_cost.hpp"
#include "tests/table_fixture.hpp"

namespace postvet {
namespace {

using testing::LoadedTable;

// Whether `view` lies inside `text`'s buffer.
bool Inside(std::string_view view, std::string_view text) {
  return view.data() >= text.data() && view.data() + view.size() <= text.data() + text.size();
}

TEST_CASE("a one-line rule's pattern, flags and result are views into the source") {
  LoadedTable t("/^Subject:.*x/i REJECT spam\nif /^From:/\nendif trailing\n", TableType::kRegexp);
  const std::string_view src = t.source().text();
  const auto& e = t.table().entries();
  REQUIRE(e.size() == 3);
  REQUIRE(e[0].pattern);
  CHECK(e[0].pattern->body == "^Subject:.*x");
  CHECK(e[0].pattern->flags() == "i");
  CHECK(e[0].result == "REJECT spam");
  CHECK(Inside(e[0].pattern->body, src));
  CHECK(Inside(e[0].pattern->flags(), src));
  CHECK(Inside(e[0].result, src));
  CHECK(e[2].extra_text() == "trailing");
  CHECK(Inside(e[2].extra_text(), src));
  CHECK(t.Text(e[0].pattern->body_range) == e[0].pattern->body);
}

TEST_CASE("a continued rule's views are into its joined text, which moves with the table") {
  Source source("t", "t", "/a\n  b/ REJECT x\n  and more\n/c/ OK\n");
  Cst cst = ParseTable(source, TableType::kPcre);
  RegexpTable built = RegexpTable::Build(cst, TableType::kPcre);
  RegexpTable table = std::move(built);  // views must survive the move
  const auto& e = table.entries();
  REQUIRE(e.size() == 2);
  REQUIRE(e[0].pattern);
  CHECK(e[0].pattern->body == "a  b");
  CHECK(e[0].result == "REJECT x  and more");
  CHECK_FALSE(Inside(e[0].pattern->body, source.text()));
  // The ranges still point at the bytes in the file.
  CHECK(source.Slice(e[0].result_range.begin, e[0].result_range.end) == "REJECT x\n  and more");
  CHECK(Inside(e[1].result, source.text()));
  CHECK(Lookup(table, "a  b").value == "REJECT x  and more");
}

struct Seen {
  TableWarningCode code;
  uint32_t line;
  std::string text;
  bool operator==(const Seen& o) const { return code == o.code && line == o.line && text == o.text; }
};

// The load warnings of `text`, with line numbers less `shift`, and whether
// each entry is active, from entry `first` on.
std::pair<std::vector<Seen>, std::vector<bool>> Load(const std::string& text, TableType type, uint32_t shift,
                                                       size_t first, Residency residency = Residency::kResident) {
  LoadedTable t(text, type, residency);
  std::vector<Seen> warnings;
  for (const TableWarning& w : t.table().warnings()) {
    warnings.push_back({w.code, w.line - shift, w.text});
  }
  std::vector<bool> active;
  for (size_t i = first; i < t.table().entries().size(); ++i) active.push_back(t.table().entries()[i].active);
  return {warnings, active};
}

TEST_CASE("a large table loads exactly as the same rules one by one") {
  // Compile errors of IFs decide the scopes and ENDIF pairing; warnings of
  // the parse and of the compile interleave per line; a second pattern is
  // compiled after the first.
  const std::string tail =
      "if /(/\n/a/ OK\nendif extra\nendif\n/b/!/(/ R\n/(c)/ $2 x\n/(d)/ $1\nif /x/\nif /[/\n"
      "/e/ $$ ${1\nendif\n";
  for (TableType type : {TableType::kRegexp, TableType::kPcre}) {
    std::string filler;
    const uint32_t lines = static_cast<uint32_t>(kParallelCompileThreshold) + 10;
    for (uint32_t i = 0; i < lines; ++i) filler += "/f" + std::to_string(i) + "/ OK\n";
    auto small = Load(tail, type, 0, 0);
    auto large = Load(filler + tail, type, lines, lines);
    CHECK(large.first == small.first);
    CHECK(large.second == small.second);
    CHECK_FALSE(small.first.empty());
    // Built for linting (CheckAll(): group counts and errors, no Regex kept).
    auto small_lint = Load(tail, type, 0, 0, Residency::kOnDemand);
    auto large_lint = Load(filler + tail, type, lines, lines, Residency::kOnDemand);
    CHECK(small_lint == small);
    CHECK(large_lint == small);
  }
}

TEST_CASE("MayBacktrack: nothing to analyse without a group or a back-reference") {
  CHECK_FALSE(MayBacktrack("^Subject:.*viagra[0-9]*12\\b", false));
  CHECK_FALSE(MayBacktrack("a+b*c?\\.", true));
  CHECK_FALSE(MayBacktrack("\\(a+\\)+", true));  // escaped: literal parentheses
  CHECK(MayBacktrack("(a+)+", false));
  CHECK(MayBacktrack("\\\\(a+)+", false));  // an escaped backslash, then a group
  CHECK(MayBacktrack("a\\1", false));
  CHECK(MayBacktrack("a\\g{1}", true));
  CHECK_FALSE(MayBacktrack("a\\g{1}", false));
  // Every pattern the analysis reports passes the first look.
  for (std::string_view p : {"(a|aa)*", "(\\w+\\s?)*", "^(a|aa)*\\1*$", "((a)|b)*\\2", "(.{1,255}){1,255}$"}) {
    CHECK(FindBacktrackRisk(p, true, true, true).has_value());
    CHECK(MayBacktrack(p, true));
  }
}

// TopAt() and TopCount() against the root's children, for the full tree and
// for the linter's lines-only tree (flat unless a line is continued).
void CheckTopNodes(const Cst& cst, const RegexpTable& table) {
  const TableNodes nodes(cst);
  const std::vector<uint32_t> top = cst.Children(cst.root());
  REQUIRE(nodes.TopCount() == top.size());
  for (size_t i = 0; i < top.size(); ++i) CHECK(nodes.TopAt(i) == top[i]);
  for (const TableEntry& e : table.entries()) {
    const size_t at = nodes.FindPosition(e);
    REQUIRE(at != TableNodes::kNotFound);
    CHECK(nodes.TopAt(at) == nodes.Find(e));
    CHECK(cst.node(nodes.TopAt(at)).begin <= e.range.begin);
  }
  CHECK(nodes.FindPosition(table.entries().back()) == nodes.TopCount() - 1);
}

TEST_CASE("TableNodes::FindPosition gives the position of Find()'s node") {
  for (const char* text : {"# c\n/a/ OK\n\n/b/ OK\n  continued\n# d\n/c/ OK\n",  // a join: not flat
                           "# c\n/a/ OK\n\n/b/ OK\n# d\n/c/ OK\n# e\n/d/ OK",     // flat, no final LF
                           "/a/ OK\n"}) {
    INFO(text);
    LoadedTable t(text, TableType::kRegexp);
    CheckTopNodes(t.cst(), t.table());
    const Cst lines = ParseTableLines(t.table().source(), TableType::kRegexp);
    const RegexpTable from_lines = RegexpTable::Build(lines, TableType::kRegexp, Residency::kOnDemand);
    CheckTopNodes(lines, from_lines);
  }
}

TEST_CASE("a table built with compiled code on demand answers as a resident one") {
  const std::string text =
      "if /^subject:/\n/^Subject:(.*)(viagra|casino)(.*)/ REJECT $2 in $1$3\n/^Subject: x(y*)z/ OK [$1]\nendif\n"
      "!/^From:/ DUNNO not from\n/^From:.*a{3}/ WARN three\n/^From:(.*)/!/bob/ $1 is not bob\n/(a|aa)*b/ HOLD\n";
  const std::vector<std::string> keys = {"Subject: buy viagra now", "subject: xyyyz", "Subject: none", "To: a",
                                         "From: aaa", "From: carol", "From: bob", "From: ", "aaaab"};
  // Above kParallelCompileThreshold rules the build compiles the first
  // patterns between its passes (CheckAll() when on demand).
  std::string filler;
  for (size_t i = 0; i < kParallelCompileThreshold; ++i) filler += "/^X-Filler-" + std::to_string(i) + ":/ OK\n";
  for (const auto& [type, prefix] : {std::pair{TableType::kRegexp, std::string()},
                                     std::pair{TableType::kPcre, std::string()},
                                     std::pair{TableType::kRegexp, filler}, std::pair{TableType::kPcre, filler}}) {
    Source source("t", "t", prefix + text);
    Cst cst = ParseTable(source, type);
    RegexpTable resident = RegexpTable::Build(cst, type);
    RegexpTable on_demand = RegexpTable::Build(cst, type, Residency::kOnDemand);
    REQUIRE(resident.warnings().size() == on_demand.warnings().size());
    for (size_t i = 0; i < resident.entries().size(); ++i) {
      CHECK(resident.entries()[i].active == on_demand.entries()[i].active);
      const auto index = static_cast<uint32_t>(i);
      CHECK(resident.HasCompiled(index) == on_demand.HasCompiled(index));
      CHECK(resident.HasCompiled(index, true) == on_demand.HasCompiled(index, true));
    }
    for (const std::string& key : keys) {
      LookupResult a = Lookup(resident, key);
      LookupResult b = Lookup(on_demand, key);
      CHECK(a.found == b.found);
      CHECK(a.value == b.value);
      CHECK(a.entry == b.entry);
    }
    // regexp: only: pcre: has no `/a/!/b/` (the rule is skipped there).
    if (type == TableType::kRegexp) CHECK(Lookup(on_demand, "From: carol").value == " carol is not bob");
    CHECK(Lookup(on_demand, "Subject: buy viagra now").value == "REJECT viagra in  buy  now");
  }
}

TEST_CASE("a table built on demand compiles a pattern for a lookup without charging the budget again") {
  ResetRunRegcompBudget();
  LoadedTable t("/^Subject:.*(a|b){200}/ REJECT $1\n", TableType::kRegexp, Residency::kOnDemand);
  REQUIRE(t.table().HasCompiled(0));
  const uint64_t left = RunRegcompBudgetLeft();
  CHECK(left < kMaxRunUnrolledAtoms);  // the build was charged
  CHECK(Lookup(t.table(), "subject: " + std::string(200, 'b')).value == "REJECT b");
  Result<const Regex*> re = t.table().Compiled(0);
  REQUIRE(re.ok());
  CHECK((*re)->capture_count() == 1);
  CHECK(t.table().Compiled(0).value() == *re);  // compiled once, then kept
  CHECK(RunRegcompBudgetLeft() == left);
  ResetRunRegcompBudget();
}

TEST_CASE("a pattern compiled again on demand is not charged to the run's budget again") {
  ResetRunRegcompBudget();
  Result<std::shared_ptr<const Regex>> re =
      Regex::Compile(RegexDialect::kPosix, "^Subject:.*(a|b){200}", DefaultRegexOptions(RegexDialect::kPosix), true,
                     false, Residency::kOnDemand);
  REQUIRE(re.ok());
  const uint64_t left = RunRegcompBudgetLeft();
  CHECK(left < kMaxRunUnrolledAtoms);  // the first compile was charged
  MatchOutcome m = (*re)->Match("subject: abab", 1);
  CHECK(m.status == MatchStatus::kNoMatch);
  CHECK((*re)->Match("subject: " + std::string(200, 'a'), 1).status == MatchStatus::kMatch);
  CHECK(RunRegcompBudgetLeft() == left);
  CHECK((*re)->capture_count() == 1);
  ResetRunRegcompBudget();
}

}  // namespace
}  // namespace postvet
