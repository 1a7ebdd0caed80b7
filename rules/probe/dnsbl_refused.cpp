// PV903 dnsbl-refused: the live probe got error answers instead of data: a
// policy or error code the catalogue knows for this entry (a typo in the
// zone, an IP query to a domain list, a bad access key), an address outside
// 127/8 (a parked or hijacked list domain), REFUSED, SERVFAIL on a name
// that must not be listed, or an answer that cannot be decoded. Codes that
// refuse the resolver itself (public resolver, over quota) stop the whole
// probe instead (src/probe/resolver_check.hpp), so they rarely reach here.
// Without a reply filter Postfix counts an error code as a listing; with
// one, the list still tells nothing. No fix: the cure is in the entry or
// the resolver setup. A wrong-query answer from a zone whose catalogue kind
// does not fit the check is explained with the kinds, as PV210 does.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/probe/probe_rule_util.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

using probe::AnswerClass;

// The catalogue's row of the zone when its kind does not fit the check
// (PV210's case: a domain list asked about addresses, or the reverse).
const dnsbl::ZoneInfo* KindMismatch(const dnsbl::DnsblUse& use) {
  const dnsbl::Catalogue* zones = dnsbl::Zones();
  const dnsbl::ZoneInfo* info = zones != nullptr ? zones->Find(use.zone) : nullptr;
  if (info == nullptr) return nullptr;
  const bool fits = dnsbl::AsksAboutAddress(use.check) ? dnsbl::KeyedByAddress(info->kind)
                                                       : dnsbl::KeyedByName(info->kind);
  return fits ? nullptr : info;
}

std::string Meaning(const dnsbl::DnsblUse& use, const probe::PointResult& r) {
  if (r.answer == AnswerClass::kRefused) {
    return "the resolver or the list's servers refuse the query, so every lookup fails";
  }
  if (r.answer == AnswerClass::kMalformed) return "the answer cannot be decoded, so every lookup fails";
  if (r.answer == AnswerClass::kServFail) return "the lookup fails with SERVFAIL";
  const std::string& p = r.policy;
  if (p == "public-resolver") {
    return "the list refuses queries that reach it through a public or shared resolver; give Postfix a local "
           "recursive resolver, or use the list's registered service";
  }
  if (p == "over-quota") {
    return "the resolver's address is over the list's free query limit; use a local recursive resolver or "
           "register";
  }
  if (p == "typo") return "the list says its zone name is misspelt";
  if (p == "bad-key") return "the list says the access key is disabled or wrong";
  if (p == "wrong-query") {
    if (const dnsbl::ZoneInfo* info = KindMismatch(use)) {
      return fmt::format("the list says it was asked the wrong kind of name: it is a {} list and {} asks it about {} "
                         "(PV210)",
                         dnsbl::ZoneKindName(info->kind), dnsbl::CheckKindName(use.check),
                         dnsbl::AsksAboutAddress(use.check) ? "IP addresses" : "domain names");
    }
    return "the list says it was asked the wrong kind of name (an IP address of a domain list?)";
  }
  if (p == "refused") return "the list refuses this resolver";
  return "DNS list data lies inside 127.0.0.0/8: the resolver most likely rewrites NXDOMAIN into an address of "
         "its own, which makes every name look listed";
}

std::string Consequence(const dnsbl::DnsblUse& use, const probe::PointResult& r) {
  if (r.answer != AnswerClass::kPolicy) {
    return fmt::format("Postfix takes a failed lookup as \"not listed\", so {} has no effect",
                       dnsbl::Describe(use));
  }
  bool counted = false;
  for (const auto& a : r.outcome.addresses) counted = counted || use.EffectiveFilter().Matches(a);
  if (!counted) {
    return "the reply filter keeps the code from counting as a listing, but the list gives no data";
  }
  std::string advice;
  const dnsbl::Catalogue* zones = dnsbl::Zones();
  const dnsbl::ZoneInfo* info = zones != nullptr ? zones->Find(use.zone) : nullptr;
  if (r.policy == "wrong-query" && KindMismatch(use) != nullptr) {
    advice = "; a reply filter would only hide the error, the list belongs in another check (PV210)";
  } else if (info != nullptr && info->HasRecommendedFilter()) {
    advice = fmt::format("; a reply filter ({}={}) keeps error codes out", use.CanonicalZone(),
                         info->recommended_filter_text);
  }
  return fmt::format("Postfix counts this answer as a listing, so {}{}", probe_rules::HitEffect(use), advice);
}

class DnsblRefused : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV903",
            .slug = "dnsbl-refused",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "the answer is an error code of the list (typo, wrong kind of query, bad key), REFUSED or undecodable",
            .doc = {}};
  }
  // Runs on every lint, but reports only with probe results (probe_rule_util.hpp).
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    probe_rules::ReportVerdict(
        ctx, sink, probe::Verdict::kPolicy,
        [](const dnsbl::DnsblList&, const dnsbl::DnsblUse& use,
           const probe::ZoneReport& zone) -> std::optional<probe_rules::Message> {
          if (!zone.decisive) return std::nullopt;
          const probe::PointResult& r = zone.points[*zone.decisive];
          probe_rules::Message m{fmt::format("{} answers with errors, not data", use.CanonicalZone()), {zone.reason}};
          if (std::string txt = probe_rules::TxtNote(zone); !txt.empty()) m.details.push_back(std::move(txt));
          m.details.push_back(Meaning(use, r));
          m.details.push_back(Consequence(use, r));
          return m;
        },
        /*fix=*/false);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblRefusedRule() { return std::make_unique<DnsblRefused>(); }

}  // namespace postvet
