// The engine (src/engine/engine.hpp) on a rule list the test builds itself:
// it runs exactly the rules it is given, dispatches them by subscription,
// applies the filter (select, ignore, severity, per-path ignores) and the
// suppression directives, reports unused directives (PV004) from the same
// list, and drops findings a subsuming rule makes at the same place. No
// registered rule is involved, so these cases pin the engine alone.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "src/config/lint_context.hpp"
#include "src/engine/engine.hpp"
#include "src/engine/rule.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/engine/unused_suppression.hpp"

namespace postvet {
namespace {

// Reports every main.cf parameter it is called for, at the start of the file.
class EveryParameter : public Rule {
 public:
  EveryParameter(std::string_view id, std::string_view slug, std::vector<std::string_view> subsumes = {})
      : id_(id), slug_(slug), subsumes_(std::move(subsumes)) {}
  RuleInfo info() const override { return {id_, slug_, Severity::kWarning, FixKind::kNone, "test rule", {}}; }
  Subscription subscription() const override { return {{}, {"*"}, false, false}; }
  std::vector<std::string_view> subsumes() const override { return subsumes_; }
  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const Source& src = *ctx.main_file()->source;
    size_t at = src.text().find(name);
    sink.Report({&src, static_cast<uint32_t>(at), static_cast<uint32_t>(at + name.size())},
                std::string(id_) + " saw " + std::string(name), std::string(name));
  }

 private:
  std::string_view id_;
  std::string_view slug_;
  std::vector<std::string_view> subsumes_;
};

// Reports once per configuration, at the first line that is no comment.
class OncePerConfig : public Rule {
 public:
  RuleInfo info() const override { return {"PV802", "once", Severity::kInfo, FixKind::kNone, "test rule", {}}; }
  Subscription subscription() const override { return {{}, {}, false, true}; }
  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const Source& src = *ctx.main_file()->source;
    size_t at = 0;
    while (at < src.text().size() && src.text()[at] == '#') at = src.text().find('\n', at) + 1;
    sink.Report({&src, static_cast<uint32_t>(at), static_cast<uint32_t>(at)}, "config seen");
  }
};

// PV004's registration, as rules/input/ has it: subscribes to nothing.
class Unused : public Rule {
 public:
  RuleInfo info() const override {
    return {kUnusedSuppressionId, "unused-suppression", Severity::kInfo, FixKind::kSafe, "test", {}};
  }
  Subscription subscription() const override { return {}; }
};

std::vector<RegisteredRule> TestRules() {
  std::vector<RegisteredRule> rules;
  auto add = [&](std::unique_ptr<Rule> rule) {
    RuleInfo info = rule->info();
    rules.push_back({info, std::move(rule)});
  };
  add(std::make_unique<Unused>());
  add(std::make_unique<EveryParameter>("PV801", "every-parameter"));
  add(std::make_unique<OncePerConfig>());
  add(std::make_unique<EveryParameter>("PV803", "precise", std::vector<std::string_view>{"PV801"}));
  return rules;
}

std::unique_ptr<LintContext> Context(const std::string& main_cf, ProjectConfig config = {}) {
  auto ctx = std::make_unique<LintContext>("cfg", std::move(config));
  ctx->AddFile(Source("cfg/main.cf", "cfg/main.cf", main_cf), FileKind::kMainCf);
  return ctx;
}

std::vector<std::string> Messages(const std::vector<Diagnostic>& ds) {
  std::vector<std::string> out;
  for (const Diagnostic& d : ds) out.push_back(std::string(d.rule_id) + ": " + d.message);
  return out;
}

RuleFilter Select(std::vector<std::string> select, std::vector<std::string> ignore = {}) {
  return RuleFilter(ProjectConfig{}, select, ignore);
}

TEST_CASE("the engine runs the rules it is given, each on what it subscribed to") {
  std::vector<RegisteredRule> rules = TestRules();
  auto ctx = Context("alpha = 1\nbeta = 2\n");
  CHECK(Messages(Lint(*ctx, Select({"PV801", "PV802"}), rules)) ==
        std::vector<std::string>{"PV802: config seen", "PV801: PV801 saw alpha", "PV801: PV801 saw beta"});
  // An empty rule list finds nothing, whatever the filter.
  CHECK(Lint(*ctx, RuleFilter(), std::vector<RegisteredRule>{}).empty());
}

TEST_CASE("the filter decides which rules run and how severe their findings are") {
  std::vector<RegisteredRule> rules = TestRules();
  auto ctx = Context("alpha = 1\n");
  CHECK(Messages(Lint(*ctx, Select({"PV8"}, {"once", "PV803"}), rules)) ==
        std::vector<std::string>{"PV801: PV801 saw alpha"});

  ProjectConfig config;
  config.severity["PV801"] = Severity::kError;
  config.path_ignores.push_back({"cfg/*", {"PV802"}});
  std::vector<Diagnostic> found = Lint(*ctx, RuleFilter(config, {"PV801", "PV802"}, {}), rules);
  REQUIRE(found.size() == 1);
  CHECK(found[0].rule_id == "PV801");
  CHECK(found[0].severity == Severity::kError);
}

TEST_CASE("a subsuming rule's finding at the same place replaces the weaker one") {
  std::vector<RegisteredRule> rules = TestRules();
  auto ctx = Context("alpha = 1\n");
  CHECK(Messages(Lint(*ctx, Select({"PV801", "PV803"}), rules)) == std::vector<std::string>{"PV803: PV803 saw alpha"});
  CHECK(Messages(Lint(*ctx, Select({"PV801"}), rules)) == std::vector<std::string>{"PV801: PV801 saw alpha"});
}

TEST_CASE("directives silence findings; the ones that silence nothing are PV004") {
  std::vector<RegisteredRule> rules = TestRules();
  auto ctx = Context(
      "# postvet: disable=PV801\n"
      "alpha = 1\n"
      "# postvet: disable=every-parameter,PV802\n"
      "beta = 2\n"
      "# postvet: disable=PV999\n"
      "gamma = 3\n");
  std::vector<std::string> got = Messages(Lint(*ctx, Select({"PV801", "PV004"}), rules));
  CHECK(got == std::vector<std::string>{
                   "PV004: `disable=PV802` silenced nothing",
                   "PV004: `PV999` names no postvet rule",
                   "PV801: PV801 saw gamma",
               });
}

TEST_CASE("a directive naming a rule that is not selected is still checked") {
  // PV802 is not selected, yet it runs so that PV004 knows its directive
  // silenced something; its finding is then dropped.
  std::vector<RegisteredRule> rules = TestRules();
  auto ctx = Context("# postvet: disable=PV802\nalpha = 1\n");
  CHECK(Messages(Lint(*ctx, Select({"PV004"}), rules)).empty());
}

}  // namespace
}  // namespace postvet
