#include "rules/probe/probe_rule_util.hpp"

#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/facts/facts.hpp"

namespace postvet::probe_rules {

void ReportVerdict(const LintContext& ctx, Sink& sink, probe::Verdict verdict, const MessageFn& message, bool fix) {
  const probe::ProbeResults* results = ctx.probe_results();
  if (results == nullptr) return;  // not probing: nothing to say
  dnsbl::Findings found;
  // Detail notes go after the located notes, which later uses of the same
  // entry may still add: appended just before the findings are emitted.
  std::vector<std::pair<Diagnostic*, std::vector<std::string>>> details;
  for (const dnsbl::DnsblList& list : FactsOf(ctx).DnsblLists()) {
    for (size_t i = 0; i < list.uses.size(); ++i) {
      const dnsbl::DnsblUse& use = list.uses[i];
      if (!use.ok() || use.zone_location.source == nullptr) continue;
      if (dnsbl::EarlierDuplicate(list, i)) continue;  // one report per distinct entry (PV201 has repeats)
      const probe::ZoneReport* zone = results->Find(use.zone, probe::ZoneKindOfCheck(use.check));
      if (zone == nullptr || zone->verdict != verdict) continue;
      Diagnostic notes;
      dnsbl::AddUseNotes(ctx, list, use, &notes);
      if (Diagnostic* d = found.At(use.zone_location)) {
        dnsbl::Findings::AddNotes(d, notes.notes);
        continue;
      }
      std::optional<Message> text = message(list, use, *zone);
      if (!text) continue;
      Diagnostic& d = found.Add(use.zone_location, std::move(text->text), dnsbl::Subject(use));
      dnsbl::Findings::AddNotes(&d, notes.notes);
      details.emplace_back(&d, std::move(text->details));
      if (fix) {
        // Network answers are evidence, not proof (a list may be down for an
        // hour, a resolver may lie): always unsafe, and the text says what
        // was seen, when and through which resolver.
        std::string seen = fmt::format("delete {}: the probe at {}{} saw {}", dnsbl::Describe(use),
                                       results->started_utc.empty() ? "an unknown time" : results->started_utc,
                                       results->resolver.empty() ? "" : " through " + results->resolver,
                                       zone->reason);
        d.fix = dnsbl::DeleteUseFix(ctx, list, use, std::move(seen));
        if (d.fix) d.fix->applicability = Applicability::kUnsafe;
      }
    }
  }
  for (auto& [d, texts] : details) {
    for (std::string& text : texts) d->notes.push_back({{}, std::move(text)});
  }
  found.Emit(sink);
}

std::string HitEffect(const dnsbl::DnsblUse& use) {
  const std::string_view what = dnsbl::LookedUp(use.check);
  if (use.check == dnsbl::CheckKind::kPostscreen) {
    if (use.weight == 0) return "postscreen adds nothing (weight 0), but asks for every client";
    return use.weight > 0
               ? fmt::format("postscreen adds {} to the DNSBL score of every client", use.weight)
               : fmt::format("postscreen subtracts {} from the DNSBL score of every client", -use.weight);
  }
  if (use.log_only) return fmt::format("warn_if_reject logs every {} as rejected", what);
  if (dnsbl::IsPermitCheck(use.check)) {
    return fmt::format("{} accepts every {} and skips the restrictions after it", dnsbl::CheckKindName(use.check),
                       what);
  }
  return fmt::format("{} rejects mail from every {}", dnsbl::CheckKindName(use.check), what);
}

std::string TxtNote(const probe::ZoneReport& zone) {
  if (zone.texts.empty()) return {};
  std::string text = zone.texts.front();
  constexpr size_t kMax = 160;
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';  // TXT bytes come off the network
  }
  return fmt::format("its TXT record says \"{}\"", text);
}

}  // namespace postvet::probe_rules
