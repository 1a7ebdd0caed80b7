// Tests of the engine's subsumption: one defect reported by two rules is
// reported once, by the rule that declares (Rule::subsumes()) that it is the
// more precise one, and only where both findings are at the same place.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

Diagnostic At(std::string_view rule, const Source& src, uint32_t begin, uint32_t end) {
  Diagnostic d;
  d.rule_id = rule;
  d.location = {&src, begin, end};
  return d;
}

std::vector<std::string_view> Rules(const std::vector<Diagnostic>& ds) {
  std::vector<std::string_view> out;
  for (const Diagnostic& d : ds) out.push_back(d.rule_id);
  return out;
}

TEST_CASE("every subsumption names a registered rule other than itself") {
  for (const RegisteredRule& r : Registry()) {
    for (std::string_view weaker : r.rule->subsumes()) {
      INFO(r.info.id << " subsumes " << weaker);
      const RegisteredRule* w = FindRule(weaker);
      REQUIRE(w != nullptr);
      CHECK(w->info.id != r.info.id);
    }
  }
}

TEST_CASE("DropSubsumed drops the less precise finding at the same place only") {
  Source a("a", "a", "line one\nline two\n");
  Source b("b", "b", "line one\n");
  std::vector<Diagnostic> ds = {
      At("PV001", a, 0, 8),   // overlaps PV403 below: dropped
      At("PV403", a, 0, 2),
      At("PV001", a, 9, 17),  // another line: kept
      At("PV001", b, 0, 8),   // another file: kept
      At("PV102", a, 0, 8),   // PV403 does not subsume PV102: kept
  };
  DropSubsumed(&ds);
  CHECK(Rules(ds) == std::vector<std::string_view>{"PV403", "PV001", "PV001", "PV102"});
  CHECK(ds[1].location.begin == 9);
  CHECK(ds[2].location.source == &b);
}

TEST_CASE("an empty range counts as the byte it points at") {
  Source a("a", "a", "xyz\n");
  std::vector<Diagnostic> ds = {At("PV403", a, 1, 1), At("PV001", a, 0, 3), At("PV001", a, 2, 3)};
  DropSubsumed(&ds);
  CHECK(Rules(ds) == std::vector<std::string_view>{"PV403", "PV001"});
}

TEST_CASE("an unindented -o line is reported by PV403 alone, not also as PV001's bad field count") {
  LintContext ctx("d", ProjectConfig{});
  ctx.AddFile(Source("d/master.cf", "d/master.cf",
                     "submission inet n       -       y       -       -       smtpd\n"
                     "-o smtpd_sasl_auth_enable=yes\n"
                     "bad line\n"),
              FileKind::kMasterCf);
  std::vector<Diagnostic> all = Lint(ctx, RuleFilter(ProjectConfig{}, {"PV001", "PV403"}, {}));
  const std::vector<std::string_view> ids = Rules(all);
  REQUIRE(std::count(ids.begin(), ids.end(), "PV403") == 1);
  // The other bad line is no PV403 case: PV001 still reports it.
  REQUIRE(std::count(ids.begin(), ids.end(), "PV001") == 1);
  for (const Diagnostic& d : all) {
    if (d.rule_id == "PV001") CHECK(d.location.source->Slice(d.location.begin, d.location.end) == "bad line");
  }
  // With PV403 not selected, PV001 reports both lines again.
  std::vector<Diagnostic> only = Lint(ctx, RuleFilter(ProjectConfig{}, {"PV001"}, {}));
  CHECK(only.size() == 2);
}

}  // namespace
}  // namespace postvet
