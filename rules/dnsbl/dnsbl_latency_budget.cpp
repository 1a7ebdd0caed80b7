// PV207 dnsbl-latency-budget: the smtpd restriction lists of one scope
// (main.cf, or a smtpd service with its own `-o` lists) query more distinct
// DNS list zones than the budget (ProjectConfig::dnsbl_latency_budget,
// default 3). smtpd runs restrictions one after another and waits for each
// lookup (smtpd_check.c), so the waits add up in every session, and a slow
// or dead list adds its whole resolver timeout. postscreen queries all of
// postscreen_dnsbl_sites in parallel (one dnsblog request per zone) while
// the client waits for the greeting. Restriction classes are not counted:
// they run only when an access table names them. No fix.
#include <algorithm>

#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;

struct ScopeUses {
  const MasterService* scope = nullptr;
  std::vector<std::pair<const DnsblList*, const DnsblUse*>> first_uses;  // first use of each zone
};

size_t ParamOrder(std::string_view param) {
  const std::vector<std::string_view>& params = dnsbl::SmtpdRestrictionParams();
  return static_cast<size_t>(std::find(params.begin(), params.end(), param) - params.begin());
}

ScopeUses Collect(const std::vector<DnsblList>& lists, const MasterService* scope) {
  std::vector<const DnsblList*> in_scope;
  for (const DnsblList& list : lists) {
    if (list.kind == dnsbl::ListKind::kRestrictions && list.InScope(scope)) in_scope.push_back(&list);
  }
  std::stable_sort(in_scope.begin(), in_scope.end(),
                   [](const DnsblList* a, const DnsblList* b) { return ParamOrder(a->param) < ParamOrder(b->param); });
  ScopeUses out{scope, {}};
  std::vector<std::string> seen;
  for (const DnsblList* list : in_scope) {
    for (const DnsblUse& use : list->uses) {
      if (!use.ok()) continue;
      std::string zone = use.CanonicalZone();
      if (std::find(seen.begin(), seen.end(), zone) != seen.end()) continue;
      seen.push_back(zone);
      out.first_uses.emplace_back(list, &use);
    }
  }
  return out;
}

std::string Key(const ScopeUses& s) {
  std::string key;
  for (const auto& [list, use] : s.first_uses) {
    key += fmt::format("{}@{}:{};", use->CanonicalZone(), static_cast<const void*>(use->zone_location.source),
                       use->zone_location.begin);
  }
  return key;
}

class DnsblLatencyBudget : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV207",
            .slug = "dnsbl-latency-budget",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "smtpd restriction lists query more than N (default 3) distinct zones one after another",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const long budget = std::max(0L, ctx.config().dnsbl_latency_budget);
    const std::vector<DnsblList>& lists = FactsOf(ctx).DnsblLists();
    std::vector<const MasterService*> scopes = {nullptr};
    for (const DnsblList& list : lists) {
      if (list.kind != dnsbl::ListKind::kRestrictions) continue;
      std::vector<const MasterService*> candidates = list.also_services;
      if (list.service != nullptr) candidates.push_back(list.service);
      for (const MasterService* s : candidates) {
        if (std::find(scopes.begin(), scopes.end(), s) == scopes.end()) scopes.push_back(s);
      }
    }
    dnsbl::Findings found;
    std::vector<std::string> reported;
    for (const MasterService* scope : scopes) {
      ScopeUses uses = Collect(lists, scope);
      if (uses.first_uses.size() <= static_cast<size_t>(budget)) continue;
      std::string key = Key(uses);
      if (std::find(reported.begin(), reported.end(), key) != reported.end()) continue;
      reported.push_back(key);
      const auto& [over_list, over] = uses.first_uses[static_cast<size_t>(budget)];
      if (over->zone_location.source == nullptr || found.At(over->zone_location) != nullptr) continue;
      std::string names;
      for (const auto& [list, use] : uses.first_uses) names += (names.empty() ? "" : ", ") + use->CanonicalZone();
      Diagnostic& d = found.Add(over->zone_location,
                                fmt::format("smtpd in {} queries {} distinct DNS lists, more than the budget of {}",
                                            dnsbl::ScopeName(scope), uses.first_uses.size(), budget),
                                scope == nullptr ? "smtpd" : std::string(scope->name()));
      dnsbl::AddDetail(&d, fmt::format("it asks them ({}) one after another and waits for each answer, so the "
                                       "waits add up in every SMTP session, and a slow or dead list adds its whole "
                                       "resolver timeout",
                                       names));
      dnsbl::AddDetail(&d, "postscreen_dnsbl_sites queries its lists in parallel before smtpd is involved; "
                           "consider moving the IP lists there");
      size_t n = 0;
      for (const auto& [list, use] : uses.first_uses) {
        ++n;
        if (use->zone_location.source == nullptr) continue;
        d.notes.push_back({use->zone_location, fmt::format("lookup {}: {} in {}", n, use->CanonicalZone(),
                                                           dnsbl::ListName(*list))});
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblLatencyBudgetRule() { return std::make_unique<DnsblLatencyBudget>(); }

}  // namespace postvet
