// PV905 dnsbl-timeout: some of the live probe's queries to the zone got no
// answer at all: not within the per-try timeout after every retry, not
// before the probe's global deadline, or no server could be reached. For
// Postfix each such lookup waits for the resolver's full timeout and then
// counts as "not listed": the list blocks nothing and delays the session.
// No fix: the list may be down for a while, or the network path blocked.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/probe/probe_rule_util.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class DnsblTimeout : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV905",
            .slug = "dnsbl-timeout",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "no answer within the timeout after retries",
            .doc = {}};
  }
  // Runs on every lint, but reports only with probe results (probe_rule_util.hpp).
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    probe_rules::ReportVerdict(
        ctx, sink, probe::Verdict::kTimeout,
        [](const dnsbl::DnsblList&, const dnsbl::DnsblUse& use,
           const probe::ZoneReport& zone) -> std::optional<probe_rules::Message> {
          return probe_rules::Message{
              fmt::format("{} does not answer", use.CanonicalZone()),
              {zone.reason, fmt::format("a lookup that gets no answer waits for the resolver's whole timeout and "
                                        "then counts as not listed, so {} delays each {} and blocks nothing",
                                        dnsbl::Describe(use), dnsbl::LookedUp(use.check))}};
        },
        /*fix=*/false);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblTimeoutRule() { return std::make_unique<DnsblTimeout>(); }

}  // namespace postvet
