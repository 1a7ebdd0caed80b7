// Unit tests of the live DNSBL probe without any real DNS: the test points
// (RFC 5782 names, IPv6 nibbles, random samples), the meaning of each answer
// (policy codes from the catalogue, addresses outside 127/8, SERVFAIL,
// REFUSED, malformed), the verdict precedence and latency statistics on
// synthetic answers, RunProbe() over a scripted resolver, and DNS reply
// decoding. The rules on probe results and the JSON report are in
// probe_rules_test.cpp, the c-ares resolver and the resolver check in
// probe_resolver_test.cpp.
#include <catch2/catch.hpp>

#include <ares.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <map>

#include "rules/registry.hpp"
#include "src/facts/dnsbl/catalogue.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"
#include "src/probe/cares_resolver.hpp"
#include "src/probe/dns_reply.hpp"
#include "src/probe/flow_control.hpp"
#include "src/probe/resolver_check.hpp"
#include "src/probe/probe.hpp"
#include "src/probe/probe_report.hpp"

#include "tests/probe_test_util.hpp"

namespace postvet::probe {
namespace {

TEST_CASE("resolver addresses: IP, IP:PORT, [IPv6]:PORT, bare IPv6") {
  ServerAddress s;
  REQUIRE(ParseServerAddress("127.0.0.1", &s));
  CHECK((s.ip == "127.0.0.1" && s.port == 53));
  REQUIRE(ParseServerAddress("127.0.0.1:5353", &s));
  CHECK((s.ip == "127.0.0.1" && s.port == 5353));
  REQUIRE(ParseServerAddress("[::1]:5300", &s));
  CHECK((s.ip == "::1" && s.port == 5300));
  REQUIRE(ParseServerAddress("2001:db8::53", &s));
  CHECK((s.ip == "2001:db8::53" && s.port == 53));
  for (const char* bad : {"", "localhost", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:53x",
                          "[::1", "[::1]x", "300.1.1.1", "1.2.3.4:5:6x"}) {
    INFO(bad);
    CHECK_FALSE(ParseServerAddress(bad, &s));
  }
}

TEST_CASE("test points follow RFC 5782") {
  std::mt19937 rng(1);
  std::vector<TestPoint> ip = TestPointsFor({"bl.example.org", ZoneKind::kIp, false}, 3, rng);
  REQUIRE(ip.size() == 5);
  CHECK(ip[0].query == "2.0.0.127.bl.example.org");
  CHECK(ip[0].expect == Expect::kListed);
  CHECK(ip[1].query == "1.0.0.127.bl.example.org");
  CHECK(ip[1].expect == Expect::kNotListed);
  for (size_t i = 2; i < ip.size(); ++i) {
    INFO(ip[i].query);
    CHECK(ip[i].random);
    CHECK(ip[i].expect == Expect::kNotListed);
    // Reversed octets of an RFC 5737 documentation address.
    bool testnet = ip[i].label.starts_with("192.0.2.") || ip[i].label.starts_with("198.51.100.") ||
                   ip[i].label.starts_with("203.0.113.");
    CHECK(testnet);
    unsigned a = 0, b = 0, c = 0, d = 0;
    REQUIRE(std::sscanf(ip[i].label.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d) == 4);
    CHECK(ip[i].query == std::to_string(d) + "." + std::to_string(c) + "." + std::to_string(b) + "." +
                             std::to_string(a) + ".bl.example.org");
    for (size_t j = 2; j < i; ++j) CHECK(ip[j].query != ip[i].query);
  }

  std::vector<TestPoint> v6 = TestPointsFor({"zen.spamhaus.org", ZoneKind::kIp, true}, 0, rng);
  REQUIRE(v6.size() == 4);
  const std::string zeros = "0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.";
  CHECK(v6[2].query == "2.0.0.0.0.0.f.7.f.f.f.f." + zeros + "zen.spamhaus.org");
  CHECK((v6[2].expect == Expect::kListed && v6[2].ipv6));
  CHECK(v6[3].query == "1.0.0.0.0.0.f.7.f.f.f.f." + zeros + "zen.spamhaus.org");

  std::vector<TestPoint> dom = TestPointsFor({"dbl.example.org", ZoneKind::kDomain, false}, 2, rng);
  REQUIRE(dom.size() == 4);
  CHECK(dom[0].query == "test.dbl.example.org");
  CHECK(dom[1].query == "invalid.dbl.example.org");
  CHECK(dom[2].query.ends_with(".example.dbl.example.org"));
  CHECK(dom[2].query.starts_with("pv"));

  CHECK(TestPointsFor({"x.example", ZoneKind::kIp, false}, 500, rng).size() == 22);  // samples capped at 20
}

TEST_CASE("answers: listings, policy codes, foreign addresses and errors") {
  const dnsbl::ZoneInfo* zen = Catalogued("zen.spamhaus.org");
  REQUIRE(zen != nullptr);
  auto classify = [](const dnsbl::ZoneInfo* info, DnsOutcome o) {
    PointResult p{{}, std::move(o), AnswerClass::kNoAnswer, {}};
    ClassifyAnswer(info, &p);
    return p;
  };
  CHECK(classify(zen, Answer({k2})).answer == AnswerClass::kListed);
  PointResult pub = classify(zen, Answer({{127, 255, 255, 254}}));
  CHECK(pub.answer == AnswerClass::kPolicy);
  CHECK(pub.policy == "public-resolver");
  CHECK(classify(zen, Answer({{127, 255, 255, 255}})).policy == "over-quota");
  // An unknown zone has no policy codes: 127.255.255.254 is an ordinary listing.
  CHECK(classify(nullptr, Answer({{127, 255, 255, 254}})).answer == AnswerClass::kListed);
  PointResult foreign = classify(nullptr, Answer({k2, {198, 51, 100, 99}}));
  CHECK(foreign.answer == AnswerClass::kPolicy);
  CHECK(foreign.policy == "outside 127.0.0.0/8");
  CHECK(classify(nullptr, Answer({})).answer == AnswerClass::kNotListed);
  CHECK(classify(nullptr, Got(DnsStatus::kNxDomain)).answer == AnswerClass::kNotListed);
  CHECK(classify(nullptr, Got(DnsStatus::kNoData)).answer == AnswerClass::kNotListed);
  CHECK(classify(nullptr, Got(DnsStatus::kServFail)).answer == AnswerClass::kServFail);
  CHECK(classify(nullptr, Got(DnsStatus::kRefused)).answer == AnswerClass::kRefused);
  CHECK(classify(nullptr, Got(DnsStatus::kMalformed)).answer == AnswerClass::kMalformed);
  for (DnsStatus s : {DnsStatus::kTimeout, DnsStatus::kDeadline, DnsStatus::kError}) {
    CHECK(classify(nullptr, Got(s)).answer == AnswerClass::kNoAnswer);
  }
}

TEST_CASE("verdicts and their precedence") {
  const DnsOutcome nx = Got(DnsStatus::kNxDomain);
  const DnsOutcome listed = Answer({k2});
  CHECK(Judged(Report("bl.example.org", {listed, nx, nx, nx})) == Verdict::kHealthy);

  ZoneReport dead = Report("bl.example.org", {nx, nx, nx});
  Judge(&dead, 200);
  CHECK(dead.verdict == Verdict::kDead);
  CHECK(dead.decisive == std::optional<size_t>(0));
  CHECK_THAT(dead.reason, Catch::Contains("2.0.0.127.bl.example.org") && Catch::Contains("NXDOMAIN"));
  CHECK(Judged(Report("bl.example.org", {Got(DnsStatus::kNoData), nx})) == Verdict::kDead);
  CHECK(Judged(Report("bl.example.org", {Got(DnsStatus::kServFail), Got(DnsStatus::kServFail)})) ==
        Verdict::kDead);

  ZoneReport all = Report("bl.example.org", {listed, listed, listed});
  Judge(&all, 200);
  CHECK(all.verdict == Verdict::kListsEverything);
  CHECK(all.decisive == std::optional<size_t>(1));
  CHECK_THAT(all.reason, Catch::Contains("2 of 2"));
  // One random sample listed is enough.
  CHECK(Judged(Report("bl.example.org", {listed, nx, listed})) == Verdict::kListsEverything);

  // Spamhaus via a public resolver answers 127.255.255.254 for every name:
  // a policy code, not "lists everything" and not a listing.
  const DnsOutcome pub = Answer({{127, 255, 255, 254}});
  ZoneReport zen = Report("zen.spamhaus.org", {pub, pub, pub, pub}, true);
  Judge(&zen, 200);
  CHECK(zen.verdict == Verdict::kPolicy);
  CHECK_THAT(zen.reason, Catch::Contains("127.255.255.254") && Catch::Contains("public-resolver"));
  // The same answers from a zone the catalogue does not know are listings.
  CHECK(Judged(Report("bl.example.org", {pub, pub, pub})) == Verdict::kListsEverything);

  CHECK(Judged(Report("bl.example.org", {Got(DnsStatus::kRefused), nx})) == Verdict::kPolicy);
  CHECK(Judged(Report("bl.example.org", {listed, Got(DnsStatus::kMalformed)})) == Verdict::kPolicy);
  CHECK(Judged(Report("bl.example.org", {listed, Got(DnsStatus::kServFail)})) == Verdict::kPolicy);
  // An error answer outranks a listed negative: it explains it.
  CHECK(Judged(Report("bl.example.org", {Got(DnsStatus::kRefused), listed})) == Verdict::kPolicy);

  CHECK(Judged(Report("bl.example.org", {Got(DnsStatus::kTimeout), nx})) == Verdict::kTimeout);
  CHECK(Judged(Report("bl.example.org", {listed, nx, Got(DnsStatus::kDeadline)})) == Verdict::kTimeout);
  CHECK(Judged(Report("bl.example.org", {listed, Got(DnsStatus::kError)})) == Verdict::kTimeout);
  // A definite "not listed" on the test point decides even if a sample timed out.
  CHECK(Judged(Report("bl.example.org", {nx, Got(DnsStatus::kTimeout)})) == Verdict::kDead);

  // IPv6: a missing IPv6 listing alone does not make the list dead.
  ZoneReport v6 = Report("zen.spamhaus.org", {listed, nx, nx, nx}, true);
  CHECK(v6.points[2].point.ipv6);
  CHECK(Judged(v6) == Verdict::kHealthy);
  // ... but an IPv6 "not listed" point that is listed is caught.
  CHECK(Judged(Report("zen.spamhaus.org", {listed, nx, listed, listed}, true)) == Verdict::kListsEverything);
}

TEST_CASE("latency: min, median, p95 over answered queries; slow verdict") {
  ZoneReport r = Report("bl.example.org", {Answer({k2}, 100), Got(DnsStatus::kNxDomain, 250),
                                           Got(DnsStatus::kNxDomain, 300)});
  Judge(&r, 200);
  CHECK(r.latency.samples == 3);
  CHECK(r.latency.min_ms == 100);
  CHECK(r.latency.median_ms == 250);
  CHECK(r.latency.p95_ms == 300);
  CHECK(r.verdict == Verdict::kSlow);
  CHECK(Judged(r, 300) == Verdict::kHealthy);  // "above" the threshold, not at it

  std::vector<DnsOutcome> many;
  many.push_back(Answer({k2}, 1));
  for (int i = 2; i <= 20; ++i) many.push_back(Got(DnsStatus::kNxDomain, i));
  ZoneReport twenty = Report("bl.example.org", many);
  Judge(&twenty, 1000);
  CHECK(twenty.latency.samples == 20);
  CHECK(twenty.latency.median_ms == 10.5);
  CHECK(twenty.latency.p95_ms == 19);  // nearest rank: the 19th of 20

  // Unanswered queries do not count as samples.
  ZoneReport partial = Report("bl.example.org", {Answer({k2}, 5), Got(DnsStatus::kTimeout, 9999)});
  Judge(&partial, 200);
  CHECK(partial.latency.samples == 1);
  CHECK(partial.latency.p95_ms == 5);
}

TEST_CASE("RunProbe asks the fixed points first, samples and TXT only as follow-ups, and judges each zone") {
  ScriptedResolver r;
  r.script = [](const std::string& name, QueryType type) {
    if (name.ends_with(".dead.example")) return Got(DnsStatus::kNxDomain);
    if (name.ends_with(".all.example")) return Answer({k2});
    if (type == QueryType::kTxt) {
      DnsOutcome o = Got(DnsStatus::kAnswer);
      o.texts = {"queries through public resolvers are refused"};
      return o;
    }
    if (name.ends_with(".zen.spamhaus.org")) return Answer({{127, 255, 255, 254}});
    // slow.example: its listed point takes 150 ms, over half the 200 ms threshold.
    const double ms = name == "2.0.0.127.slow.example" ? 150 : 10;
    return name.starts_with("2.0.0.127.") || name.starts_with("test.") ? Answer({k2}, ms)
                                                                       : Got(DnsStatus::kNxDomain, ms);
  };
  ProbeOptions options;
  options.samples = 2;
  options.deadline_ms = 1234;
  const Clock::time_point before = Clock::now();
  ProbeResults results = RunProbe({{"ok.example", ZoneKind::kIp, false},
                                   {"dead.example", ZoneKind::kIp, false},
                                   {"all.example", ZoneKind::kIp, false},
                                   {"ok.example", ZoneKind::kDomain, false},
                                   {"slow.example", ZoneKind::kIp, false},
                                   {"zen.spamhaus.org", ZoneKind::kIp, false}},
                                  r, options);
  CHECK(r.runs == 1);
  // 2 controls, 2 fixed points per zone; then, as follow-ups, the slow
  // zone's 2 samples (after its listed point answered) and the policy
  // zone's TXT query (after its listed point answered a policy code).
  REQUIRE(r.asked.size() == 2 + 6 * 2 + 2 + 1);
  CHECK(r.asked[0].first == "a.root-servers.net");
  CHECK(r.asked[1].first.ends_with(".invalid"));
  CHECK(r.asked[10].first == "2.0.0.127.slow.example");
  CHECK(r.asked[14].first.ends_with(".slow.example"));
  CHECK(r.asked[15].first.ends_with(".slow.example"));
  CHECK(r.asked[16] == std::make_pair(std::string("2.0.0.127.zen.spamhaus.org"), QueryType::kTxt));
  for (std::size_t i = 0; i < r.asked.size(); ++i) {
    if (i != 16) CHECK(r.asked[i].second == QueryType::kA);
  }
  // Each zone's queries form a group of their own (flow control and failure isolation).
  CHECK(r.groups == std::vector<std::size_t>{6, 6, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 4, 4, 5});
  CHECK(r.deadline >= before + std::chrono::milliseconds(1234));
  CHECK(r.deadline <= Clock::now() + std::chrono::milliseconds(1234));
  REQUIRE(results.zones.size() == 6);
  CHECK(results.zones[0].verdict == Verdict::kHealthy);
  CHECK(results.zones[0].points.size() == 2);
  CHECK(results.zones[0].latency.samples == 2);
  CHECK(results.zones[0].texts.empty());
  CHECK(results.zones[1].verdict == Verdict::kDead);
  CHECK(results.zones[2].verdict == Verdict::kListsEverything);
  CHECK(results.zones[3].verdict == Verdict::kHealthy);
  // The slow zone: its samples joined its points and its latency (4 answers).
  REQUIRE(results.zones[4].points.size() == 4);
  CHECK(results.zones[4].points[2].point.random);
  CHECK(results.zones[4].points[3].outcome.status == DnsStatus::kNxDomain);
  CHECK(results.zones[4].latency.samples == 4);
  CHECK(results.zones[4].verdict == Verdict::kHealthy);  // 150 ms p95, under 200
  CHECK(results.zones[5].verdict == Verdict::kPolicy);
  CHECK(results.zones[5].texts == std::vector<std::string>{"queries through public resolvers are refused"});
  CHECK(results.Find("OK.Example.", ZoneKind::kDomain) == &results.zones[3]);
  CHECK(results.Find("ok.example", ZoneKind::kIp) == &results.zones[0]);
  CHECK(results.Find("other.example", ZoneKind::kIp) == nullptr);
}

TEST_CASE("RunProbe: samples the deadline cut off leave a slow zone slow, not timed out") {
  ScriptedResolver r;
  r.script = [](const std::string& name, QueryType) {
    if (name.starts_with("2.0.0.127.")) return Answer({k2}, 900);
    if (name.starts_with("1.0.0.127.")) return Got(DnsStatus::kNxDomain, 900);
    return Got(DnsStatus::kDeadline);  // the samples, asked at 900 ms, ran into the deadline
  };
  ProbeOptions options;
  options.samples = 3;
  ProbeResults results = RunProbe({{"slow.example", ZoneKind::kIp, false}}, r, options);
  CHECK(r.asked.size() == 2 + 2 + 3);
  REQUIRE(results.zones.size() == 1);
  CHECK(results.zones[0].points.size() == 2);
  CHECK(results.zones[0].verdict == Verdict::kSlow);
  // A sample that was sent and got no answer is a timeout like any other.
  ScriptedResolver lost;
  lost.script = [](const std::string& name, QueryType) {
    if (name.starts_with("2.0.0.127.")) return Answer({k2}, 900);
    if (name.starts_with("1.0.0.127.")) return Got(DnsStatus::kNxDomain, 900);
    return Got(DnsStatus::kTimeout);
  };
  results = RunProbe({{"slow.example", ZoneKind::kIp, false}}, lost, options);
  CHECK(results.zones[0].points.size() == 5);
  CHECK(results.zones[0].verdict == Verdict::kTimeout);
}

TEST_CASE("RunProbe: --slow 0 asks every zone's samples, --samples 0 none") {
  ScriptedResolver r;
  r.script = [](const std::string& name, QueryType) {
    return name.starts_with("2.0.0.127.") ? Answer({k2}, 1) : Got(DnsStatus::kNxDomain, 1);
  };
  ProbeOptions options;
  options.samples = 3;
  options.slow_ms = 0;
  ProbeResults results = RunProbe({{"a.example", ZoneKind::kIp, false}, {"b.example", ZoneKind::kIp, false}}, r, options);
  CHECK(r.asked.size() == 2 + 2 * (2 + 3));
  CHECK(results.zones[0].points.size() == 5);
  CHECK(results.zones[1].latency.samples == 5);
  ScriptedResolver none;
  none.script = r.script;
  options.samples = 0;
  results = RunProbe({{"a.example", ZoneKind::kIp, false}}, none, options);
  CHECK(none.asked.size() == 2 + 2);
}


TEST_CASE("DNS replies: only a decodable NOERROR answer carries addresses") {
  // Header (id, flags, 1 question, 1 answer), question 2.0.0.127.bl.example A IN, answer A 127.0.0.2.
  std::vector<unsigned char> reply = {0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
  for (std::string_view label : {"2", "0", "0", "127", "bl", "example"}) {
    reply.push_back(static_cast<unsigned char>(label.size()));
    reply.insert(reply.end(), label.begin(), label.end());
  }
  for (int b : {0, 0, 1, 0, 1, 0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2}) {
    reply.push_back(static_cast<unsigned char>(b));
  }
  DnsOutcome o;
  DecodeReply(QueryType::kA, ARES_SUCCESS, reply.data(), static_cast<int>(reply.size()), &o);
  CHECK(o.status == DnsStatus::kAnswer);
  CHECK(o.addresses == std::vector<std::array<uint8_t, 4>>{k2});
  CHECK_FALSE(ReplyTruncated(reply.data(), static_cast<int>(reply.size())));
  // Cut inside the address: malformed, no data.
  DecodeReply(QueryType::kA, ARES_SUCCESS, reply.data(), static_cast<int>(reply.size()) - 2, &o);
  CHECK(o.status == DnsStatus::kMalformed);
  CHECK(o.addresses.empty());
  DecodeReply(QueryType::kA, ARES_ESERVFAIL, reply.data(), static_cast<int>(reply.size()), &o);
  CHECK(o.status == DnsStatus::kServFail);
  CHECK(o.addresses.empty());
  reply[2] |= 0x02;
  CHECK(ReplyTruncated(reply.data(), static_cast<int>(reply.size())));
}

}  // namespace
}  // namespace postvet::probe
