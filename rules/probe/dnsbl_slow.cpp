// PV904 dnsbl-slow: the live probe's answers from the zone took longer than
// the threshold (`--slow`, default 200 ms) at the 95th percentile. smtpd
// asks its DNS lists one after another and waits for each answer
// (smtpd_check.c), so a slow list adds its delay to every session that
// reaches it; postscreen asks all its lists at once and waits for the
// slowest, up to postscreen_dnsbl_timeout.
// No fix: the cause is the network path or the list's servers.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/probe/probe_rule_util.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class DnsblSlow : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV904",
            .slug = "dnsbl-slow",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "p95 answer time above the threshold (default 200 ms)",
            .doc = {}};
  }
  // Runs on every lint, but reports only with probe results (probe_rule_util.hpp).
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    probe_rules::ReportVerdict(
        ctx, sink, probe::Verdict::kSlow,
        [](const dnsbl::DnsblList& list, const dnsbl::DnsblUse& use,
           const probe::ZoneReport& zone) -> std::optional<probe_rules::Message> {
          std::string cost =
              list.kind == dnsbl::ListKind::kPostscreenSites
                  ? std::string("postscreen waits for its slowest DNS list, so this one sets how long each "
                                "connection waits for its DNSBL score")
                  : fmt::format("smtpd waits for each DNS list lookup in turn, so {} adds about this much to "
                                "every session that reaches it",
                                dnsbl::Describe(use));
          return probe_rules::Message{
              fmt::format("{} is slow", use.CanonicalZone()),
              {zone.reason, std::move(cost), "a local caching resolver or a nearer mirror helps"}};
        },
        /*fix=*/false);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblSlowRule() { return std::make_unique<DnsblSlow>(); }

}  // namespace postvet
