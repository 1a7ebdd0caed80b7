// PV208 dnsbl-needs-registration: a zone the catalogue marks as answering
// only registered resolvers or paying subscribers (Barracuda's
// b.barracudacentral.org, Spamhaus DQS keyed zones, the MAPS lists). Other
// resolvers get SERVFAIL, refusals or nothing, which smtpd treats as a
// lookup error (the check does nothing) and postscreen as not listed, so
// the entry silently does nothing until the registration is done. Reported
// once per zone, at its first use, with notes at the others. No fix.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;

class DnsblNeedsRegistration : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV208",
            .slug = "dnsbl-needs-registration",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "the list answers only registered/paid resolvers (e.g. Barracuda, Spamhaus DQS)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const dnsbl::Catalogue* zones = dnsbl::Zones();
    if (zones == nullptr) return;
    dnsbl::Findings found;
    std::vector<std::pair<std::string, Diagnostic*>> by_zone;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      for (const DnsblUse& use : list.uses) {
        if (!use.ok() || use.zone_location.source == nullptr) continue;
        const dnsbl::ZoneInfo* info = zones->Find(use.zone);
        if (info == nullptr || !info->needs_registration || info->IsDead()) continue;
        const std::string zone = use.CanonicalZone();
        Diagnostic* first = nullptr;
        for (auto& [z, d] : by_zone) {
          if (z == zone) first = d;
        }
        if (first != nullptr) {
          if (found.At(use.zone_location) == nullptr) {
            dnsbl::Findings::AddNotes(first, {{use.zone_location, fmt::format("also used by {} here",
                                                                              dnsbl::ListName(list))}});
          }
          continue;
        }
        std::string what = info->IsKeyed()
                               ? "answers only queries that carry an active access key (the first label)"
                               : "answers only resolvers registered with its operator, or paying subscribers";
        Diagnostic& d = found.Add(use.zone_location, fmt::format("{} {}", zone, what), zone);
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        dnsbl::Findings::AddNotes(&d, probe.notes);
        dnsbl::AddDetail(&d, fmt::format("from other resolvers queries fail or come back empty, and {} silently "
                                         "does nothing",
                                         dnsbl::Describe(use)));
        dnsbl::AddDetail(&d, info->note);
        by_zone.emplace_back(zone, &d);
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblNeedsRegistrationRule() { return std::make_unique<DnsblNeedsRegistration>(); }

}  // namespace postvet
