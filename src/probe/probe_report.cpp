#include "src/probe/probe_report.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"

namespace postvet::probe {
namespace {

std::string Ms(double ms, bool at_least) {
  return fmt::format("{}{:.0f} ms", at_least ? ">= " : "", ms);
}

}  // namespace

double WorstLookupMs(const ZoneReport& zone, const ProbeOptions& options, bool* no_answer) {
  bool missing = std::any_of(zone.points.begin(), zone.points.end(),
                             [](const PointResult& r) { return r.answer == AnswerClass::kNoAnswer; });
  *no_answer = missing;
  if (!missing) return zone.latency.p95_ms;
  // c-ares waits timeout, 2*timeout, 4*timeout, ... over its tries.
  double wait = 0;
  for (int i = 0; i < std::clamp(options.resolver.tries, 1, 16); ++i) {
    wait += static_cast<double>(options.resolver.timeout_ms) * static_cast<double>(1 << i);
  }
  return std::min(wait, static_cast<double>(options.deadline_ms));
}

std::vector<ScopeBudget> ComputeBudgets(const LintContext& ctx, const ProbeResults& results) {
  const std::vector<dnsbl::DnsblList>& lists = FactsOf(ctx).DnsblLists();
  std::vector<const MasterService*> scopes = {nullptr};
  for (const dnsbl::DnsblList& l : lists) {
    if (l.service != nullptr && std::find(scopes.begin(), scopes.end(), l.service) == scopes.end()) {
      scopes.push_back(l.service);
    }
  }
  std::vector<ScopeBudget> out;
  for (const MasterService* scope : scopes) {
    ScopeBudget b;
    b.scope = dnsbl::ScopeName(scope);
    std::set<const ZoneReport*> smtpd, postscreen;
    for (const dnsbl::DnsblList& l : lists) {
      if (!l.InScope(scope)) continue;
      for (const dnsbl::DnsblUse& use : l.uses) {
        if (!use.ok()) continue;
        const ZoneReport* z = results.Find(use.zone, ZoneKindOfCheck(use.check));
        if (z == nullptr) continue;
        (l.kind == dnsbl::ListKind::kPostscreenSites ? postscreen : smtpd).insert(z);
      }
    }
    if (smtpd.empty() && postscreen.empty()) continue;
    for (const ZoneReport* z : smtpd) {
      bool none = false;
      b.smtpd_ms += WorstLookupMs(*z, results.options, &none);
      b.smtpd_at_least = b.smtpd_at_least || none;
    }
    for (const ZoneReport* z : postscreen) {
      bool none = false;
      b.postscreen_ms = std::max(b.postscreen_ms, WorstLookupMs(*z, results.options, &none));
      b.postscreen_at_least = b.postscreen_at_least || none;
    }
    b.smtpd_zones = smtpd.size();
    b.postscreen_zones = postscreen.size();
    out.push_back(std::move(b));
  }
  return out;
}

std::string RenderProbeTable(const ProbeResults& results, const std::vector<ScopeBudget>& budgets) {
  size_t queries = 0;
  size_t width = 4;
  for (const ZoneReport& z : results.zones) {
    queries += z.points.size();
    width = std::max(width, z.target.zone.size());
  }
  width = std::min<size_t>(width, 60);
  std::string out = fmt::format("\nDNS list probe: {} zone{}, {} queries, {:.0f} ms\n", results.zones.size(),
                                results.zones.size() == 1 ? "" : "s", queries, results.elapsed_ms);
  if (results.zones.empty()) return out;
  if (!results.resolver.empty()) {
    out += fmt::format("Resolver: {}, at {}\n", report::TerminalSafe(results.resolver), results.started_utc);
  }
  if (!results.resolver_note.empty()) out += fmt::format("Note: {}\n", report::TerminalSafe(results.resolver_note));
  out += fmt::format("{:<{}}  {:<6}  {:<16}  {:>9}  {:>9}\n", "ZONE", width, "KIND", "VERDICT", "MEDIAN", "P95");
  for (const ZoneReport& z : results.zones) {
    std::string median = "-", p95 = "-";
    if (z.latency.samples > 0) {
      median = fmt::format("{:.0f} ms", z.latency.median_ms);
      p95 = fmt::format("{:.0f} ms", z.latency.p95_ms);
    }
    // Zone names come from the configuration: keep control bytes off the terminal.
    out += fmt::format("{:<{}}  {:<6}  {:<16}  {:>9}  {:>9}\n", report::TerminalSafe(z.target.zone), width,
                       ZoneKindName(z.target.kind), VerdictName(z.verdict), median, p95);
  }
  for (const ScopeBudget& b : budgets) {
    out += fmt::format("Worst case per connection, {}:", b.scope);
    if (b.smtpd_zones > 0) {
      out += fmt::format(" smtpd restrictions ask {} zone{} one after another, {}", b.smtpd_zones,
                         b.smtpd_zones == 1 ? "" : "s", Ms(b.smtpd_ms, b.smtpd_at_least));
    }
    if (b.smtpd_zones > 0 && b.postscreen_zones > 0) out += ";";
    if (b.postscreen_zones > 0) {
      out += fmt::format(" postscreen asks {} zone{} in parallel, {}", b.postscreen_zones,
                         b.postscreen_zones == 1 ? "" : "s", Ms(b.postscreen_ms, b.postscreen_at_least));
    }
    out += "\n";
  }
  return out;
}

std::string AddProbeJson(std::string json, const ProbeResults& results) {
  constexpr std::string_view kEnd = "\n}\n";
  if (!json.ends_with(kEnd)) return json;
  std::string member;
  report::JsonWriter w(&member);
  auto ms = [](double v) { return static_cast<uint64_t>(std::llround(std::max(v, 0.0))); };
  w.BeginObject();
  w.Key("probe");
  w.BeginObject();
  w.StringField("started", results.started_utc);
  w.StringField("resolver", results.resolver);
  w.StringField("resolver_note", results.resolver_note);
  w.UintField("elapsed_ms", ms(results.elapsed_ms));
  w.Key("zones");
  w.BeginArray();
  for (const ZoneReport& z : results.zones) {
    w.BeginObject();
    w.StringField("zone", z.target.zone);
    w.StringField("kind", ZoneKindName(z.target.kind));
    w.StringField("verdict", VerdictName(z.verdict));
    w.StringField("reason", z.reason);
    w.UintField("queries", z.points.size());
    w.UintField("answers", z.latency.samples);
    w.Key("median_ms");
    z.latency.samples > 0 ? w.Uint(ms(z.latency.median_ms)) : w.Null();
    w.Key("p95_ms");
    z.latency.samples > 0 ? w.Uint(ms(z.latency.p95_ms)) : w.Null();
    w.Key("points");
    w.BeginArray();
    for (const PointResult& r : z.points) {
      w.BeginObject();
      w.StringField("query", r.point.query);
      w.StringField("expect", r.point.expect == Expect::kListed ? "listed" : "not-listed");
      w.StringField("status", DnsStatusName(r.outcome.status));
      std::string addresses;
      for (const auto& a : r.outcome.addresses) {
        addresses += fmt::format("{}{}.{}.{}.{}", addresses.empty() ? "" : ",", a[0], a[1], a[2], a[3]);
      }
      w.StringField("addresses", addresses);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  w.EndObject();
  // member is "{\n  \"probe\": {...}\n}": keep what lies inside the outer braces.
  std::string_view inner(member);
  inner.remove_prefix(1);
  inner.remove_suffix(2);
  json.resize(json.size() - kEnd.size());
  json += ",";
  json += inner;
  json += kEnd;
  return json;
}

}  // namespace postvet::probe
