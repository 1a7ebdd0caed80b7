// PV203 obsolete-dnsbl: a zone the catalogue (rules/data/dnsbl.tsv) knows
// to be shut down without listing the world: `dead-empty` (answers "not
// listed" or nothing) or `dead-timeout` (its servers are gone, every lookup
// waits for the resolver's timeout). Also a `superseded` zone whose data
// now lives in another zone, unless an entry of that other zone in the same
// list already covers it (PV202 reports that case).
// A zone the catalogue does not name but that lies under a dead operator's
// domain (an operator row such as ".sorbs.net": safe.dnsbl.sorbs.net) is
// dead in the same way. Zones that answer "listed" for everything are PV204's.
// Fix (safe) for shut-down zones: delete the entry; it never matches, so
// smtpd and postscreen decide as before, minus the wasted lookup (it never
// rejects, so rbl_reply_maps is never asked about it, and it adds nothing to
// a postscreen score). Except for a `dead-timeout` zone in
// permit_dnswl_client or permit_rhswl_client: its lookups fail, and a failed
// allowlist lookup makes smtpd DEFER_IF_REJECT (permit_dnswl_addr() in
// smtpd_check.c), so a later reject becomes a 4xx; deleting the entry ends
// that, and the fix is unsafe. Superseded
// zones still answer, so replacing them changes behaviour: no fix.
#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;
using dnsbl::ZoneInfo;
using dnsbl::ZoneStatus;

std::string Consequence(const DnsblUse& use, const ZoneInfo& info) {
  if (info.status == ZoneStatus::kDeadTimeout && dnsbl::IsPermitCheck(use.check)) {
    return fmt::format("its name servers no longer answer, so every lookup waits for the resolver's timeout and "
                       "then fails, and {} turns any later reject into a temporary one (DEFER_IF_REJECT)",
                       dnsbl::CheckKindName(use.check));
  }
  if (info.status == ZoneStatus::kDeadTimeout) {
    return fmt::format("its name servers no longer answer, so every lookup waits for the resolver's timeout "
                       "and then counts as not listed: {} only adds delay to each {}",
                       dnsbl::Describe(use), dnsbl::LookedUp(use.check));
  }
  return fmt::format("it no longer lists anything, so {} only costs a DNS query per {}; and should the domain "
                     "lapse, a new owner can make it answer \"listed\" for everyone",
                     dnsbl::Describe(use), dnsbl::LookedUp(use.check));
}

class ObsoleteDnsbl : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV203",
            .slug = "obsolete-dnsbl",
            .severity = Severity::kWarning,
            .fix = FixKind::kSometimes,
            .summary = "the zone is known to be shut down (catalogue in rules/)",
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
        const DnsblUse& use = list.uses[i];
        if (!use.ok() || use.zone_location.source == nullptr) continue;
        if (dnsbl::EarlierDuplicate(list, i)) continue;  // one report per distinct entry (PV201 has repeats)
        const ZoneInfo* info = zones->Find(use.zone);
        if (info == nullptr) continue;
        const bool dead = info->status == ZoneStatus::kDeadEmpty || info->status == ZoneStatus::kDeadTimeout;
        const bool superseded = info->status == ZoneStatus::kSuperseded;
        if (!dead && !superseded) continue;
        if (superseded && covers[i]) continue;  // PV202's case
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        if (Diagnostic* d = found.At(use.zone_location)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        std::string message;
        if (dead) {
          message = fmt::format("{} was shut down{}", use.CanonicalZone(), dnsbl::Since(*info));
        } else {
          message = fmt::format("{} is superseded by {}{}", use.CanonicalZone(), info->superseded_by,
                                dnsbl::Since(*info));
        }
        Diagnostic& d = found.Add(use.zone_location, std::move(message), dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        if (dead) dnsbl::AddDetail(&d, Consequence(use, *info));
        if (info->IsOperator()) dnsbl::AddDetail(&d, dnsbl::OperatorNote(use, *info));
        dnsbl::AddDetail(&d, info->note);
        if (!dead) dnsbl::AddDetail(&d, fmt::format("use {} instead (with its reply filter)", info->superseded_by));
        if (dead) d.fix = dnsbl::DeleteUseFix(ctx, list, use, fmt::format("delete {}", dnsbl::Describe(use)), &words);
        if (dead && info->status == ZoneStatus::kDeadTimeout && dnsbl::IsPermitCheck(use.check)) {
          dnsbl::MarkUnsafe(&d.fix, "its failed lookups make smtpd DEFER_IF_REJECT, and that stops");
        }
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewObsoleteDnsblRule() { return std::make_unique<ObsoleteDnsbl>(); }

}  // namespace postvet
