// PV106 invalid-value: a parameter value the daemons refuse when they read
// it: a time without a valid unit, a number that is no number or is out of
// bounds, a boolean other than yes/no, a word outside an enum, an empty
// value where one is required. The value is first expanded as the daemons
// would (main.cf scope, or the service's scope for a master.cf `-o`), under
// normal operation and under stress (${stress} = yes) when that changes
// it, then converted by CheckValue(), which gives Postfix's own fatal text.
// A daemon that meets such a value exits at start-up, so the service it
// runs stops. No fix: only the author knows the intended value.
#include <algorithm>

#include <fmt/format.h>

#include "src/facts/facts.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/value_check.hpp"

namespace postvet {
namespace {

using main_rules::MainFacts;

struct Verdict {
  std::string message;  // Postfix's fatal text
  std::string expanded;
  bool under_stress = false;
};

// Expands `raw` for parameter `info` in `scope` (not at all for RAW ones)
// and converts it, normally and under stress.
std::optional<Verdict> Judge(const ParamInfo& info, std::string_view raw, ParamContext& scope, bool is_raw) {
  if (is_raw) {
    if (std::optional<std::string> bad = CheckValue(info, raw)) return Verdict{*bad, std::string(raw), false};
    return std::nullopt;
  }
  MacroOutcome normal = scope.ExpandOutcome(raw);
  if (normal.error) return std::nullopt;  // PV107 and macro errors are reported elsewhere
  if (std::optional<std::string> bad = CheckValue(info, normal.value)) return Verdict{*bad, normal.value, false};
  ParamContext stressed = scope;
  stressed.SetStress("yes");
  MacroOutcome busy = stressed.ExpandOutcome(raw);
  if (busy.error || busy.value == normal.value) return std::nullopt;
  if (std::optional<std::string> bad = CheckValue(info, busy.value)) return Verdict{*bad, busy.value, true};
  return std::nullopt;
}

// At most 60 bytes of `text` for a message (cut at a UTF-8 boundary).
std::string Shown(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) return std::string(text);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

// The finding: the bad value (and what it expands to) for `what` ("smtpd_timeout",
// "-o smtpd_timeout of service submission/inet"), with Postfix's reaction as
// a detail note.
Diagnostic& Report(Sink& sink, Location where, const Verdict& v, std::string_view raw, std::string_view what,
                   std::string subject) {
  std::string message =
      v.expanded == raw
          ? fmt::format("\"{}\" is not a valid value for {}", Shown(raw), what)
          : fmt::format("\"{}\" expands to \"{}\"{}, not a valid value for {}", Shown(raw), Shown(v.expanded),
                        v.under_stress ? " under stress" : "", what);
  Diagnostic& diag = sink.Report(where, std::move(message), std::move(subject));
  diag.notes.push_back({{}, fmt::format("Postfix daemons stop at start-up with \"fatal: {}\"", v.message)});
  return diag;
}

const ParamInfo* Checkable(const ParamTable* table, std::string_view name, PostfixVersion v) {
  if (table == nullptr) return nullptr;
  const ParamInfo* info = table->Find(name);
  return info != nullptr && info->KnownIn(v) ? info : nullptr;
}

class InvalidValue : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV106",
            .slug = "invalid-value",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a value of the wrong type for its parameter (after expansion), which the daemons refuse",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.main_file() == nullptr) return;
    const ParamTable* table = main_rules::Params();
    MainFacts& facts = FactsOf(ctx).Main();
    const MainCf& m = facts.main_cf();
    for (uint32_t i : m.EffectiveInOrder()) {
      const MainCfDefinition& d = m.definitions()[i];
      const ParamInfo* info = Checkable(table, d.name, facts.version());
      if (info == nullptr || facts.IsHidden(d.name) || facts.defaults().IsReadOnly(d.name)) continue;
      bool raw = facts.defaults().IsRaw(d.name) || info->type == ParamType::kRaw;
      std::optional<Verdict> bad = Judge(*info, d.value, facts.scope(), raw);
      if (!bad) continue;
      Diagnostic& diag = Report(sink, {&facts.source(), d.value_begin, d.value_end}, *bad, d.value, d.name,
                                std::string(d.name));
      AddSourceNotes(m, facts.source(), d.value, raw, nullptr, &diag);
    }
  }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const InputFile* master = ctx.master_file();
    const ParamTable* table = main_rules::Params();
    if (master == nullptr || table == nullptr) return;
    const MasterService& service = ctx.master_cf().services[index];
    const Defaults& defaults = ctx.target().defaults();
    const PostfixVersion v = main_rules::TargetVersion(ctx);
    if (service.overrides.empty()) return;
    ParamContext scope = ctx.Params(&service);
    for (const MasterOverride& o : service.overrides) {
      if (!o.ok() || o.overridden) continue;
      const ParamInfo* info = Checkable(table, o.name, v);
      if (info == nullptr || defaults.IsReadOnly(o.name)) continue;
      bool raw = defaults.IsRaw(o.name) || info->type == ParamType::kRaw;
      std::optional<Verdict> bad = Judge(*info, o.value, scope, raw);
      if (!bad) continue;
      Diagnostic& diag = Report(sink, {master->source.get(), o.value_begin, o.value_end}, *bad, o.value,
                                fmt::format("-o {} of service {}", o.name, service.NameSpace()), o.name);
      if (ctx.main_file() != nullptr) {
        AddSourceNotes(ctx.main_cf(), *ctx.main_file()->source, o.value, raw, &service, &diag);
      }
    }
  }

 private:
  // Where the parameters this value expands come from, when main.cf sets
  // them (and `service`, if any, does not override them).
  static void AddSourceNotes(const MainCf& m, const Source& src, std::string_view raw, bool is_raw,
                             const MasterService* service, Diagnostic* diag) {
    if (is_raw) return;
    for (const MacroRef& r : ListMacroRefs(raw)) {
      if (main_rules::IsTestReference(raw, r.end)) continue;
      if (service != nullptr && service->FindOverride(r.name) != nullptr) continue;
      if (const MainCfDefinition* def = m.Find(r.name)) {
        // Located notes go before the detail note.
        auto first_detail = std::find_if(diag->notes.begin(), diag->notes.end(),
                                         [](const Note& n) { return n.location.source == nullptr; });
        diag->notes.insert(first_detail,
                           {{&src, def->value_begin, def->value_end}, fmt::format("{} is set here", r.name)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewInvalidValueRule() { return std::make_unique<InvalidValue>(); }

}  // namespace postvet
