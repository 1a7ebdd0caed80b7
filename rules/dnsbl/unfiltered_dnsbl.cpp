// PV205 unfiltered-dnsbl: a zone that answers errors or refusals inside
// 127/8 (the catalogue's policy codes: Spamhaus 127.255.255.252/254/255,
// DQS key errors, dnswl.org over-quota 127.0.0.255, ...) used without a reply
// filter. Without `=filter` Postfix counts any A record as listed
// (smtpd_check.c, postscreen_dnsbl.c), so an error answer rejects (or, for
// allowlists, permits) every client: e.g. all mail, as soon as the queries
// go through a public resolver. Entries under warn_if_reject only log and
// are left alone; dead zones are PV203/PV204's, redundant entries PV202's.
// Fix (safe, exactly what the rule states): add the catalogue's recommended
// filter, which accepts the list's real answers and none of its error codes.
// smtpd keys rbl_reply_maps on the argument as written, so the fix is unsafe
// when the maps answer "zone" and "zone=filter" differently (or cannot be
// read). postscreen_dnsbl_reply_map is keyed on the bare zone: unaffected.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/dnsbl/reply_maps.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::CheckKind;
using dnsbl::DnsblList;
using dnsbl::DnsblUse;
using dnsbl::ZoneInfo;

std::string Reason(dnsbl::PolicyReason reason) {
  switch (reason) {
    case dnsbl::PolicyReason::kTypo: return "the zone name is misspelt";
    case dnsbl::PolicyReason::kPublicResolver: return "the query comes through a public or shared resolver";
    case dnsbl::PolicyReason::kOverQuota: return "the query limit is exceeded";
    case dnsbl::PolicyReason::kBadKey: return "the access key is refused";
    case dnsbl::PolicyReason::kWrongQuery: return "it is asked the wrong kind of query";
    case dnsbl::PolicyReason::kRefused: return "it refuses the query";
  }
  return "it refuses the query";
}

std::string Codes(const ZoneInfo& info) {
  std::string out;
  for (const dnsbl::PolicyCode& code : info.policy_codes) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} when {}", code.codes_text, Reason(code.reason));
  }
  return out;
}

std::string Effect(const DnsblUse& use) {
  const std::string_view what = dnsbl::LookedUp(use.check);
  if (use.check == CheckKind::kPostscreen) {
    return use.weight < 0 ? fmt::format("postscreen then subtracts {} from every client's score", -use.weight)
                          : fmt::format("postscreen then adds {} to every client's score", use.weight);
  }
  if (dnsbl::IsPermitCheck(use.check)) return fmt::format("smtpd then permits every {}", what);
  return fmt::format("smtpd then rejects every {}", what);
}

class UnfilteredDnsbl : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV205",
            .slug = "unfiltered-dnsbl",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "a list known to return error/policy codes inside 127/8 is used without a reply filter",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const dnsbl::Catalogue* zones = dnsbl::Zones();
    if (zones == nullptr) return;
    dnsbl::Findings found;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      const std::vector<std::optional<dnsbl::Cover>> covers = dnsbl::FindCovers(*zones, list);
      for (size_t i = 0; i < list.uses.size(); ++i) {
        const DnsblUse& use = list.uses[i];
        if (!use.ok() || use.filter || use.log_only || use.zone_location.source == nullptr) continue;
        if (use.check == CheckKind::kPostscreen && use.weight == 0) continue;
        if (dnsbl::EarlierDuplicate(list, i)) continue;  // one report per distinct entry
        // A redundant entry is to be deleted (PV202), not filtered.
        if (covers[i]) continue;
        const ZoneInfo* info = zones->Find(use.zone);
        if (info == nullptr || !info->HasPolicyCodes() || info->IsDead()) continue;
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        if (Diagnostic* d = found.At(use.zone_location)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        Diagnostic& d = found.Add(use.zone_location,
                                  fmt::format("{} in {} has no reply filter to tell its listings from its error "
                                              "codes",
                                              use.zone, dnsbl::ListName(list)),
                                  dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        dnsbl::AddDetail(&d, fmt::format("without a filter Postfix counts any answer as listed; but this list also "
                                         "answers {}, and {}",
                                         Codes(*info), Effect(use)));
        dnsbl::AddDetail(&d, info->HasRecommendedFilter()
                                 ? fmt::format("use {}={}", use.zone, info->recommended_filter_text)
                                 : std::string("add a reply filter that matches only its listing codes"));
        std::optional<Location> word = dnsbl::LiteralZoneWord(use);
        if (word && info->HasRecommendedFilter()) {
          uint32_t at = word->begin + static_cast<uint32_t>(use.zone.size());
          d.fix = Fix{Applicability::kSafe, fmt::format("add the reply filter ={}", info->recommended_filter_text),
                      {Edit{word->source, at, at, "=" + info->recommended_filter_text}}};
          // smtpd looks "zone=filter" up in rbl_reply_maps: the new argument
          // must get the reply the old one got.
          if (std::optional<std::string> why =
                  dnsbl::ReplyChange(ctx, list, use, use.entry + "=" + info->recommended_filter_text)) {
            dnsbl::MarkUnsafe(&d.fix, *why);
          }
        }
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnfilteredDnsblRule() { return std::make_unique<UnfilteredDnsbl>(); }

}  // namespace postvet
