// Shared pieces of the probe unit tests (probe_unit_test.cpp,
// probe_rules_test.cpp, probe_resolver_test.cpp): synthetic DNS outcomes,
// zone reports judged on them, a finding's text with its notes, and a
// resolver that answers from a script.
#pragma once

#include <catch2/catch.hpp>

#include <array>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/facts/dnsbl/catalogue.hpp"
#include "src/probe/probe.hpp"
#include "src/probe/resolver.hpp"

namespace postvet::probe {

inline DnsOutcome Answer(std::vector<std::array<uint8_t, 4>> addresses, double ms = 10) {
  DnsOutcome o;
  o.status = DnsStatus::kAnswer;
  o.addresses = std::move(addresses);
  o.elapsed_ms = ms;
  return o;
}

inline DnsOutcome Got(DnsStatus status, double ms = 10) {
  DnsOutcome o;
  o.status = status;
  o.elapsed_ms = ms;
  return o;
}

inline const dnsbl::ZoneInfo* Catalogued(std::string_view zone) {
  const Result<dnsbl::Catalogue>& c = dnsbl::BuiltinCatalogue();
  REQUIRE(c.ok());
  return c->Find(zone);
}

// A zone report with the standard IPv4 points and `outcomes` in their order:
// 127.0.0.2 (listed), 127.0.0.1, then random samples.
inline ZoneReport Report(const std::string& zone, const std::vector<DnsOutcome>& outcomes, bool ipv6 = false) {
  ZoneReport r;
  r.target = {zone, ZoneKind::kIp, ipv6};
  std::mt19937 rng(7);
  std::vector<TestPoint> points = TestPointsFor(r.target, 20, rng);
  const dnsbl::ZoneInfo* info = Catalogued(zone);
  for (size_t i = 0; i < outcomes.size(); ++i) {
    PointResult p{points.at(i), outcomes[i], AnswerClass::kNoAnswer, {}};
    ClassifyAnswer(info, &p);
    r.points.push_back(p);
  }
  return r;
}

inline Verdict Judged(ZoneReport r, double slow = 200) {
  Judge(&r, slow);
  return r.verdict;
}

inline const std::array<uint8_t, 4> k2 = {127, 0, 0, 2};

// A finding's message followed by its notes, separated by " | " (docs/messages.md:
// the evidence and its consequences are detail notes).
inline std::string Said(const Diagnostic& d) {
  std::string text = d.message;
  for (const Note& n : d.notes) text += " | " + n.message;
  return text;
}


// A resolver that answers from a script, checks that every query is
// submitted before Run(), and records the deadline it was given.
class ScriptedResolver : public Resolver {
 public:
  std::function<DnsOutcome(const std::string&, QueryType)> script;
  std::vector<std::pair<std::string, QueryType>> asked;
  std::vector<DnsOutcome> outcomes;
  int runs = 0;
  Clock::time_point deadline;

  std::vector<std::size_t> groups;

  std::size_t Submit(std::string name, QueryType type, std::size_t group) override {
    REQUIRE(runs <= 1);  // before Run(), or a follow-up from the OnDone hook
    groups.push_back(group);
    asked.emplace_back(std::move(name), type);
    return asked.size() - 1;
  }
  // Answers in submission order, follow-ups included, each reported done at once.
  void Run(Clock::time_point d) override {
    ++runs;
    deadline = d;
    for (std::size_t i = 0; i < asked.size(); ++i) {
      const auto [name, type] = asked[i];
      outcomes.push_back(script(name, type));
      NotifyDone(i);
    }
  }
  const DnsOutcome& Outcome(std::size_t id) const override { return outcomes.at(id); }
};


}  // namespace postvet::probe
