// The probe's judgement: what each answer means (ClassifyAnswer) and what
// the answers of one zone add up to (Judge). Pure functions of the answers,
// so tests/probe_unit_test.cpp can feed them synthetic ones.
//
// Precedence, and why: an error or policy answer explains every other
// symptom (Spamhaus answers 127.255.255.254 to a public resolver for every
// name, which would otherwise look like "lists everything"), so it comes
// first; then a listed negative point (rejects innocent mail); then a
// positive point that is not listed (the list is dead); then missing
// answers; then slowness, which only matters for a list that works.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "src/facts/dnsbl/catalogue.hpp"
#include "src/probe/probe.hpp"

namespace postvet::probe {
namespace {

std::string Address(const std::array<uint8_t, 4>& a) { return fmt::format("{}.{}.{}.{}", a[0], a[1], a[2], a[3]); }

std::string Addresses(const DnsOutcome& outcome) {
  std::string out;
  for (const auto& a : outcome.addresses) out += (out.empty() ? "" : ", ") + Address(a);
  return out;
}

// "2.0.0.127.zone (test point 127.0.0.2)".
std::string Asked(const PointResult& r) { return fmt::format("{} (test point {})", r.point.query, r.point.label); }

// What came back, in words.
std::string Got(const PointResult& r) {
  switch (r.answer) {
    case AnswerClass::kListed: return "answered " + Addresses(r.outcome);
    case AnswerClass::kPolicy:
      return fmt::format("answered {}, which is not a listing but {}", Addresses(r.outcome),
                         r.policy == "outside 127.0.0.0/8" ? "an address outside 127.0.0.0/8"
                                                           : "the list's \"" + r.policy + "\" error code");
    case AnswerClass::kNotListed: return "answered " + std::string(DnsStatusName(r.outcome.status));
    case AnswerClass::kServFail: return "answered SERVFAIL";
    case AnswerClass::kRefused: return "answered REFUSED";
    case AnswerClass::kMalformed:
      return r.outcome.detail.empty() ? "got a malformed answer"
                                      : fmt::format("got a malformed answer ({})", r.outcome.detail);
    case AnswerClass::kNoAnswer:
      if (r.outcome.status == DnsStatus::kError && !r.outcome.detail.empty()) {
        return fmt::format("got no answer ({})", r.outcome.detail);
      }
      return fmt::format("got no answer ({})", DnsStatusName(r.outcome.status));
  }
  return "?";
}

Latency Measure(const std::vector<PointResult>& points) {
  std::vector<double> ms;
  for (const PointResult& r : points) {
    if (r.outcome.Answered()) ms.push_back(r.outcome.elapsed_ms);
  }
  Latency l;
  l.samples = ms.size();
  if (ms.empty()) return l;
  std::sort(ms.begin(), ms.end());
  l.min_ms = ms.front();
  const size_t n = ms.size();
  l.median_ms = n % 2 == 1 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2;
  // Nearest rank: the smallest value with at least 95% of the samples at or below it.
  const auto rank = static_cast<size_t>(std::ceil(0.95 * static_cast<double>(n)));
  l.p95_ms = ms[std::clamp<size_t>(rank, 1, n) - 1];
  return l;
}

template <typename Pred>
std::optional<size_t> FirstWhere(const std::vector<PointResult>& points, Pred pred) {
  for (size_t i = 0; i < points.size(); ++i) {
    if (pred(points[i])) return i;
  }
  return std::nullopt;
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHealthy: return "ok";
    case Verdict::kPolicy: return "policy-code";
    case Verdict::kListsEverything: return "lists-everything";
    case Verdict::kDead: return "dead";
    case Verdict::kTimeout: return "timeout";
    case Verdict::kSlow: return "slow";
  }
  return "?";
}

void ClassifyAnswer(const dnsbl::ZoneInfo* info, PointResult* result) {
  const DnsOutcome& o = result->outcome;
  result->policy.clear();
  switch (o.status) {
    case DnsStatus::kAnswer:
      result->answer = AnswerClass::kListed;
      for (const auto& a : o.addresses) {
        if (const dnsbl::PolicyCode* code = info != nullptr ? info->PolicyCodeFor(a) : nullptr) {
          result->answer = AnswerClass::kPolicy;
          result->policy = std::string(dnsbl::PolicyReasonName(code->reason));
          return;
        }
        // RFC 5782 section 2.3: list entries are 127.0.0.0/8 addresses;
        // anything else is a resolver rewriting NXDOMAIN, or garbage.
        if (a[0] != 127) {
          result->answer = AnswerClass::kPolicy;
          result->policy = "outside 127.0.0.0/8";
        }
      }
      if (o.addresses.empty()) result->answer = AnswerClass::kNotListed;
      return;
    case DnsStatus::kNoData:
    case DnsStatus::kNxDomain: result->answer = AnswerClass::kNotListed; return;
    case DnsStatus::kServFail: result->answer = AnswerClass::kServFail; return;
    case DnsStatus::kRefused: result->answer = AnswerClass::kRefused; return;
    case DnsStatus::kMalformed: result->answer = AnswerClass::kMalformed; return;
    case DnsStatus::kTimeout:
    case DnsStatus::kDeadline:
    case DnsStatus::kError: result->answer = AnswerClass::kNoAnswer; return;
  }
}

void Judge(ZoneReport* report, double slow_ms) {
  const std::vector<PointResult>& points = report->points;
  report->latency = Measure(points);
  report->decisive.reset();
  report->reason.clear();
  auto decide = [&](Verdict v, std::optional<size_t> at, std::string reason) {
    report->verdict = v;
    report->decisive = at;
    report->reason = std::move(reason);
  };
  auto count = [&](auto pred) { return std::count_if(points.begin(), points.end(), pred); };
  auto of_total = [&](long n, std::string_view what) {
    return n > 1 ? fmt::format(" ({} of {} test points {})", n, points.size(), what) : std::string();
  };

  if (auto i = FirstWhere(points, [](const PointResult& r) {
        return r.answer == AnswerClass::kPolicy || r.answer == AnswerClass::kRefused ||
               r.answer == AnswerClass::kMalformed;
      })) {
    long n = count([](const PointResult& r) {
      return r.answer == AnswerClass::kPolicy || r.answer == AnswerClass::kRefused ||
             r.answer == AnswerClass::kMalformed;
    });
    decide(Verdict::kPolicy, i, fmt::format("{} {}{}", Asked(points[*i]), Got(points[*i]), of_total(n, "did")));
    return;
  }
  auto listed_negative = [](const PointResult& r) {
    return r.point.expect == Expect::kNotListed && r.answer == AnswerClass::kListed;
  };
  if (auto i = FirstWhere(points, listed_negative)) {
    long n = count(listed_negative);
    long negatives = count([](const PointResult& r) { return r.point.expect == Expect::kNotListed; });
    decide(Verdict::kListsEverything, i,
           fmt::format("{}, which no list may list, {} ({} of {} such names were listed)", Asked(points[*i]),
                       Got(points[*i]), n, negatives));
    return;
  }
  // The IPv4 (or domain) positive point decides "dead"; a missing IPv6
  // listing alone does not make an IPv4 list useless.
  if (auto i = FirstWhere(points, [](const PointResult& r) { return r.point.expect == Expect::kListed && !r.point.ipv6; })) {
    const PointResult& r = points[*i];
    if (r.answer == AnswerClass::kNotListed || r.answer == AnswerClass::kServFail) {
      decide(Verdict::kDead, i, fmt::format("{}, which every working list lists, {}", Asked(r), Got(r)));
      return;
    }
  }
  if (auto i = FirstWhere(points, [](const PointResult& r) { return r.answer == AnswerClass::kServFail; })) {
    decide(Verdict::kPolicy, i, fmt::format("{} {}", Asked(points[*i]), Got(points[*i])));
    return;
  }
  if (auto i = FirstWhere(points, [](const PointResult& r) { return r.answer == AnswerClass::kNoAnswer; })) {
    long n = count([](const PointResult& r) { return r.answer == AnswerClass::kNoAnswer; });
    decide(Verdict::kTimeout, i,
           fmt::format("{} of {} queries got no answer; {} {}", n, points.size(), Asked(points[*i]), Got(points[*i])));
    return;
  }
  if (report->latency.samples > 0 && report->latency.p95_ms > slow_ms) {
    decide(Verdict::kSlow, std::nullopt,
           fmt::format("its answers took {:.0f} ms at the 95th percentile (median {:.0f} ms, {} answers), above "
                       "the {:.0f} ms threshold",
                       report->latency.p95_ms, report->latency.median_ms, report->latency.samples, slow_ms));
    return;
  }
  decide(Verdict::kHealthy, std::nullopt, {});
}

}  // namespace postvet::probe
