// PV201 duplicate-dnsbl: the same zone with the same reply filter (and, in
// postscreen_dnsbl_sites, the same weight) twice in one list, after
// `$`-expansion.
//
// smtpd: restrictions run in order and the first that decides ends the
// list; smtpd_check.c also caches DNS list answers per zone (the filter is
// split off before the lookup), so the repeat costs no query but can never
// change the result. Fix (safe): delete the later entry, when the earlier
// one is inside the same parameter's expansion (so every list that includes
// that parameter keeps it).
// postscreen: every matching entry adds its weight (postscreen_dnsbl.c), so
// a repeat doubles the zone's weight: a change of meaning, reported once per
// group. Fix (safe, the total is kept): merge the copies into the first,
// with the weights added (`zen*2 zen*2` -> `zen*4`).
// Reply maps: the deleted smtpd copy runs only after its identical first
// copy did not match, so it never rejects and rbl_reply_maps is never asked
// about it; the postscreen merge keeps the zone (postscreen_dnsbl_reply_map
// is keyed on it) and every client's score (the thresholds see the same).
#include <limits>

#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;

bool SameLocation(const Location& a, const Location& b) {
  return a.source == b.source && a.begin == b.begin && a.end == b.end;
}

class DuplicateDnsbl : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV201",
            .slug = "duplicate-dnsbl",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "the same zone with the same reply filter (and weight) appears twice in one restriction list or in "
                       "postscreen_dnsbl_sites",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    dnsbl::Findings found;
    dnsbl::WordCache words;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      if (list.kind == dnsbl::ListKind::kPostscreenSites) {
        CheckPostscreen(ctx, list, &found, &words);
      } else {
        CheckSmtpd(ctx, list, &found, &words);
      }
    }
    found.Emit(sink);
  }

 private:
  static void CheckSmtpd(const LintContext& ctx, const DnsblList& list, dnsbl::Findings* found,
                         dnsbl::WordCache* words) {
    for (size_t i = 0; i < list.uses.size(); ++i) {
      std::optional<size_t> first = dnsbl::EarlierDuplicate(list, i);
      if (!first) continue;
      const DnsblUse& later = list.uses[i];
      const DnsblUse& earlier = list.uses[*first];
      if (SameLocation(later.zone_location, earlier.zone_location)) {
        ReportRepeatedReference(list, earlier, later, found);
        continue;
      }
      if (later.zone_location.source == nullptr) continue;
      std::vector<Note> notes = {{earlier.zone_location, "first checked here"}};
      Diagnostic probe;
      dnsbl::AddUseNotes(ctx, list, later, &probe);
      notes.insert(notes.end(), probe.notes.begin(), probe.notes.end());
      if (Diagnostic* d = found->At(later.zone_location)) {
        dnsbl::Findings::AddNotes(d, notes);
        continue;
      }
      std::string outcome = later.log_only ? "it only logs the same warning again"
                            : dnsbl::IsPermitCheck(later.check)
                                ? "a client it would permit has already been permitted by the first one"
                                : "a client it would reject has already been rejected by the first one";
      Diagnostic& d = found->Add(
          later.zone_location,
          fmt::format("{} repeats an earlier entry of {}", dnsbl::Describe(later), dnsbl::ListName(list)),
          dnsbl::Subject(later));
      d.notes = std::move(notes);
      dnsbl::AddDetail(&d, fmt::format("{}. smtpd caches the lookup per zone, so the repeat costs no extra DNS "
                                       "query, but it can never change the result",
                                       outcome));
      if (dnsbl::InsideExpansionOf(earlier, later)) {
        d.fix = dnsbl::DeleteUseFix(ctx, list, later, "delete the repeated entry", words);
      }
    }
  }

  // The same written entry reached twice, through two `$name` references.
  static void ReportRepeatedReference(const DnsblList& list, const DnsblUse& earlier,
                                      const DnsblUse& later, dnsbl::Findings* found) {
    size_t k = 0;
    while (k < later.via.size() && k < earlier.via.size() && SameLocation(later.via[k], earlier.via[k])) ++k;
    if (k >= later.via.size() || later.via[k].source == nullptr) return;
    if (found->At(later.via[k]) != nullptr) return;
    const std::string& target = k + 1 < later.via_params.size() ? later.via_params[k + 1] : later.param;
    Diagnostic& d = found->Add(later.via[k],
                               fmt::format("{} includes ${} a second time", dnsbl::ListName(list), target),
                               dnsbl::Subject(later));
    if (k < earlier.via.size() && earlier.via[k].source != nullptr) {
      d.notes.push_back({earlier.via[k], fmt::format("${} is first included here", target)});
    }
    dnsbl::AddDetail(&d, fmt::format("so {} runs twice; the second time can never change the result",
                                     dnsbl::Describe(later)));
  }

  static void CheckPostscreen(const LintContext& ctx, const DnsblList& list, dnsbl::Findings* found,
                              dnsbl::WordCache* words) {
    // Copies grouped under their first (DnsblList::first_copy), in order.
    std::vector<std::vector<const DnsblUse*>> groups(list.uses.size());
    for (size_t i = 0; i < list.uses.size(); ++i) {
      if (list.uses[i].ok()) groups[list.first_copy[i]].push_back(&list.uses[i]);
    }
    for (const std::vector<const DnsblUse*>& group : groups) {
      if (group.size() < 2) continue;
      const DnsblUse& first = *group[0];
      const DnsblUse& second = *group[1];
      if (second.zone_location.source == nullptr || found->At(second.zone_location) != nullptr) continue;
      const long long total = static_cast<long long>(first.weight) * static_cast<long long>(group.size());
      std::string merged = first.zone + (first.filter_text.empty() ? "" : "=" + first.filter_text) +
                           fmt::format("*{}", total);
      Diagnostic& d = found->Add(second.zone_location,
                                 fmt::format("{} appears {} times in {} with the same filter and weight", first.entry,
                                             group.size(), dnsbl::ListName(list)),
                                 dnsbl::Subject(first));
      d.notes.push_back({first.zone_location, "first listed here"});
      for (size_t k = 2; k < group.size(); ++k) d.notes.push_back({group[k]->zone_location, "listed again here"});
      dnsbl::Findings::AddNotes(&d, ViaNotes(ctx, list, second));
      dnsbl::AddDetail(&d, fmt::format("postscreen adds the weight of every matching entry, so a listed client "
                                       "scores {} from this zone, not {}. That changes the weight rather than "
                                       "repeating a check",
                                       total, first.weight));
      dnsbl::AddDetail(&d, fmt::format("if {} is what you want, write {} once", total, merged));
      d.fix = MergeFix(ctx, list, group, total, merged, words);
    }
  }

  static std::vector<Note> ViaNotes(const LintContext& ctx, const DnsblList& list, const DnsblUse& use) {
    Diagnostic probe;
    dnsbl::AddUseNotes(ctx, list, use, &probe);
    return probe.notes;
  }

  // Keeps the first copy with the summed weight and deletes the others; only
  // when all copies are written literally in the same parameter value.
  static std::optional<Fix> MergeFix(const LintContext& ctx, const DnsblList& list,
                                     const std::vector<const DnsblUse*>& group, long long total,
                                     const std::string& merged, dnsbl::WordCache* words) {
    if (total > std::numeric_limits<int>::max() || total < std::numeric_limits<int>::min()) return std::nullopt;
    const DnsblUse& first = *group[0];
    std::optional<Location> word = dnsbl::LiteralZoneWord(first);
    if (!word) return std::nullopt;
    for (const DnsblUse* u : group) {
      if (u->param != first.param || u->via.size() != first.via.size()) return std::nullopt;
      for (size_t k = 0; k < u->via.size(); ++k) {
        if (!SameLocation(u->via[k], first.via[k])) return std::nullopt;
      }
    }
    std::vector<const DnsblUse*> rest(group.begin() + 1, group.end());
    std::optional<std::vector<Edit>> deletions = dnsbl::DeleteUses(ctx, list, rest, words);
    if (!deletions) return std::nullopt;
    Edit weight{word->source, word->end, word->end, fmt::format("*{}", total)};
    if (first.has_weight) {
      weight.begin = word->end - static_cast<uint32_t>(first.weight_text.size());
      weight.text = fmt::format("{}", total);
    }
    std::vector<Edit> edits = {weight};
    edits.insert(edits.end(), deletions->begin(), deletions->end());
    return Fix{Applicability::kSafe, fmt::format("merge the copies into {} (the same total weight)", merged),
               std::move(edits)};
  }
};

}  // namespace

std::unique_ptr<Rule> NewDuplicateDnsblRule() { return std::make_unique<DuplicateDnsbl>(); }

}  // namespace postvet
