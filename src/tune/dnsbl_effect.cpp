// JudgeDnsbls() and RenderDnsblEffect() (see dnsbl_effect.hpp).
#include "src/tune/dnsbl_effect.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace postvet::tune {
namespace {

constexpr int64_t kDay = 86400;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

// A zone from the log, shortened when it is longer than any real one.
std::string Shown(std::string_view zone) {
  constexpr size_t kMaxShown = 80;
  if (zone.size() <= kMaxShown) return std::string(zone);
  return fmt::format("{}... ({} bytes)", zone.substr(0, kMaxShown), zone.size());
}

std::string Plural(size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string_view DnsblVerdictName(DnsblVerdict verdict) {
  switch (verdict) {
    case DnsblVerdict::kEffective: return "effective";
    case DnsblVerdict::kRedundant: return "redundant";
    case DnsblVerdict::kCaughtNothing: return "caught nothing";
    case DnsblVerdict::kNotJudged: return "not judged";
  }
  return "not judged";
}

std::vector<DnsblListReport> JudgeDnsbls(const LogEvidence& ev, const std::vector<std::string>& configured) {
  std::vector<DnsblListReport> out;
  auto find = [&](const std::string& key) -> DnsblListReport* {
    for (DnsblListReport& r : out) {
      if (Lower(r.zone) == key) return &r;
    }
    return nullptr;
  };
  for (const std::string& zone : configured) {
    if (zone.empty() || find(Lower(zone)) != nullptr) continue;
    DnsblListReport r;
    r.zone = zone;
    r.configured = true;
    out.push_back(std::move(r));
  }
  size_t configured_count = out.size();
  for (const auto& [zone, effect] : ev.dnsbl_effect) {
    DnsblListReport* r = find(Lower(zone));
    if (r == nullptr) {
      out.push_back(DnsblListReport{});
      r = &out.back();
      r->zone = zone;
    }
    r->effect = effect;
  }
  for (const auto& [zone, n] : ev.dnsbl_errors) {
    if (DnsblListReport* r = find(Lower(zone))) r->errors += n;
  }
  bool activity = ev.postscreen_dnsbl_ranks > 0 || ev.smtpd_dnsbl_rejects > 0 || ev.postscreen_dnsbl_rejects > 0;
  for (const DnsblListReport& r : out) activity = activity || r.effect.caught > 0 || r.effect.listed > 0;
  bool long_enough = ev.SpanSeconds() >= kDay;
  for (DnsblListReport& r : out) {
    const DnsblEffect& e = r.effect;
    bool caught_any = e.caught > 0 || e.listed > 0 || e.rejects > 0;
    if (!caught_any) {
      if (!r.configured) continue;
      if (!long_enough || !activity) {
        r.reason = !long_enough ? "the log covers less than 24 h" : "no DNS list caught anything in the log";
        continue;
      }
      r.verdict = DnsblVerdict::kCaughtNothing;
      r.reason = fmt::format("caught no client in {:.1f} days{}: consider removing it (every lookup costs time and "
                             "queries)",
                             static_cast<double>(ev.SpanSeconds()) / 86400.0,
                             r.errors > 0 ? fmt::format(", and {} of its lookups failed", r.errors) : std::string());
    } else if (e.caught > 0 && e.only_this == 0) {
      r.verdict = DnsblVerdict::kRedundant;
      r.reason = fmt::format("every client it caught ({}) another list caught too", e.caught);
    } else if (e.caught > 0) {
      r.verdict = DnsblVerdict::kEffective;
      r.reason = fmt::format("{} of the {} clients it caught no other list caught", e.only_this, e.caught);
    }
  }
  std::stable_sort(out.begin() + static_cast<std::ptrdiff_t>(configured_count), out.end(),
                   [](const DnsblListReport& a, const DnsblListReport& b) { return a.effect.caught > b.effect.caught; });
  return out;
}

std::string RenderDnsblEffect(const LogEvidence& ev, const std::vector<DnsblListReport>& lists) {
  if (lists.empty() && ev.postscreen_dnsbl_ranks == 0) return "";
  std::string out = "DNS list effectiveness\n";
  out += fmt::format("  rejects naming a list: {} by smtpd, {} by postscreen; postscreen DNSBL ranks logged: {}\n",
                     ev.smtpd_dnsbl_rejects, ev.postscreen_dnsbl_rejects, ev.postscreen_dnsbl_ranks);
  size_t shown = 0;
  for (const DnsblListReport& r : lists) {
    if (++shown > kMaxPrintedLists) break;
    const DnsblEffect& e = r.effect;
    out += fmt::format("  {}{}: caught {} ({} only by this list, {} also by another); {}, {}; {}\n", Shown(r.zone),
                       r.configured ? "" : " (not in this configuration)", Plural(e.caught, "client", "clients"),
                       e.only_this, e.also_caught_by_other, Plural(e.rejects, "reject", "rejects"),
                       Plural(e.listed, "listing", "listings"),
                       Plural(r.errors, "lookup error or timeout", "lookup errors and timeouts"));
    if (!r.reason.empty()) out += fmt::format("      {}: {}\n", DnsblVerdictName(r.verdict), r.reason);
  }
  if (lists.size() > kMaxPrintedLists) out += fmt::format("  and {} more lists\n", lists.size() - kMaxPrintedLists);
  return out;
}

}  // namespace postvet::tune
