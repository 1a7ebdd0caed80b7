// PV901 dnsbl-dead: the live probe asked the zone for its RFC 5782 "listed"
// test point (127.0.0.2, or TEST for a domain list) and got NXDOMAIN,
// NODATA or SERVFAIL. Every working list answers that point with a listing,
// so the list is shut down, its zone lapsed, or its name misspelt.
// Fix (unsafe, like every probe-derived fix): delete the entry. A list that
// lists nothing never matches, so smtpd and postscreen would decide as
// before; but the verdict rests on answers seen once, at one moment.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/probe/probe_rule_util.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class DnsblDead : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV901",
            .slug = "dnsbl-dead",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "the RFC 5782 \"listed\" test point (127.0.0.2 / TEST) is not listed",
            .doc = {}};
  }
  // Runs on every lint, but reports only with probe results (probe_rule_util.hpp).
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    probe_rules::ReportVerdict(
        ctx, sink, probe::Verdict::kDead,
        [](const dnsbl::DnsblList&, const dnsbl::DnsblUse& use,
           const probe::ZoneReport& zone) -> std::optional<probe_rules::Message> {
          return probe_rules::Message{
              fmt::format("{} does not list its own test point", use.CanonicalZone()),
              {zone.reason,
               fmt::format("a list that does not list its own test point lists nobody, so {} never matches and "
                           "only adds a DNS lookup to each {}; a lapsed list domain can also be re-registered by "
                           "someone who makes it list everyone",
                           dnsbl::Describe(use), dnsbl::LookedUp(use.check))}};
        },
        /*fix=*/true);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblDeadRule() { return std::make_unique<DnsblDead>(); }

}  // namespace postvet
