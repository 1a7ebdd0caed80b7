// PV204 dangerous-dnsbl: a zone the catalogue marks `dead-lists-everything`:
// shut down, and its domain now answers "listed" for every query (a
// wildcard by a domain squatter, or the operator's own way of forcing users
// off, as AHBL and NJABL did). Whatever filter is written, the check then
// fires for everybody: reject_rbl_client rejects all mail, permit_dnswl_client
// permits everyone, a postscreen weight is added to every client.
// Zones under such an operator's domain (operator rows such as ".ahbl.org")
// count too.
// Fix (safe, and exactly what the rule states): delete the entry. In
// smtpd the entry decides for every client it reaches, so its reply
// (rbl_reply_maps) goes with it. In postscreen_dnsbl_sites a non-zero
// weight shifts every client's score, which also changes how the other
// lists' scores compare with postscreen_dnsbl_threshold and
// postscreen_dnsbl_allowlist_threshold: that fix is unsafe.
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

std::string Effect(const DnsblUse& use) {
  const std::string_view what = dnsbl::LookedUp(use.check);
  if (use.check == CheckKind::kPostscreen) {
    if (use.weight > 0) {
      return fmt::format("postscreen adds {} to the DNSBL score of every client, so every connection reaches "
                         "postscreen_dnsbl_threshold sooner (blocked when postscreen_dnsbl_action is enforce or "
                         "drop)",
                         use.weight);
    }
    if (use.weight < 0) {
      return fmt::format("postscreen subtracts {} from the DNSBL score of every client, which can allowlist "
                         "spam sources and cancel real listings",
                         -use.weight);
    }
    return "the entry has weight 0, so it only costs a query";
  }
  if (use.log_only) {
    return fmt::format("warn_if_reject logs every {} as rejected, burying real hits", what);
  }
  if (dnsbl::IsPermitCheck(use.check)) {
    return fmt::format("{} accepts every {} and skips the restrictions after it", dnsbl::CheckKindName(use.check),
                       what);
  }
  return fmt::format("{} rejects mail from every {}", dnsbl::CheckKindName(use.check), what);
}

class DangerousDnsbl : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV204",
            .slug = "dangerous-dnsbl",
            .severity = Severity::kError,
            .fix = FixKind::kSometimes,
            .summary = "a shut-down zone known to answer \"listed\" for every query (would reject all mail)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const dnsbl::Catalogue* zones = dnsbl::Zones();
    if (zones == nullptr) return;
    dnsbl::Findings found;
    dnsbl::WordCache words;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      for (size_t i = 0; i < list.uses.size(); ++i) {
        const DnsblUse& use = list.uses[i];
        if (!use.ok() || use.zone_location.source == nullptr) continue;
        if (dnsbl::EarlierDuplicate(list, i)) continue;  // one report per distinct entry
        const dnsbl::ZoneInfo* info = zones->Find(use.zone);
        if (info == nullptr || info->status != dnsbl::ZoneStatus::kDeadListsEverything) continue;
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        if (Diagnostic* d = found.At(use.zone_location)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        Diagnostic& d = found.Add(use.zone_location,
                                  fmt::format("{} in {} answers every query as listed{}", use.CanonicalZone(),
                                              dnsbl::ListName(list), dnsbl::Since(*info)),
                                  dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        dnsbl::AddDetail(&d, Effect(use));
        if (info->IsOperator()) dnsbl::AddDetail(&d, dnsbl::OperatorNote(use, *info));
        dnsbl::AddDetail(&d, info->note);
        d.fix = dnsbl::DeleteUseFix(ctx, list, use, fmt::format("delete {}", dnsbl::Describe(use)), &words);
        if (use.check == CheckKind::kPostscreen && use.weight != 0) {
          // Every client's score moves by the weight: a client another list
          // scores just below postscreen_dnsbl_threshold (or the allowlist
          // threshold) is judged differently afterwards.
          dnsbl::MarkUnsafe(&d.fix, fmt::format("every client's postscreen score changes by {}, which moves it "
                                                "against postscreen_dnsbl_threshold and "
                                                "postscreen_dnsbl_allowlist_threshold",
                                                -use.weight));
        }
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDangerousDnsblRule() { return std::make_unique<DangerousDnsbl>(); }

}  // namespace postvet
