// The probe's plan and run: which zones, which names to ask, all queries
// submitted before the resolver runs. The verdicts are in verdict.cpp.
#include "src/probe/probe.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "rules/dnsbl/catalogue.hpp"
#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/lint_context.hpp"
#include "src/probe/resolver_check.hpp"

namespace postvet::probe {
namespace {

// RFC 5737 documentation networks: never routed, so never legitimately listed.
constexpr std::array<std::array<uint8_t, 3>, 3> kTestNets = {{{192, 0, 2}, {198, 51, 100}, {203, 0, 113}}};
// More samples than this add load without telling more.
constexpr int kMaxSamples = 20;

// Labels of letters, digits, '-' and '_' (some list operators use '_'),
// none empty, short enough that the longest test point (72 bytes of IPv6
// nibbles) still fits a 253-byte name.
bool IsQueryableZone(std::string_view zone) {
  if (zone.empty() || zone.size() > 253 - 73) return false;
  size_t label = 0;
  for (char c : zone) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label != 0;
}

// The nibble-reversed form of an IPv6 address for DNS list queries.
std::string Nibbles(const std::array<uint8_t, 16>& address) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = address.size(); i-- > 0;) {
    out += kHex[address[i] & 0xf];
    out += '.';
    out += kHex[address[i] >> 4];
    out += '.';
  }
  return out;
}

// ::FFFF:7F00:<last>, RFC 5782's IPv6 test points.
std::array<uint8_t, 16> MappedLoopback(uint8_t last) {
  std::array<uint8_t, 16> a{};
  a[10] = 0xff, a[11] = 0xff, a[12] = 0x7f, a[15] = last;
  return a;
}

}  // namespace

std::string_view ZoneKindName(ZoneKind kind) { return kind == ZoneKind::kIp ? "ip" : "domain"; }

ZoneKind ZoneKindOfCheck(dnsbl::CheckKind check) {
  switch (check) {
    case dnsbl::CheckKind::kRblClient:
    case dnsbl::CheckKind::kDnswlClient:
    case dnsbl::CheckKind::kPostscreen:
      return ZoneKind::kIp;
    default:
      return ZoneKind::kDomain;
  }
}

const ZoneReport* ProbeResults::Find(std::string_view zone, ZoneKind kind) const {
  std::string canonical = dnsbl::CanonicalZone(zone);
  for (const ZoneReport& z : zones) {
    if (z.target.kind == kind && z.target.zone == canonical) return &z;
  }
  return nullptr;
}

std::vector<ZoneTarget> ZonesToProbe(const LintContext& ctx) {
  const dnsbl::Catalogue* catalogue = dnsbl::Zones();
  std::vector<ZoneTarget> out;
  std::set<std::pair<std::string, ZoneKind>> seen;
  for (const dnsbl::DnsblUse& use : FactsOf(ctx).DnsblUses()) {
    if (!use.ok()) continue;
    ZoneTarget t;
    t.zone = use.CanonicalZone();
    t.kind = ZoneKindOfCheck(use.check);
    if (!IsQueryableZone(t.zone) || !seen.emplace(t.zone, t.kind).second) continue;
    if (t.kind == ZoneKind::kIp && catalogue != nullptr) {
      const dnsbl::ZoneInfo* info = catalogue->Find(t.zone);
      t.ipv6 = info != nullptr && info->ipv6 == dnsbl::Ipv6Support::kYes;
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<TestPoint> TestPointsFor(const ZoneTarget& target, int samples, std::mt19937& rng) {
  std::vector<TestPoint> points;
  const std::string& zone = target.zone;
  std::set<std::string> used;
  samples = std::clamp(samples, 0, kMaxSamples);
  if (target.kind == ZoneKind::kIp) {
    points.push_back({"127.0.0.2", "2.0.0.127." + zone, Expect::kListed, false, false});
    points.push_back({"127.0.0.1", "1.0.0.127." + zone, Expect::kNotListed, false, false});
    if (target.ipv6) {
      points.push_back({"::FFFF:7F00:2", Nibbles(MappedLoopback(2)) + zone, Expect::kListed, true, false});
      points.push_back({"::FFFF:7F00:1", Nibbles(MappedLoopback(1)) + zone, Expect::kNotListed, true, false});
    }
    std::uniform_int_distribution<int> net(0, static_cast<int>(kTestNets.size()) - 1);
    std::uniform_int_distribution<int> host(1, 254);
    while (static_cast<int>(used.size()) < samples) {
      const auto& n = kTestNets[static_cast<size_t>(net(rng))];
      int h = host(rng);
      std::string label = fmt::format("{}.{}.{}.{}", n[0], n[1], n[2], h);
      if (!used.insert(label).second) continue;
      points.push_back({label, fmt::format("{}.{}.{}.{}.{}", h, n[2], n[1], n[0], zone), Expect::kNotListed,
                        false, true});
    }
  } else {
    points.push_back({"TEST", "test." + zone, Expect::kListed, false, false});
    points.push_back({"INVALID", "invalid." + zone, Expect::kNotListed, false, false});
    // Names under .example (RFC 2606) exist nowhere, so no list may list them.
    std::uniform_int_distribution<uint32_t> word(0, 0xffffff);
    while (static_cast<int>(used.size()) < samples) {
      std::string label = fmt::format("pv{:06x}.example", word(rng));
      if (!used.insert(label).second) continue;
      points.push_back({label, label + "." + zone, Expect::kNotListed, false, true});
    }
  }
  return points;
}

static std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  return buf;
}

ProbeResults RunProbe(const std::vector<ZoneTarget>& targets, Resolver& resolver, const ProbeOptions& options) {
  const Clock::time_point start = Clock::now();
  ProbeResults results;
  results.options = options;
  results.started_utc = UtcNow();
  std::mt19937 rng(options.seed != 0 ? options.seed : std::random_device{}());
  // The controls first, in a group of their own (after the zones' groups).
  std::vector<size_t> control_ids;
  for (TestPoint& p : ControlPoints(rng)) {
    control_ids.push_back(resolver.Submit(p.query, QueryType::kA, targets.size()));
    results.controls.push_back({std::move(p), {}, AnswerClass::kNoAnswer, {}});
  }
  // Query ids of each zone's points, and of its TXT query (on the listed point).
  std::vector<std::vector<size_t>> ids(targets.size());
  std::vector<size_t> txt_ids(targets.size());
  for (size_t z = 0; z < targets.size(); ++z) {
    ZoneReport& report = results.zones.emplace_back();
    report.target = targets[z];
    for (TestPoint& p : TestPointsFor(targets[z], options.samples, rng)) {
      ids[z].push_back(resolver.Submit(p.query, QueryType::kA, z));
      report.points.push_back({std::move(p), {}, AnswerClass::kNoAnswer, {}});
    }
    txt_ids[z] = resolver.Submit(report.points.front().point.query, QueryType::kTxt, z);
  }
  resolver.Run(start + std::chrono::milliseconds(std::max(options.deadline_ms, 0)));

  for (size_t i = 0; i < results.controls.size(); ++i) {
    results.controls[i].outcome = resolver.Outcome(control_ids[i]);
    ClassifyAnswer(nullptr, &results.controls[i]);
  }
  const dnsbl::Catalogue* catalogue = dnsbl::Zones();
  for (size_t z = 0; z < targets.size(); ++z) {
    ZoneReport& report = results.zones[z];
    const dnsbl::ZoneInfo* info = catalogue != nullptr ? catalogue->Find(report.target.zone) : nullptr;
    for (size_t i = 0; i < report.points.size(); ++i) {
      report.points[i].outcome = resolver.Outcome(ids[z][i]);
      ClassifyAnswer(info, &report.points[i]);
    }
    const DnsOutcome& txt = resolver.Outcome(txt_ids[z]);
    if (txt.status == DnsStatus::kAnswer) report.texts = txt.texts;
    Judge(&report, options.slow_ms);
  }
  results.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return results;
}

}  // namespace postvet::probe
