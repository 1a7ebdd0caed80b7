// PV210 dnsbl-kind-mismatch: a DNS list asked a kind of question it does
// not answer. reject_rbl_client, permit_dnswl_client and
// postscreen_dnsbl_sites look up the client's IP address (octets reversed
// under the zone: smtpd_check.c find_dnsxl_addr(), postscreen's dnsblog);
// the reject_rhsbl_* checks and permit_rhswl_client look up a domain name
// under the zone (find_dnsxl_domain()). The catalogue's kind says which of
// the two a zone holds (rules/data/dnsbl.tsv): a domain list (domain,
// domain-allow, uri) asked about an address, or an address list (ip,
// ip-allow) asked about a name, holds no such entry. Zones of kind `both`,
// unknown zones, dead zones (PV203/PV204's) and rows of low confidence are
// left alone: a row resting on one thin source may have the kind wrong
// (Hostkarma, a low row, is used with reject_rhsbl_client in the wild).
// The entry then never matches, unless the list answers the wrong-kind
// query with an error code that the entry's filter lets through: Spamhaus'
// DBL answers every IP query with 127.0.1.255, which an unfiltered
// reject_rbl_client counts as listed (any A record does) and so rejects
// every client. PV205 would add a filter to such an entry; this rule says
// why the entry is wrong in the first place, and subsumes PV205 there.
// Fix (unsafe): delete the entry. Whether a list answers a wrong-kind query
// is its operator's choice, which Postfix cannot show: an answer the filter
// lets through counts as listed, and for permit_dnswl_client and
// permit_rhswl_client a failed lookup gives DEFER_IF_REJECT
// (permit_dnswl_addr()); deleting the entry ends both. When the entry's
// filter admits one of the zone's known error codes, the deletion certainly
// changes what smtpd or postscreen decides.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::CheckKind;
using dnsbl::DnsblList;
using dnsbl::DnsblUse;
using dnsbl::ZoneInfo;
using dnsbl::ZoneKind;

// "a domain list", "an IP address allowlist", ...
std::string_view KindPhrase(ZoneKind kind) {
  switch (kind) {
    case ZoneKind::kIp: return "an IP address list";
    case ZoneKind::kIpAllow: return "an IP address allowlist";
    case ZoneKind::kDomain: return "a domain list";
    case ZoneKind::kDomainAllow: return "a domain allowlist";
    case ZoneKind::kUri: return "a list of domains found in message bodies";
    case ZoneKind::kBoth: return "a list of addresses and domains";
  }
  return "a DNS list";
}

// The checks that ask a zone of this kind the question it answers.
std::string_view RightChecks(ZoneKind kind) {
  switch (kind) {
    case ZoneKind::kIp: return "reject_rbl_client (or postscreen_dnsbl_sites)";
    case ZoneKind::kIpAllow: return "permit_dnswl_client (or a negative weight in postscreen_dnsbl_sites)";
    case ZoneKind::kDomain:
      return "reject_rhsbl_client, reject_rhsbl_reverse_client, reject_rhsbl_helo or reject_rhsbl_sender";
    case ZoneKind::kDomainAllow: return "permit_rhswl_client";
    case ZoneKind::kUri: return "a content filter that checks the links in messages, not a Postfix restriction";
    case ZoneKind::kBoth: return "any DNS list check";
  }
  return "another check";
}

// What Postfix asks, with an example query name.
std::string Query(const DnsblUse& use) {
  const std::string zone = use.CanonicalZone();
  if (dnsbl::AsksAboutAddress(use.check)) {
    return fmt::format("{} looks up the client's IP address with its octets reversed under the zone "
                       "(2.0.0.127.{} for 127.0.0.2), a name a domain list does not hold",
                       dnsbl::CheckKindName(use.check), zone);
  }
  return fmt::format("{} looks up the {} under the zone (example.com.{}), a name an address list does not hold",
                     dnsbl::CheckKindName(use.check), dnsbl::LookedUp(use.check), zone);
}

// The zone's error answers that the entry counts as listed, as text.
std::string AdmittedErrors(const DnsblUse& use, const ZoneInfo& info, bool* wrong_query) {
  *wrong_query = false;
  std::string out;
  const dnsbl::ReplyFilter filter = use.EffectiveFilter();
  for (const dnsbl::PolicyCode& code : info.policy_codes) {
    if (!filter.Overlaps(code.codes)) continue;
    if (code.reason == dnsbl::PolicyReason::kWrongQuery) *wrong_query = true;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} ({})", code.codes_text, dnsbl::PolicyReasonName(code.reason));
  }
  return out;
}

// What an entry that matches every lookup does.
std::string EveryoneEffect(const DnsblUse& use) {
  const std::string_view what = dnsbl::LookedUp(use.check);
  if (use.check == CheckKind::kPostscreen) {
    return fmt::format("postscreen adds {} to every client's score", use.weight);
  }
  if (use.log_only) return fmt::format("warn_if_reject logs every {} as rejected", what);
  if (dnsbl::IsPermitCheck(use.check)) return fmt::format("smtpd permits every {}", what);
  return fmt::format("smtpd rejects every {}", what);
}

class DnsblKindMismatch : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV210",
            .slug = "dnsbl-kind-mismatch",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "an IP address list is asked about domain names, or a domain list about IP addresses",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }
  std::vector<std::string_view> subsumes() const override { return {"PV205"}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const dnsbl::Catalogue* zones = dnsbl::Zones();
    if (zones == nullptr) return;
    dnsbl::Findings found;
    dnsbl::WordCache words;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      for (size_t i = 0; i < list.uses.size(); ++i) {
        const DnsblUse& use = list.uses[i];
        if (!use.ok() || use.zone_location.source == nullptr) continue;
        if (dnsbl::EarlierDuplicate(list, i)) continue;  // one report per distinct entry (PV201 has repeats)
        const ZoneInfo* info = zones->Find(use.zone);
        if (info == nullptr || info->IsDead()) continue;  // dead zones: PV203/PV204
        if (info->confidence == dnsbl::Confidence::kLow) continue;
        const bool by_address = dnsbl::AsksAboutAddress(use.check);
        if (by_address ? dnsbl::KeyedByAddress(info->kind) : dnsbl::KeyedByName(info->kind)) continue;
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        if (Diagnostic* d = found.At(use.zone_location)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        Diagnostic& d = found.Add(use.zone_location,
                                  fmt::format("{} is {}, but {} asks it about {}", use.CanonicalZone(),
                                              KindPhrase(info->kind), dnsbl::ListName(list),
                                              by_address ? "IP addresses" : "domain names"),
                                  dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        bool wrong_query = false;
        const std::string errors = AdmittedErrors(use, *info, &wrong_query);
        if (wrong_query) {
          dnsbl::AddDetail(&d, fmt::format("{}; the list answers such a query with an error code that {} counts as "
                                           "listed, so {}",
                                           Query(use), dnsbl::Describe(use), EveryoneEffect(use)));
        } else {
          dnsbl::AddDetail(&d, fmt::format("{}, so the entry never matches and only costs a DNS query per {}",
                                           Query(use), dnsbl::LookedUp(use.check)));
        }
        dnsbl::AddDetail(&d, fmt::format("a list like this belongs in {}; otherwise delete the entry",
                                         RightChecks(info->kind)));
        dnsbl::AddDetail(&d, info->note);
        d.fix = dnsbl::DeleteUseFix(ctx, list, use, fmt::format("delete {}", dnsbl::Describe(use)), &words);
        if (!errors.empty()) {
          dnsbl::MarkUnsafe(&d.fix, fmt::format("the entry counts the error answers {} as listed, and they stop "
                                                "counting",
                                                errors));
        } else if (dnsbl::IsPermitCheck(use.check)) {
          dnsbl::MarkUnsafe(&d.fix, "a failed lookup now gives DEFER_IF_REJECT, which deleting the entry ends");
        } else {
          dnsbl::MarkUnsafe(&d.fix, "whether the list answers such queries is up to its operator, which Postfix "
                                    "cannot show");
        }
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblKindMismatchRule() { return std::make_unique<DnsblKindMismatch>(); }

}  // namespace postvet
