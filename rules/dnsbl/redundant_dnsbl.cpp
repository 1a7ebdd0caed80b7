// PV202 redundant-dnsbl: an smtpd DNS list check whose every hit another
// check of the same kind in the same list already has: the same zone with a
// filter that accepts fewer answers than the other entry's (or none given
// there), or a member list beside the combined list that contains it
// (sbl/xbl/pbl.spamhaus.org beside zen.spamhaus.org, from the catalogue's
// member codes).
//
// It is reported only where removing it keeps smtpd's decisions: the
// covering entry runs earlier, or later with nothing in between but DNS list
// checks of the same direction (smtpd_check.c evaluates restrictions in
// order and stops at the first that decides). postscreen_dnsbl_sites is
// left alone: postscreen adds the weights of all matching entries, so
// overlapping entries there are a scoring choice, not redundancy.
// Fix (safe): delete the covered entry. When the covered entry can be the
// one that rejects (the cover runs later, or is another zone), the client
// then gets the reply of the cover's argument: the fix is unsafe when
// rbl_reply_maps answers the two arguments differently or postvet cannot
// read a map it names (reply_maps.hpp).
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/dnsbl/reply_maps.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;

class RedundantDnsbl : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV202",
            .slug = "redundant-dnsbl",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "an entry whose hits are already covered by another entry with the same effect in the same list",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const dnsbl::Catalogue* zones = dnsbl::Zones();
    if (zones == nullptr) return;
    dnsbl::Findings found;
    dnsbl::WordCache words;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      const std::vector<std::optional<dnsbl::Cover>> covers = dnsbl::FindCovers(*zones, list);
      for (size_t i = 0; i < list.uses.size(); ++i) {
        if (dnsbl::EarlierDuplicate(list, i)) continue;  // PV201 reports repeats
        const std::optional<dnsbl::Cover>& cover = covers[i];
        if (!cover) continue;
        const DnsblUse& x = list.uses[i];
        const DnsblUse& y = list.uses[cover->index];
        if (x.zone_location.source == nullptr) continue;
        Diagnostic probe;
        probe.notes.push_back({y.zone_location, fmt::format("{} is checked here", dnsbl::Describe(y))});
        dnsbl::AddUseNotes(ctx, list, x, &probe);
        if (Diagnostic* d = found.At(x.zone_location)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        const char* verb = dnsbl::IsPermitCheck(x.check) ? "permit" : x.log_only ? "log" : "reject";
        std::string order = cover->index < i
                                ? fmt::format("smtpd has already run that check, so this one can {} no client the "
                                              "other has not",
                                              verb)
                                : fmt::format("that check follows with only DNS list checks in between, so it "
                                              "would {} the same clients",
                                              verb);
        Diagnostic& d = found.Add(x.zone_location,
                                  fmt::format("{} in {} is covered by {}", dnsbl::Describe(x),
                                              dnsbl::ListName(list), y.entry),
                                  dnsbl::Subject(x));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        dnsbl::AddDetail(&d, fmt::format("{}; {}. {}", cover->reason, order,
                                         x.CanonicalZone() == y.CanonicalZone()
                                             ? "smtpd caches the zone's answer, so it costs no query, only a "
                                               "second look at it"
                                             : "It costs an extra DNS query for each client"));
        if (dnsbl::InsideExpansionOf(y, x)) {
          d.fix = dnsbl::DeleteUseFix(ctx, list, x, fmt::format("delete {}", dnsbl::Describe(x)), &words);
          // Unless the covering entry runs first and accepts every answer x
          // accepts, x is what rejects some clients, with the reply
          // rbl_reply_maps has for its argument; afterwards y does, with
          // the reply for y's argument.
          const bool never_decides = cover->index < i && x.CanonicalZone() == y.CanonicalZone() &&
                                     y.EffectiveFilter().Covers(x.EffectiveFilter());
          if (!never_decides) {
            if (std::optional<std::string> why = dnsbl::ReplyChange(ctx, list, x, y.entry)) {
              dnsbl::MarkUnsafe(&d.fix, *why);
            }
          }
        }
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewRedundantDnsblRule() { return std::make_unique<RedundantDnsbl>(); }

}  // namespace postvet
