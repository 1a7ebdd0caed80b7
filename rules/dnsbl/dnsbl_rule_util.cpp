#include "rules/dnsbl/dnsbl_rule_util.hpp"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "src/fix/list_edit.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::dnsbl {
namespace {

bool SameLocation(const Location& a, const Location& b) {
  return a.source == b.source && a.begin == b.begin && a.end == b.end;
}

bool SameVia(const ListEntry& a, const ListEntry& b) {
  if (a.via.size() != b.via.size() || a.param != b.param) return false;
  for (size_t k = 0; k < a.via.size(); ++k) {
    if (!SameLocation(a.via[k], b.via[k])) return false;
  }
  return true;
}

// Prefix counts of the words that stop smtpd from getting from one DNS list
// check to a later one with the outcome unchanged: every word that is not
// part of a DNS list check, and the checks of the other direction (a permit
// check between reject checks, and the reverse). Log-only checks do not
// count. blockers[d][k] = such words among words [0, k), d = 1 for permits.
struct Blockers {
  std::vector<uint32_t> counts[2];

  explicit Blockers(const DnsblList& list) {
    const size_t n = list.entries.size();
    std::vector<long> owner(n, -1);
    for (size_t u = 0; u < list.uses.size(); ++u) {
      for (size_t k = list.uses[u].first_index; k <= list.uses[u].zone_index && k < n; ++k) {
        owner[k] = static_cast<long>(u);
      }
    }
    for (int d = 0; d < 2; ++d) {
      counts[d].assign(n + 1, 0);
      for (size_t k = 0; k < n; ++k) {
        bool blocks = true;
        if (owner[k] >= 0) {
          const DnsblUse& mid = list.uses[static_cast<size_t>(owner[k])];
          blocks = !mid.log_only && IsPermitCheck(mid.check) != (d == 1);
        }
        counts[d][k + 1] = counts[d][k] + (blocks ? 1 : 0);
      }
    }
  }

  // Nothing but same-direction (or log-only) DNS list checks between the
  // end of uses[i] and the start of the later uses[j].
  bool ClearBetween(const DnsblList& list, size_t i, size_t j) const {
    const size_t from = list.uses[i].zone_index + 1;
    const size_t to = list.uses[j].first_index;
    if (to <= from) return true;
    const auto& c = counts[IsPermitCheck(list.uses[i].check) ? 1 : 0];
    return c[to] == c[from];
  }
};

ReplyFilter Intersect(const ReplyFilter& a, const ReplyFilter& b) {
  ReplyFilter out;
  for (size_t k = 0; k < 4; ++k) {
    for (int v = 0; v < 256; ++v) {
      const auto octet = static_cast<uint8_t>(v);
      if (a.octets[k].Contains(octet) && b.octets[k].Contains(octet)) out.octets[k].AddRange(octet, octet);
    }
  }
  return out;
}

// The answers in the combined zone that stand for hits of member entry `x`
// (whose filter, nullopt for none, is `x_filter`). Without a filter: all the
// member's codes there. With one, the catalogue does not say which of the
// member's own answers become which combined answers; where the member's
// codes there lie in the same code space as its own listings (its
// recommended filter overlaps them, as for sbl/xbl/pbl in zen), the answers
// are taken to be the same, so only the codes the filter accepts count.
// Otherwise (cbl.abuseat.org answers .2 itself but .4 in xbl) all codes
// count. nullopt when the filter keeps none of them.
std::optional<ReplyFilter> MemberHits(const Catalogue& zones, const DnsblUse& x,
                                      const std::optional<ReplyFilter>& x_filter, const ReplyFilter& codes) {
  if (!x_filter) return codes;
  const ZoneInfo* member = zones.Find(x.zone);
  if (member == nullptr || !member->recommended_filter || !member->recommended_filter->Overlaps(codes)) {
    return codes;
  }
  if (!x_filter->Overlaps(codes)) return std::nullopt;
  return Intersect(codes, *x_filter);
}

// The filter an entry is taken to mean when comparing coverage: its own; or,
// without one, for a list whose other answers are error codes, the
// catalogue's recommended filter (`*assumed` set). Error answers counting as
// listings is the bug PV205 reports and fixes, not behaviour to keep; and so
// PV205's fixes never change what PV202 finds. Log-only entries are taken
// as written (PV205 leaves them alone).
std::optional<ReplyFilter> IntendedFilter(const Catalogue& zones, const DnsblUse& u, bool* assumed) {
  *assumed = false;
  if (u.filter) return u.filter;
  if (u.log_only) return std::nullopt;
  const ZoneInfo* info = zones.Find(u.zone);
  if (info == nullptr || info->IsDead() || !info->HasPolicyCodes() || !info->recommended_filter) return std::nullopt;
  *assumed = true;
  return info->recommended_filter;
}

}  // namespace

std::string Describe(const DnsblUse& use) {
  if (use.check == CheckKind::kPostscreen) return use.entry;
  std::string out = use.log_only ? "warn_if_reject " : "";
  out += CheckKindName(use.check);
  if (!use.missing_zone) out += " " + use.entry;
  return out;
}

std::string_view LookedUp(CheckKind kind) {
  switch (kind) {
    case CheckKind::kRblClient:
    case CheckKind::kDnswlClient:
    case CheckKind::kPostscreen: return "client";
    case CheckKind::kRhsblClient:
    case CheckKind::kRhswlClient: return "client hostname";
    case CheckKind::kRhsblReverseClient: return "reverse client hostname";
    case CheckKind::kRhsblHelo: return "HELO name";
    case CheckKind::kRhsblSender: return "sender domain";
    case CheckKind::kRhsblRecipient: return "recipient domain";
  }
  return "client";
}

bool AsksAboutAddress(CheckKind kind) {
  return kind == CheckKind::kRblClient || kind == CheckKind::kDnswlClient || kind == CheckKind::kPostscreen;
}

std::string OperatorNote(const DnsblUse& use, const ZoneInfo& info) {
  return fmt::format("the catalogue has no row for {} itself, but it covers every zone under {}", use.CanonicalZone(),
                     std::string_view(info.zone).substr(1));
}

std::string Since(const ZoneInfo& info) { return info.since.empty() ? "" : fmt::format(" (since {})", info.since); }

std::string ListName(const DnsblList& list) {
  std::string out = list.kind == ListKind::kRestrictionClass ? "restriction class " + list.param : list.param;
  if (list.service != nullptr) out += fmt::format(" of service {}", list.service->name());
  return out;
}

std::string ListName(const DnsblUse& use) {
  std::string out = use.list_kind == ListKind::kRestrictionClass ? "restriction class " + use.list : use.list;
  if (use.service != nullptr) out += fmt::format(" of service {}", use.service->name());
  return out;
}

void AddUseNotes(const LintContext& ctx, const DnsblList& list, const DnsblUse& use, Diagnostic* d) {
  for (size_t k = 0; k < use.via.size(); ++k) {
    if (use.via[k].source == nullptr) continue;
    const std::string& target = k + 1 < use.via_params.size() ? use.via_params[k + 1] : use.param;
    d->notes.push_back({use.via[k], fmt::format("${} is used by {} here", target, use.via_params[k])});
  }
  if (list.service == nullptr || ctx.master_file() == nullptr) return;
  const Source* master = ctx.master_file()->source.get();
  for (const MasterService* s : list.also_services) {
    const MasterWord& name = s->field(MasterField::kService);
    d->notes.push_back({Location{master, name.begin, name.end},
                        fmt::format("service {} uses the same {}", s->name(), list.param)});
  }
}

bool SameEntry(const DnsblUse& a, const DnsblUse& b) {
  return a.ok() && b.ok() && a.check == b.check && a.log_only == b.log_only && a.weight == b.weight &&
         a.CanonicalZone() == b.CanonicalZone() && a.EffectiveFilter() == b.EffectiveFilter();
}

std::optional<size_t> EarlierDuplicate(const DnsblList& list, size_t i) {
  if (i < list.first_copy.size()) {
    if (list.first_copy[i] != i) return list.first_copy[i];
    return std::nullopt;
  }
  for (size_t j = 0; j < i; ++j) {
    if (SameEntry(list.uses[j], list.uses[i])) return j;
  }
  return std::nullopt;
}

bool InsideExpansionOf(const DnsblUse& earlier, const DnsblUse& later) {
  if (SameLocation(earlier.zone_location, later.zone_location)) return false;
  const size_t n = later.via.size();
  if (earlier.via.size() < n) return false;
  for (size_t k = 0; k < n; ++k) {
    if (!SameLocation(earlier.via[k], later.via[k])) return false;
  }
  const std::string& holder = earlier.via.size() == n ? earlier.param : earlier.via_params[n];
  return holder == later.param;
}

std::vector<std::optional<Cover>> FindCovers(const Catalogue& zones, const DnsblList& list) {
  const size_t n = list.uses.size();
  std::vector<std::optional<Cover>> out(n);
  if (list.kind == ListKind::kPostscreenSites) return out;
  // Per use: canonical zone, whether it is dead, the filter it is taken to
  // mean; and which uses name each zone (candidates are found through it).
  struct Facts {
    std::string zone;
    bool dead = false;
    bool assumed = false;
    std::optional<ReplyFilter> intended;
  };
  std::vector<Facts> facts(n);
  std::unordered_map<std::string, std::vector<size_t>> by_zone;
  for (size_t u = 0; u < n; ++u) {
    const DnsblUse& use = list.uses[u];
    if (!use.ok()) continue;
    Facts& f = facts[u];
    f.zone = use.CanonicalZone();
    const ZoneInfo* info = zones.Find(use.zone);
    // Dead lists are PV203/PV204's business, whichever side they are on.
    f.dead = info != nullptr && info->IsDead();
    f.intended = IntendedFilter(zones, use, &f.assumed);
    // Of repeated entries only the first can cover: PV201 deletes the others.
    if (!f.dead && EarlierDuplicate(list, u) == std::nullopt) by_zone[f.zone].push_back(u);
  }
  const Blockers blockers(list);
  for (size_t i = 0; i < n; ++i) {
    const DnsblUse& x = list.uses[i];
    if (!x.ok() || facts[i].dead) continue;
    const ReplyFilter x_filter = facts[i].intended.value_or(ReplyFilter::Any());
    // Candidates: the same zone, then the combined zones holding x's data.
    std::vector<std::pair<std::string, std::optional<ReplyFilter>>> zones_to_try = {{facts[i].zone, std::nullopt}};
    for (const Containment& c : zones.ContainingLists(x.zone)) zones_to_try.emplace_back(c.combined_zone, c.codes);
    std::optional<Cover> best;
    for (const auto& [zone, codes] : zones_to_try) {
      auto it = by_zone.find(zone);
      if (it == by_zone.end()) continue;
      std::optional<ReplyFilter> hits;
      if (codes) {
        hits = MemberHits(zones, x, facts[i].intended, *codes);
        if (!hits) continue;
      }
      for (size_t j : it->second) {
        const DnsblUse& y = list.uses[j];
        if (j == i || y.check != x.check || y.log_only != x.log_only || SameEntry(x, y)) continue;
        if (best && best->index < j) break;  // the earliest cover wins
        const ReplyFilter y_filter = facts[j].intended.value_or(ReplyFilter::Any());
        std::string reason;
        if (!codes) {
          if (!y_filter.Covers(x_filter)) continue;
          // Entries that mean the same (`zen` and `zen=127.0.0.[2..11]` once
          // the first is taken with its recommended filter): only the later
          // one is redundant, or both would go.
          if (j > i && x_filter.Covers(y_filter)) continue;
          reason = y_filter.IsAny() ? fmt::format("{} without a filter accepts every answer of the zone", y.entry)
                                    : fmt::format("{} accepts every listing that {} can give", y.entry, x.entry);
        } else {
          if (!y_filter.Covers(*hits)) continue;
          reason = fmt::format("{} is part of {} (its listings answer {} there), and {} accepts those answers",
                               facts[i].zone, zone, hits->ToString(), y.entry);
        }
        if (j > i && !blockers.ClearBetween(list, i, j)) continue;
        if (facts[i].assumed || facts[j].assumed) {
          reason += " (an entry without a filter is taken as meant, with the list's recommended filter: its "
                    "other answers are error codes, see PV205)";
        }
        best = Cover{j, std::move(reason)};
        break;
      }
    }
    out[i] = std::move(best);
  }
  return out;
}

std::optional<Location> LiteralZoneWord(const DnsblUse& use) {
  const Location& w = use.zone_location;
  if (!use.zone_exact || w.source == nullptr || use.missing_zone) return std::nullopt;
  if (w.end - w.begin != use.entry.size() || w.source->Slice(w.begin, w.end) != use.entry) return std::nullopt;
  return w;
}

std::optional<std::vector<Edit>> DeleteUses(const LintContext& ctx, const DnsblList& list,
                                            const std::vector<const DnsblUse*>& uses, WordCache* cache) {
  struct Group {
    ValueSpan span;
    std::vector<ByteRange> words;
  };
  std::vector<Group> groups;
  for (const DnsblUse* use : uses) {
    const ListEntry& zone = list.entries[use->zone_index];
    for (size_t k = use->first_index; k <= use->zone_index; ++k) {
      const ListEntry& w = list.entries[k];
      if (!w.exact || w.where.source == nullptr || !SameVia(w, zone)) return std::nullopt;
      if (w.where.source->Slice(w.where.begin, w.where.end) != w.text) return std::nullopt;
    }
    std::optional<ValueSpan> span = FindValueSpan(ctx, zone.where);
    if (!span) return std::nullopt;
    Group* g = nullptr;
    for (Group& existing : groups) {
      if (existing.span.source == span->source && existing.span.begin == span->begin) g = &existing;
    }
    if (g == nullptr) g = &groups.emplace_back(Group{*span, {}});
    for (size_t k = use->first_index; k <= use->zone_index; ++k) {
      const Location& at = list.entries[k].where;
      if (at.begin < span->begin || at.end > span->end) return std::nullopt;
      g->words.push_back({at.begin, at.end});
    }
  }
  std::vector<Edit> edits;
  for (const Group& g : groups) {
    std::optional<std::vector<Edit>> e = DeleteWords(g.span, g.words, cache);
    if (!e) return std::nullopt;
    edits.insert(edits.end(), e->begin(), e->end());
  }
  return edits;
}

std::optional<Fix> DeleteUseFix(const LintContext& ctx, const DnsblList& list, const DnsblUse& use,
                                std::string description, WordCache* cache) {
  std::optional<std::vector<Edit>> edits = DeleteUses(ctx, list, {&use}, cache);
  if (!edits || edits->empty()) return std::nullopt;
  return Fix{Applicability::kSafe, std::move(description), std::move(*edits)};
}

void MarkUnsafe(std::optional<Fix>* fix, const std::string& why) {
  if (!fix->has_value()) return;
  (*fix)->applicability = Applicability::kUnsafe;
  (*fix)->description += fmt::format(" (unsafe: {})", why);
}

std::string Subject(const DnsblUse& use) { return use.ok() ? use.CanonicalZone() : use.entry; }

Diagnostic* Findings::At(const Location& at) {
  auto it = by_place_.find({at.source, at.begin, at.end});
  return it == by_place_.end() ? nullptr : it->second;
}

Diagnostic& Findings::Add(Location at, std::string message, std::string subject) {
  Diagnostic& d = items_.emplace_back();
  by_place_.emplace(std::make_tuple(at.source, at.begin, at.end), &d);
  d.location = at;
  d.message = std::move(message);
  d.subject = std::move(subject);
  return d;
}

void Findings::AddNotes(Diagnostic* d, const std::vector<Note>& notes) {
  for (const Note& n : notes) {
    bool have = false;
    for (const Note& old : d->notes) have = have || (SameLocation(old.location, n.location) && old.message == n.message);
    if (!have && n.location.source != nullptr) d->notes.push_back(n);
  }
}

void AddDetail(Diagnostic* d, std::string text) {
  while (!text.empty() && (text.back() == '.' || text.back() == ' ')) text.pop_back();
  if (!text.empty()) d->notes.push_back({Location{}, std::move(text)});
}

void Findings::Emit(Sink& sink) {
  for (Diagnostic& d : items_) {
    // Located notes first, detail notes (no place) after them, each in order.
    std::stable_partition(d.notes.begin(), d.notes.end(),
                          [](const Note& n) { return n.location.source != nullptr; });
    Diagnostic& out = sink.Report(d.location, std::move(d.message), std::move(d.subject));
    out.notes = std::move(d.notes);
    out.fix = std::move(d.fix);
  }
  items_.clear();
  by_place_.clear();
}

}  // namespace postvet::dnsbl
