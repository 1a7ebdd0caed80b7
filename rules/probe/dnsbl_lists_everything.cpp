// PV902 dnsbl-lists-everything: the live probe asked the zone for names no
// list may list (RFC 5782's 127.0.0.1 / INVALID test points, random TEST-NET
// addresses and names under .example) and got a listing, one the entry's
// reply filter lets through. Postfix would then act on every client: reject
// all mail, permit everyone, or score every connection.
// Fix (unsafe, like every probe-derived fix): delete the entry; the verdict
// rests on answers seen once, at one moment, through one resolver.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/probe/probe_rule_util.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

// True when some answer to a "must not be listed" name passes the entry's
// filter: only then does Postfix count it (smtpd's and postscreen's reply
// filters, ip_match_execute()).
bool FilterLetsThrough(const dnsbl::DnsblUse& use, const probe::ZoneReport& zone) {
  const dnsbl::ReplyFilter filter = use.EffectiveFilter();
  for (const probe::PointResult& r : zone.points) {
    if (r.point.expect != probe::Expect::kNotListed || r.answer != probe::AnswerClass::kListed) continue;
    for (const auto& a : r.outcome.addresses) {
      if (filter.Matches(a)) return true;
    }
  }
  return false;
}

class DnsblListsEverything : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV902",
            .slug = "dnsbl-lists-everything",
            .severity = Severity::kError,
            .fix = FixKind::kUnsafe,
            .summary = "the \"not listed\" test point (127.0.0.1 / INVALID) or a random address is listed",
            .doc = {}};
  }
  // Runs on every lint, but reports only with probe results (probe_rule_util.hpp).
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    probe_rules::ReportVerdict(
        ctx, sink, probe::Verdict::kListsEverything,
        [](const dnsbl::DnsblList& list, const dnsbl::DnsblUse& use,
           const probe::ZoneReport& zone) -> std::optional<probe_rules::Message> {
          if (!FilterLetsThrough(use, zone)) return std::nullopt;
          return probe_rules::Message{
              fmt::format("{} lists everything", use.CanonicalZone()),
              {zone.reason, fmt::format("{} ({})", probe_rules::HitEffect(use), dnsbl::ListName(list))}};
        },
        /*fix=*/true);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblListsEverythingRule() { return std::make_unique<DnsblListsEverything>(); }

}  // namespace postvet
