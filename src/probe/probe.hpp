// The live DNSBL probe: asks every DNS list a configuration uses its RFC
// 5782 test points through a Resolver and judges from the answers whether
// the list works (healthy), is dead, lists everything, answers with policy
// or error codes, is slow, or does not answer. `postvet probe` and `postvet
// check --probe` run it; the PV9xx rules (rules/probe/) report its verdicts
// at each place the configuration names the zone.
//
// Test points (RFC 5782 section 5): an IP list must list 127.0.0.2
// (queried as 2.0.0.127.<zone>) and must not list 127.0.0.1; a domain list
// must list TEST and must not list INVALID. Where the catalogue says a list
// answers IPv6 queries, ::FFFF:7F00:2 and ::FFFF:7F00:1 are asked too (in
// nibble form). These fixed points decide the verdicts, and their answer
// times are the latency samples. Only where one of them took more than half
// the --slow threshold are `samples` random names that no list may list
// (TEST-NET addresses of RFC 5737, names under the reserved .example TLD)
// asked as well: they are in no resolver's cache, so a "slow" verdict rests
// on fresh answers, and they are more names that must not be listed (a
// sample the deadline cuts off is left out: it was an extra). A TXT
// query on the listed test point fetches the list's explanation where a
// point answered a policy code (PV903 quotes it).
//
// Two control names (resolver_check.hpp) are sent along with the zones'
// points, so that a resolver unfit to judge lists is told apart from dead
// lists; the verdicts are given only after the run, when they are known.
//
// Why so few queries: 100 lists through one resolver should take about one
// round trip, and every query beyond the verdicts' costs buffer space at the
// resolver (bench/README.md, "Live DNS probe: flow control").
//
// Contract: RunProbe() submits the controls and every zone's fixed points
// before running them (the resolver paces them, resolver.hpp), the
// follow-ups (samples, TXT) as answers show the need, and returns within
// ProbeOptions::deadline_ms. Judge() is pure: the same
// answers give the same verdict. An error answer (SERVFAIL, REFUSED,
// malformed, a policy code of the catalogue, an address outside 127/8) is
// never taken for a listing.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "src/probe/resolver.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::dnsbl {
struct ZoneInfo;
enum class CheckKind : uint8_t;
}

namespace postvet::probe {

/// How a zone is asked: by client IP address or by domain name.
enum class ZoneKind : uint8_t { kIp, kDomain };

/// "ip", "domain".
std::string_view ZoneKindName(ZoneKind kind);
/// How a check asks its list: reject_rbl_client, permit_dnswl_client and
/// postscreen by IP address, the rhsbl/rhswl checks by domain.
ZoneKind ZoneKindOfCheck(dnsbl::CheckKind check);

/// One zone to probe.
struct ZoneTarget {
  std::string zone;  ///< canonical: lowercase, no final dot
  ZoneKind kind = ZoneKind::kIp;
  bool ipv6 = false;  ///< ask the IPv6 test points too
};

/// What a test point should get.
enum class Expect : uint8_t { kListed, kNotListed };

/// One name asked of a zone.
struct TestPoint {
  std::string label;  ///< for messages: "127.0.0.2", "::FFFF:7F00:1", "TEST", "192.0.2.77"
  std::string query;  ///< "2.0.0.127.zen.spamhaus.org"
  Expect expect = Expect::kNotListed;
  bool ipv6 = false;
  bool random = false;  ///< a random sample rather than a fixed RFC 5782 point
};

/// What one answer means for a DNS list.
enum class AnswerClass : uint8_t {
  kListed,     ///< A records inside 127/8 that are no policy code
  kNotListed,  ///< NXDOMAIN or NODATA
  kPolicy,     ///< a policy/error code of the catalogue, or an address outside 127/8
  kServFail,
  kRefused,
  kMalformed,
  kNoAnswer,   ///< timeout, deadline, or no server reachable
};

/// A test point and its answer.
struct PointResult {
  TestPoint point;
  DnsOutcome outcome;
  AnswerClass answer = AnswerClass::kNoAnswer;
  /// For kPolicy: what the code means ("public-resolver") or "outside 127.0.0.0/8".
  std::string policy;
};

/// The verdict on one zone, in order of precedence (the first that applies).
enum class Verdict : uint8_t {
  kHealthy,
  kPolicy,           ///< PV903: policy/error answers (or REFUSED, malformed, SERVFAIL on the negatives)
  kListsEverything,  ///< PV902: a "must not be listed" point is listed
  kDead,             ///< PV901: the "must be listed" point is not (NXDOMAIN, NODATA, SERVFAIL)
  kTimeout,          ///< PV905: some test point got no answer
  kSlow,             ///< PV904: p95 latency above the threshold
};

/// "ok", "policy-code", "lists-everything", "dead", "timeout", "slow".
std::string_view VerdictName(Verdict verdict);

/// Latency over the answered queries of a zone.
struct Latency {
  std::size_t samples = 0;
  double min_ms = 0;
  double median_ms = 0;
  double p95_ms = 0;
};

/// Everything learnt about one zone.
struct ZoneReport {
  ZoneTarget target;
  std::vector<PointResult> points;
  /// TXT strings of the listed test point (the list's explanation), if any.
  std::vector<std::string> texts;
  Latency latency;
  Verdict verdict = Verdict::kHealthy;
  /// The point that decided the verdict (index into points), if any.
  std::optional<std::size_t> decisive;
  /// One sentence: what was asked and what came back.
  std::string reason;
};

/// How to probe.
struct ProbeOptions {
  ResolverOptions resolver;
  /// Random "must not be listed" samples asked of a zone whose fixed points
  /// answered in more than slow_ms / 2 (besides the fixed points).
  int samples = 3;
  /// Global deadline of the whole probe.
  int deadline_ms = 10000;
  /// PV904 threshold for the p95 latency.
  double slow_ms = 200;
  /// Seed for the random samples; 0 draws one.
  uint32_t seed = 0;
};

/// The outcome of one probe run (what the PV9xx rules and the table read).
struct ProbeResults {
  ProbeOptions options;
  std::vector<ZoneReport> zones;
  /// The control names (resolver_check.hpp) and their answers.
  std::vector<PointResult> controls;
  double elapsed_ms = 0;
  /// When the probe started, UTC, "2026-12-06 05:30:12 UTC" (fix texts say when it was observed).
  std::string started_utc;
  /// The resolver asked, "127.0.0.1:53 (from /etc/resolv.conf)", and why it was chosen ("" if nothing to say).
  std::string resolver;
  std::string resolver_note;

  /// The report for `zone` (any case, final dot ignored) asked as `kind`.
  const ZoneReport* Find(std::string_view zone, ZoneKind kind) const;
};

/// The zones `ctx` uses (every DNS list check in every restriction list,
/// class, master.cf override and postscreen_dnsbl_sites, after expansion),
/// each once per kind, in order of first use; names that cannot be a DNS
/// name are left out.
std::vector<ZoneTarget> ZonesToProbe(const LintContext& ctx);

/// The names to ask for `target`: fixed points first (the listed one at
/// index 0), then `samples` random ones drawn from `rng`.
std::vector<TestPoint> TestPointsFor(const ZoneTarget& target, int samples, std::mt19937& rng);

/// Classifies `result.outcome` against the zone's catalogue row (policy
/// codes; null for unknown zones) and fills result.answer and .policy.
void ClassifyAnswer(const dnsbl::ZoneInfo* info, PointResult* result);

/// Fills report->latency, verdict, decisive and reason from classified points.
void Judge(ZoneReport* report, double slow_ms);

/// Probes every target through `resolver`, within options.deadline_ms.
ProbeResults RunProbe(const std::vector<ZoneTarget>& targets, Resolver& resolver, const ProbeOptions& options);

}  // namespace postvet::probe
