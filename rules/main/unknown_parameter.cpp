// PV101 unknown-parameter: a main.cf name that the target Postfix does not
// know, exactly where postconf says "unused parameter" (postconf_unused.c):
// not built in, not service-derived from master.cf, and not a user-defined
// name that something uses as `$name` (or lists in smtpd_restriction_classes).
// Every daemon silently ignores such a setting, so a typo disables the
// setting the author meant. A note suggests the nearest known name; the
// message says so when the name belongs to a newer Postfix ("needs Postfix
// ≥ X.Y") or was removed. Names PV105 reports (renamed or obsolete
// parameters) are left to it. No fix: which name was meant is a guess.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/facts/facts.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"
#include "src/model/name_suggester.hpp"

namespace postvet {
namespace {

using main_rules::MainFacts;

// The `<service>_...` suffixes postconf derives for delivery services:
// without a master.cf postvet cannot tell whether such a name is used.
std::vector<std::string> ServiceSuffixes(const Defaults& defaults) {
  MasterServiceInfo probe;
  probe.service = "x";
  probe.command = "pipe";
  std::vector<std::string> out;
  for (const auto& [name, value] : DeriveServiceParams({probe}, defaults)) out.push_back(name.substr(1));
  return out;
}

// The service part of `name` when it ends in a service-derived suffix.
std::optional<std::string_view> ServicePart(std::string_view name, const std::vector<std::string>& suffixes) {
  for (const std::string& s : suffixes) {
    if (name.size() > s.size() && name.ends_with(s)) return name.substr(0, name.size() - s.size());
  }
  return std::nullopt;
}

// Why a `<service>_<suffix>` name is not derived from master.cf.
std::string ServiceHint(const MainFacts& facts, std::string_view service) {
  for (const MasterServiceInfo& s : facts.services()) {
    if (s.service == service) {
      return fmt::format("master.cf service \"{}\" runs \"{}\", which takes no such setting", service,
                         s.command);
    }
  }
  return fmt::format("it would apply to a master.cf service \"{}\", but master.cf defines none", service);
}

class UnknownParameter : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV101",
            .slug = "unknown-parameter",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a main.cf name that Postfix does not know and nothing uses (postconf's \"unused parameter\")",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.main_file() == nullptr) return;
    const ParamTable* table = main_rules::Params();
    MainFacts& facts = FactsOf(ctx).Main();
    const PostfixVersion v = facts.version();
    // The target's own defaults table decides when one is embedded (3.5 to
    // 3.10); for other series the parameter table's availability does.
    const bool exact = ctx.target().exact_table();
    const std::vector<std::string> suffixes = ServiceSuffixes(facts.defaults());
    std::optional<NameSuggester> suggester;  // built on first need

    const MainCf& m = facts.main_cf();
    for (uint32_t i : m.EffectiveInOrder()) {
      const MainCfDefinition& d = m.definitions()[i];
      if (facts.IsHidden(d.name)) continue;  // read-only: postconf deletes it with its own warning
      Availability avail = Availability::kUnknown;
      bool builtin = facts.defaults().IsBuiltin(d.name);
      if (table != nullptr) {
        avail = table->AvailabilityIn(d.name, v);
        if (!exact && !(avail == Availability::kUnknown && table->Find(d.name) == nullptr)) {
          builtin = avail == Availability::kKnown;
        }
        if (main_rules::ObsoleteParameter(*table, d.name, v) != nullptr) continue;  // PV105's
      }
      if (builtin || facts.UserOrService(d.name)) continue;
      std::optional<std::string_view> service = ServicePart(d.name, suffixes);
      if (!facts.has_master() && service) continue;

      std::string message;
      std::string why;
      std::string service_hint;
      std::string suggestion;
      const ParamInfo* info = table != nullptr ? table->Find(d.name) : nullptr;
      if (avail == Availability::kTooNew && info != nullptr && info->since) {
        message = fmt::format("\"{}\" needs Postfix ≥ {} (the target is Postfix {})", d.name,
                              info->since->ToString(), v.ToString());
        why = fmt::format("Postfix {} ignores this setting", v.ToString());
      } else if (avail == Availability::kRemoved && info != nullptr && info->removed) {
        message = fmt::format("\"{}\" was removed in Postfix {}", d.name, info->removed->ToString());
        why = fmt::format("Postfix {} ignores this setting", v.ToString());
      } else {
        message = fmt::format("\"{}\" is not a Postfix {} parameter and nothing uses it as ${}", d.name,
                              v.ToString(), d.name);
        why = "Postfix ignores this setting";
        if (service) {
          service_hint = ServiceHint(facts, *service);
        } else {
          if (!suggester) suggester = Suggester(facts, table);
          suggestion = suggester->Nearest(d.name);
        }
      }
      Diagnostic& diag =
          sink.Report({&facts.source(), d.name_begin, d.name_end}, std::move(message), std::string(d.name));
      diag.notes.push_back({{}, why + " (postconf: \"unused parameter\")"});
      if (!service_hint.empty()) diag.notes.push_back({{}, std::move(service_hint)});
      if (!suggestion.empty()) diag.notes.push_back({{}, fmt::format("did you mean \"{}\"?", suggestion)});
    }
  }

 private:
  // Names the target version knows; then service-derived and validated user
  // names (the config's own, which the suggester caps).
  static NameSuggester Suggester(const MainFacts& facts, const ParamTable* table) {
    std::vector<std::string_view> builtin;
    if (table != nullptr) builtin = table->NamesKnownIn(facts.version());
    if (facts.ctx().target().exact_table()) {
      for (const DefaultEntry& e : facts.defaults().entries()) builtin.push_back(e.name);
    }
    std::vector<std::string_view> own;
    for (const auto& [name, value] : facts.service_params()) own.push_back(name);
    for (const std::string& name : facts.known().user) own.push_back(name);
    // Never suggest a legacy or obsolete name.
    auto legacy = [&](std::string_view n) {
      return facts.defaults().IsLegacy(n) ||
             (table != nullptr && main_rules::ObsoleteParameter(*table, n, facts.version()) != nullptr);
    };
    std::erase_if(builtin, legacy);
    std::erase_if(own, legacy);
    return NameSuggester(std::move(builtin), own);
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnknownParameterRule() { return std::make_unique<UnknownParameter>(); }

}  // namespace postvet
