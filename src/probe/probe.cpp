// The probe's plan and run: which zones, which names to ask, all queries
// submitted before the resolver runs. The verdicts are in verdict.cpp.
#include "src/probe/probe.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/facts/dnsbl/catalogue.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
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
  const dnsbl::Catalogue* catalogue = dnsbl::Zones();
  // What each query id stands for: a control, a zone's point, or its TXT query.
  struct Asked {
    enum class Kind : uint8_t { kControl, kPoint, kTxt } kind;
    std::size_t zone;
    std::size_t index;  // into controls or the zone's points
  };
  std::vector<Asked> asked;
  auto submit = [&](const std::string& name, QueryType type, std::size_t group, Asked what) {
    const std::size_t id = resolver.Submit(name, type, group);
    if (asked.size() <= id) asked.resize(id + 1, {Asked::Kind::kControl, 0, 0});
    asked[id] = what;
  };
  // The controls, in a group of their own (after the zones' groups). They
  // leave with the zones' first queries; every verdict waits for them anyway
  // (ResolverFailure() is judged on the finished run).
  for (TestPoint& p : ControlPoints(rng)) {
    submit(p.query, QueryType::kA, targets.size(), {Asked::Kind::kControl, 0, results.controls.size()});
    results.controls.push_back({std::move(p), {}, AnswerClass::kNoAnswer, {}});
  }
  // Each zone's RFC 5782 points now; its random samples and TXT query only
  // as follow-ups (below), kept here until then.
  std::vector<std::vector<TestPoint>> samples(targets.size());
  std::vector<const dnsbl::ZoneInfo*> infos(targets.size(), nullptr);
  std::vector<bool> txt_asked(targets.size(), false);
  for (size_t z = 0; z < targets.size(); ++z) {
    ZoneReport& report = results.zones.emplace_back();
    report.target = targets[z];
    infos[z] = catalogue != nullptr ? catalogue->Find(report.target.zone) : nullptr;
    for (TestPoint& p : TestPointsFor(targets[z], options.samples, rng)) {
      if (p.random) {
        samples[z].push_back(std::move(p));
        continue;
      }
      submit(p.query, QueryType::kA, z, {Asked::Kind::kPoint, z, report.points.size()});
      report.points.push_back({std::move(p), {}, AnswerClass::kNoAnswer, {}});
    }
  }
  // Follow-ups, as each answer comes in: a zone whose point took over half
  // the --slow threshold gets its random samples (names no resolver has
  // cached, so a "slow" verdict rests on fresh answers); a zone that answers
  // a policy code gets the TXT query on its listed point (the list's own
  // explanation, for PV903's message).
  resolver.OnDone([&](std::size_t id) {
    if (id >= asked.size() || asked[id].kind != Asked::Kind::kPoint) return;
    const std::size_t z = asked[id].zone;
    PointResult result = results.zones[z].points[asked[id].index];
    result.outcome = resolver.Outcome(id);
    ClassifyAnswer(infos[z], &result);
    if (result.outcome.Answered() && result.outcome.elapsed_ms > options.slow_ms / 2 && !samples[z].empty()) {
      for (TestPoint& p : samples[z]) {
        ZoneReport& report = results.zones[z];
        submit(p.query, QueryType::kA, z, {Asked::Kind::kPoint, z, report.points.size()});
        report.points.push_back({std::move(p), {}, AnswerClass::kNoAnswer, {}});
      }
      samples[z].clear();
    }
    if (result.answer == AnswerClass::kPolicy && !txt_asked[z]) {
      txt_asked[z] = true;
      submit(results.zones[z].points.front().point.query, QueryType::kTxt, z, {Asked::Kind::kTxt, z, 0});
    }
  });
  resolver.Run(start + std::chrono::milliseconds(std::max(options.deadline_ms, 0)));
  resolver.OnDone({});

  for (std::size_t id = 0; id < asked.size(); ++id) {
    const Asked& a = asked[id];
    const DnsOutcome& outcome = resolver.Outcome(id);
    if (a.kind == Asked::Kind::kControl) {
      results.controls[a.index].outcome = outcome;
      ClassifyAnswer(nullptr, &results.controls[a.index]);
    } else if (a.kind == Asked::Kind::kPoint) {
      PointResult& point = results.zones[a.zone].points[a.index];
      point.outcome = outcome;
      ClassifyAnswer(infos[a.zone], &point);
    } else if (outcome.status == DnsStatus::kAnswer) {
      results.zones[a.zone].texts = outcome.texts;
    }
  }
  for (ZoneReport& report : results.zones) {
    // Samples are extras: one the deadline cut off (a list so slow that its
    // follow-ups could not finish) says nothing the fixed points did not.
    std::erase_if(report.points, [](const PointResult& r) {
      return r.point.random && r.outcome.status == DnsStatus::kDeadline;
    });
    Judge(&report, options.slow_ms);
  }
  results.elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  return results;
}

}  // namespace postvet::probe
