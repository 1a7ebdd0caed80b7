// PV104 stress-override: a parameter whose built-in default adapts to
// overload (`${stress?{10}:{300}}s`; the master sets stress=yes when a
// service runs out of processes, spec 8.2) set in main.cf to a value that
// does not. Under a flood of connections Postfix then keeps the generous
// normal-mode timeouts and limits, which is exactly when it needs the
// short ones. Fires only when the value loses something: it must expand to
// the same text with and without stress, and differ from the default's
// stress-mode value. Fix (unsafe: changes behaviour under stress): wrap the
// value as `${stress?{STRESS_DEFAULT}:{VALUE}}`, inserting text before and
// after the value bytes only; offered when the wrapped value expands,
// as Postfix would, to the old value normally and to the default under
// stress.
#include <fmt/format.h>

#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/param_context.hpp"

namespace postvet {
namespace {

// `value` expanded in `pc` with stress set to `stress`; nullopt on error.
std::optional<std::string> ExpandWithStress(ParamContext pc, std::string_view value, const char* stress) {
  pc.SetStress(std::string(stress));
  MacroOutcome o = pc.ExpandOutcome(value);
  if (o.error) return std::nullopt;
  return std::move(o.value);
}

class StressOverride : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV104",
            .slug = "stress-override",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "a parameter whose default adapts to ${stress} is set to a value that does not",
            .doc = {}};
  }
  Subscription subscription() const override {
    Subscription sub{{}, {}, false, false};
    if (const ParamTable* table = main_rules::Params()) {
      for (const ParamInfo* p : table->StressDependent()) sub.parameters.push_back(p->name);
    }
    return sub;
  }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const ParamTable* table = main_rules::Params();
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    if (table == nullptr || d == nullptr || d->value.empty()) return;
    const ParamInfo* info = table->Find(name);
    if (info == nullptr || !info->stress_default || !info->renamed_to.empty()) return;
    const PostfixVersion v = main_rules::TargetVersion(ctx);
    if (main_rules::ObsoleteParameter(*table, name, v) != nullptr || !info->KnownIn(v)) return;

    // The default's two faces, with nothing from main.cf.
    const Defaults& defaults = ctx.target().defaults();
    std::optional<std::string_view> default_text = defaults.Default(name);
    if (!default_text) return;
    static const MainCf kNoMainCf;
    ParamContext bare(kNoMainCf, defaults);
    std::optional<std::string> stress_default = ExpandWithStress(bare, *default_text, "yes");
    std::optional<std::string> normal_default = ExpandWithStress(bare, *default_text, "");
    if (!stress_default || !normal_default || *stress_default == *normal_default) return;

    ParamContext scope = ctx.Params();
    std::optional<std::string> under_stress = ExpandWithStress(scope, d->value, "yes");
    std::optional<std::string> normal = ExpandWithStress(scope, d->value, "");
    if (!under_stress || !normal) return;                // PV107/PV106 territory
    if (*under_stress != *normal) return;                // already adapts
    if (*under_stress == *stress_default) return;        // already the overload value

    const Source& src = *ctx.main_file()->source;
    Diagnostic& diag = sink.Report(
        {&src, d->value_begin, d->value_end},
        fmt::format("{} = {} replaces a default that adapts to overload", name, d->value), std::string(name));
    diag.notes.push_back({{}, fmt::format("the default is {}: under stress Postfix keeps {} instead of {}, which "
                                          "helps an attacker or a flood hold connections",
                                          *default_text, *normal, *stress_default)});

    std::string prefix = fmt::format("${{stress?{{{}}}:{{", *stress_default);
    std::string wrapped = prefix + std::string(d->value) + "}}";
    std::optional<std::string> new_stress = ExpandWithStress(scope, wrapped, "yes");
    std::optional<std::string> new_normal = ExpandWithStress(scope, wrapped, "");
    if (new_stress && new_normal && *new_stress == *stress_default && *new_normal == *normal) {
      diag.fix = Fix{Applicability::kUnsafe,
                     fmt::format("use {} under stress and {} otherwise", *stress_default, d->value),
                     {Edit{&src, d->value_begin, d->value_begin, prefix},
                      Edit{&src, d->value_end, d->value_end, "}}"}}};
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewStressOverrideRule() { return std::make_unique<StressOverride>(); }

}  // namespace postvet
