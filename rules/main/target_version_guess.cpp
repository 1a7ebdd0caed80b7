// PV114 target-version-guess: no Postfix version was given (neither
// --postfix-version nor postfix_version in .postvet.cf) and main.cf's
// compatibility_level names a later series than the default 3.7, so the
// configuration is judged against the series the level implies
// (TargetVersion::FromCompatibilityLevel): a compatibility_level of 3.10
// only makes sense on Postfix 3.10 or later. This info finding, on the
// compatibility_level line, says which series was taken, so that a reader
// of the report knows why a 3.10 parameter is not "unknown" and how to
// choose another target. No fix: the version is the user's choice.
#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/model/main_cf.hpp"

namespace postvet {
namespace {

class TargetVersionGuess : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV114",
            .slug = "target-version-guess",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "no Postfix version was given; compatibility_level implies a later one, which is the target",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {"compatibility_level"}, false, false}; }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    const TargetVersion& target = ctx.target();
    if (d == nullptr || !target.guessed() || ctx.main_file() == nullptr) return;
    Diagnostic& diag = sink.Report({ctx.main_file()->source.get(), d->value_begin, d->value_end},
                                   target.GuessSentence() + " (no --postfix-version or postfix_version was given)",
                                   std::string(name));
    diag.notes.push_back({{}, fmt::format("parameter names, defaults and restrictions are those of Postfix {}; set "
                                          "postfix_version in .postvet.cf (or --postfix-version) to judge the "
                                          "configuration for another release",
                                          target.version().ToString())});
  }
};

}  // namespace

std::unique_ptr<Rule> NewTargetVersionGuessRule() { return std::make_unique<TargetVersionGuess>(); }

}  // namespace postvet
