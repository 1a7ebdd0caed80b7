// Tests of src/match/backtrack_risk (the shapes that backtrack without end
// and the common shapes that do not), of PV309 that reports them, and of
// the bound on regexec() for such patterns in regexp: tables.
#include "rules/registry.hpp"
#include "src/match/backtrack_risk.hpp"

#include <regex.h>

#include <chrono>
#include <string>

#include <catch2/catch.hpp>

#include "src/engine/engine.hpp"
#include "src/config/lint_context.hpp"
#include "src/match/regex_engine.hpp"

namespace postvet {
namespace {

std::optional<BacktrackRiskKind> Pcre(std::string_view p) {
  auto r = FindBacktrackRisk(p, true, true, true);
  return r ? std::optional(r->kind) : std::nullopt;
}
std::optional<BacktrackRiskKind> Posix(std::string_view p) {
  auto r = FindBacktrackRisk(p, false, true, true);
  return r ? std::optional(r->kind) : std::nullopt;
}

TEST_CASE("FindBacktrackRisk finds the classic shapes in both syntaxes") {
  for (auto find : {Pcre, Posix}) {
    CHECK(find("^(a|aa)*$") == BacktrackRiskKind::kOverlappingAlternatives);
    CHECK(find("(\\w|[0-9])+!") == BacktrackRiskKind::kOverlappingAlternatives);
    CHECK(find("(a+)+b") == BacktrackRiskKind::kNestedQuantifier);
    CHECK(find("^(\\w+\\s?)*$") == BacktrackRiskKind::kNestedQuantifier);
    CHECK(find("(.*a){25}") == BacktrackRiskKind::kNestedQuantifier);
    CHECK(find("(.{1,255}){1,255}$") == BacktrackRiskKind::kNestedQuantifier);
    CHECK(find("(a{0,255}b{0,255}c{0,255}){0,255}x") == BacktrackRiskKind::kNestedQuantifier);
    CHECK(find("((a)|b)*\\2") == BacktrackRiskKind::kBackreferenceUnderRepetition);
    CHECK(find("^(x)\\1*$") == BacktrackRiskKind::kBackreferenceUnderRepetition);
  }
  // ^(a|aa)*\1*$: the first construct is reported.
  auto r = FindBacktrackRisk("^(a|aa)*\\1*$", false, true, true);
  REQUIRE(r);
  CHECK(r->begin == 1);
  CHECK(r->end == 8);
  CHECK(r->what == "the alternatives of the repeated group (a|aa)* can match the same text");
}

TEST_CASE("FindBacktrackRisk leaves ordinary patterns alone") {
  for (auto find : {Pcre, Posix}) {
    CHECK_FALSE(find("^Subject:.*viagra.*now"));
    CHECK_FALSE(find("^Received: from ([a-z0-9-]+\\.)+example\\.com"));
    CHECK_FALSE(find("\\[([0-9]{1,3}\\.){3}[0-9]{1,3}\\]"));
    CHECK_FALSE(find("^Subject:.*(viagra|casino){1,3}"));
    CHECK_FALSE(find("^(\\w)\\1$"));
    CHECK_FALSE(find("^Subject:[[:space:][:alnum:]]+$"));
  }
  CHECK(Pcre("(ab|AC)+") == BacktrackRiskKind::kOverlappingAlternatives);  // caseless: a and A overlap
  CHECK_FALSE(FindBacktrackRisk("(ab|AC)+", true, true, false));
  CHECK_FALSE(Pcre("(a++)+b"));        // possessive
  CHECK_FALSE(Pcre("(?>a+)+b"));       // atomic
  CHECK_FALSE(Pcre("\\Q(a+)+\\E"));    // quoted
  CHECK_FALSE(FindBacktrackRisk("\\(a*\\)*", false, false, true));  // basic syntax: not analysed
}

TEST_CASE("FindBacktrackRisk stays bounded on hostile patterns") {
  std::string deep = std::string(20000, '(') + "a" + std::string(20000, ')');
  CHECK_FALSE(Pcre(deep));
  CHECK_FALSE(Pcre(std::string(1 << 20, 'a')));
  CHECK_FALSE(Pcre("(a|"));  // unbalanced: no verdict
}

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;
};

Linted LintTable(const std::string& text, FileKind kind) {
  Linted out;
  out.ctx = std::make_unique<LintContext>("d", ProjectConfig{});
  InputFile& f = out.ctx->AddFile(Source("d/t", "d/t", text), kind);
  f.used_by = {"header_checks"};
  out.diagnostics = Lint(*out.ctx, RuleFilter(ProjectConfig{}, {"PV309"}, {}));
  return out;
}

TEST_CASE("PV309 points at the construct, with the engine's consequence") {
  Linted l = LintTable("/^Subject: ok/ OK\n/^Subject:(\\s*\\w+)+$/ REJECT x\nif /((a)|b)*\\2/\n/c/ OK\nendif\n",
                       FileKind::kRegexpTable);
  REQUIRE(l.diagnostics.size() == 2);
  const Diagnostic& d = l.diagnostics[0];
  LineCol at = d.location.source->Locate(d.location.begin);
  CHECK(at.line == 2);
  CHECK(at.column == 11);
  CHECK(d.location.source->Slice(d.location.begin, d.location.end) == "(\\s*\\w+)+");
  CHECK(d.rule_id == "PV309");
  CHECK(d.message == "/^Subject:(\\s*\\w+)+$/ can backtrack catastrophically");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].location.source == nullptr);  // a detail note
  CHECK(d.notes[0].message ==
        "the repeated group (\\s*\\w+)+ holds the repetition \\w+, which can also match what follows it; on a long "
        "line the C library's regexec() (which has no limit) can run for minutes, stalling the Postfix process "
        "that applies the table");
  LineCol second = l.diagnostics[1].location.source->Locate(l.diagnostics[1].location.begin);
  CHECK(second.line == 3);
  CHECK(second.column == 13);
  REQUIRE(l.diagnostics[1].notes.size() == 1);
  CHECK(l.diagnostics[1].notes[0].message.find("the back-reference \\2 refers to a group inside a repetition") !=
        std::string::npos);

  Linted p = LintTable("/(a+)+b/ REJECT\n", FileKind::kPcreTable);
  REQUIRE(p.diagnostics.size() == 1);
  REQUIRE(p.diagnostics[0].notes.size() == 1);
  CHECK(p.diagnostics[0].notes[0].message.find(
            "PCRE2 stops at its match limit, Postfix logs \"match limit exceeded\"") != std::string::npos);

  CHECK(LintTable("/^Subject:[\\s\\w]+$/ REJECT\n/(a+)+(/ REJECT does not compile: PV302's\n",
                  FileKind::kRegexpTable)
            .diagnostics.empty());
}

TEST_CASE("regexec on a catastrophic pattern is stopped, ordinary ones run in place") {
  auto re = Regex::Compile(RegexDialect::kPosix, "^(a|aa)*\\1*$", REG_EXTENDED | REG_ICASE, false);
  REQUIRE(re.ok());
  auto start = std::chrono::steady_clock::now();
  MatchOutcome out = re.value()->Match(std::string(40, 'a'), 0);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(out.status == MatchStatus::kError);
  CHECK(out.error.find("regexec stopped by postvet") != std::string::npos);
  CHECK(seconds < 10);
  // Short input still gives the real answer.
  CHECK(re.value()->Match("aaa", 0).status == MatchStatus::kMatch);
  CHECK(re.value()->Match("aab", 0).status == MatchStatus::kNoMatch);
  auto groups = Regex::Compile(RegexDialect::kPosix, "^((a)|b)*\\2$", REG_EXTENDED, true);
  REQUIRE(groups.ok());
  MatchOutcome g = groups.value()->Match("abaa", 2);
  REQUIRE(g.status == MatchStatus::kMatch);
  REQUIRE(g.groups.size() == 3);
  CHECK(g.groups[2].begin == 2);
}

}  // namespace
}  // namespace postvet
