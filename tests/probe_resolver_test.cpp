// The c-ares resolver against a black-holed socket on 127.0.0.1 (deadline,
// per-try timeout, retries, bad names and servers, the first flight and flow
// control), flow control on a fake clock, and the resolver check (controls,
// known public resolvers).
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

// A UDP socket on 127.0.0.1 that reads nothing: every query sent there is lost.
struct BlackHole {
  int fd = -1;
  uint16_t port = 0;
  BlackHole() {
    fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    socklen_t len = sizeof a;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
    port = ntohs(a.sin_port);
  }
  ~BlackHole() { ::close(fd); }
};

TEST_CASE("c-ares resolver: the deadline ends the run, whatever the cap") {
  BlackHole hole;
  ResolverOptions o;
  o.servers = {{"127.0.0.1", hole.port}};
  o.timeout_ms = 5000;
  o.tries = 3;
  o.max_in_flight = 7;  // most queries never leave the queue
  Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
  REQUIRE(r.ok());
  for (size_t i = 0; i < 300; ++i) (*r)->Submit("2.0.0.127.q" + std::to_string(i) + ".example", QueryType::kA, i);
  const Clock::time_point start = Clock::now();
  (*r)->Run(start + std::chrono::milliseconds(300));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  CHECK(ms >= 299);
  CHECK(ms < 800);  // the deadline plus scheduling slack on a busy machine
  for (size_t i = 0; i < 300; ++i) CHECK((*r)->Outcome(i).status == DnsStatus::kDeadline);
}

TEST_CASE("c-ares resolver: per-try timeout and retries end a query before the deadline") {
  BlackHole hole;
  ResolverOptions o;
  o.servers = {{"127.0.0.1", hole.port}};
  o.timeout_ms = 100;
  o.tries = 2;
  Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
  REQUIRE(r.ok());
  (*r)->Submit("2.0.0.127.bl.example", QueryType::kA, 0);
  (*r)->Submit("2.0.0.127.bl.example", QueryType::kTxt, 0);
  const Clock::time_point start = Clock::now();
  (*r)->Run(start + std::chrono::seconds(5));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  CHECK(ms >= 250);  // 100 ms, then 200 ms for the second try
  CHECK(ms < 1500);
  CHECK((*r)->Outcome(0).status == DnsStatus::kTimeout);
  CHECK((*r)->Outcome(1).status == DnsStatus::kTimeout);
  CHECK_FALSE((*r)->Outcome(0).Answered());
}

TEST_CASE("c-ares resolver: bad names are per-query errors, bad servers a Status") {
  ResolverOptions o;
  o.servers = {{"not-an-ip", 53}};
  CHECK_FALSE(CaresResolver::Create(o).ok());
  BlackHole hole;
  o.servers = {{"127.0.0.1", hole.port}};
  Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
  REQUIRE(r.ok());
  (*r)->Submit(std::string(300, 'a') + ".example", QueryType::kA, 0);  // longer than a DNS name may be
  (*r)->Run(Clock::now() + std::chrono::milliseconds(200));
  CHECK((*r)->Outcome(0).status == DnsStatus::kError);
}

// Datagrams waiting on a black hole's socket (queries that reached it).
size_t Received(const BlackHole& hole) {
  size_t n = 0;
  char buf[512];
  while (::recv(hole.fd, buf, sizeof buf, MSG_DONTWAIT) > 0) ++n;
  return n;
}

TEST_CASE("c-ares resolver: flow control starts with a small window and caps each zone") {
  BlackHole hole;
  ResolverOptions o;
  o.servers = {{"127.0.0.1", hole.port}};
  o.timeout_ms = 5000;  // no retry within the run: each datagram is one first try
  o.tries = 1;
  o.initial_window = 16;
  o.first_flight = 16;
  o.max_in_flight = 512;
  {
    Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
    REQUIRE(r.ok());
    for (size_t i = 0; i < 300; ++i) (*r)->Submit("2.0.0.127.w" + std::to_string(i) + ".example", QueryType::kA, i);
    (*r)->Run(Clock::now() + std::chrono::milliseconds(200));
    // Nothing came back in time, so the window never widened.
    CHECK(Received(hole) == 16);
  }
  {
    o.per_group_in_flight = 3;
    Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
    REQUIRE(r.ok());
    for (size_t i = 0; i < 40; ++i) (*r)->Submit("2.0.0.127.g" + std::to_string(i) + ".example", QueryType::kA, 0);
    for (size_t i = 0; i < 40; ++i) (*r)->Submit("2.0.0.127.h" + std::to_string(i) + ".example", QueryType::kA, 1);
    (*r)->Run(Clock::now() + std::chrono::milliseconds(200));
    CHECK(Received(hole) == 6);  // two zones, 3 each
  }
}

TEST_CASE("c-ares resolver: the default first flight is 224 queries, 128 of them at once") {
  // 224 short query datagrams fit a stock 212,992-byte receive buffer even
  // unread (256 do), and 100 lists need 202 queries; the first 128 leave
  // at once, the rest at 128 per 10 ms.
  BlackHole hole;
  ResolverOptions o;
  o.servers = {{"127.0.0.1", hole.port}};
  o.timeout_ms = 5000;
  o.tries = 1;
  {
    Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
    REQUIRE(r.ok());
    for (size_t i = 0; i < 300; ++i) (*r)->Submit("2.0.0.127.d" + std::to_string(i) + ".example", QueryType::kA, i);
    (*r)->Run(Clock::now() + std::chrono::milliseconds(200));
    CHECK(Received(hole) == 224);  // nothing came back: no more than the first flight
  }
  {
    Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
    REQUIRE(r.ok());
    for (size_t i = 0; i < 300; ++i) (*r)->Submit("2.0.0.127.e" + std::to_string(i) + ".example", QueryType::kA, i);
    const Clock::time_point start = Clock::now();
    (*r)->Run(start + std::chrono::milliseconds(2));
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const size_t n = Received(hole);
    CHECK(n >= 128);  // the burst leaves before the first wait
    // The rest is paced at 128 per 10 ms: no more than the time allowed (a
    // loaded machine may stretch the 2 ms; the bound stretches with it).
    CHECK(static_cast<double>(n) <= 128 + 12.8 * ms + 1);
  }
}

TEST_CASE("flow control: first flight, pacing and back-off on a fake clock") {
  using std::chrono::milliseconds;
  const Clock::time_point t0{};
  FlowControl f(128, 224, 512, t0);
  CHECK(f.window() == 224);
  // The burst leaves at once.
  for (int i = 0; i < 128; ++i) REQUIRE(f.Take());
  CHECK_FALSE(f.Take());
  CHECK(f.NextToken(t0) > t0);
  // Then 128 per 10 ms while nothing is measured: 5 ms give 64.
  f.Refill(t0 + milliseconds(5), 128);
  int taken = 0;
  while (f.Take()) ++taken;
  CHECK(taken == 64);
  // Tokens never exceed the burst, however long nothing comes back (the
  // window, not the bucket, stops a black hole from getting more).
  f.Refill(t0 + milliseconds(500), 192);
  taken = 0;
  while (f.Take()) ++taken;
  CHECK(taken == 128);
  // Nothing out and nothing measured: the burst again.
  f.Refill(t0 + milliseconds(501), 0);
  CHECK(f.HasToken());

  // Answers: slow start (+3 each), srtt measured; pacing at window / srtt in bursts of 32.
  FlowControl g(128, 224, 512, t0);
  for (int i = 0; i < 128; ++i) g.Take();
  for (int i = 0; i < 10; ++i) g.OnAnswer(50, t0 + milliseconds(50));
  CHECK(g.window() == 254);
  CHECK(g.srtt_ms() == Approx(50));
  g.Refill(t0 + milliseconds(60), 118);
  taken = 0;
  while (g.Take()) ++taken;
  CHECK(taken == 32);  // the paced burst cap
  g.Refill(t0 + milliseconds(61), 150);
  taken = 0;
  while (g.Take()) ++taken;
  CHECK(taken == 5);  // 254 / 50 ms: about 5 per ms
  CHECK(g.NextToken(t0 + milliseconds(61)) <= t0 + milliseconds(61) + std::chrono::microseconds(250));
  // The window never exceeds max_in_flight.
  for (int i = 0; i < 200; ++i) g.OnAnswer(50, t0 + milliseconds(70));
  CHECK(g.window() == 512);
  // A loss halves it, once per round trip.
  g.OnLoss(t0 + milliseconds(100));
  CHECK(g.window() == 256);
  g.OnLoss(t0 + milliseconds(120));
  CHECK(g.window() == 256);
  g.OnLoss(t0 + milliseconds(160));
  CHECK(g.window() == 128);
  // Above the threshold the window grows by 1/window per answer.
  g.OnAnswer(50, t0 + milliseconds(200));
  CHECK(g.window() == Approx(128 + 1.0 / 128));
  // A small cap bounds the first flight too.
  FlowControl capped(128, 224, 20, t0);
  CHECK(capped.window() == 20);
}

TEST_CASE("c-ares resolver: a refused connection is retried, then reported per query") {
  // A port nothing listens on: ICMP port unreachable, "Could not contact DNS servers".
  uint16_t port = 0;
  {
    BlackHole probe_port;
    port = probe_port.port;
  }
  ResolverOptions o;
  o.servers = {{"127.0.0.1", port}};
  o.timeout_ms = 2000;
  o.tries = 1;
  o.retries = 2;
  Result<std::unique_ptr<CaresResolver>> r = CaresResolver::Create(o);
  REQUIRE(r.ok());
  (*r)->Submit("2.0.0.127.bl.example", QueryType::kA, 0);
  const Clock::time_point start = Clock::now();
  (*r)->Run(start + std::chrono::seconds(3));
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  CHECK((*r)->Outcome(0).status == DnsStatus::kError);
  CHECK(ms >= 70);   // two retries, 25 and 50 ms apart
  CHECK(ms < 1500);  // not the per-try timeout
}

// Probe results for the resolver check: controls and one IPv4 zone per
// entry of `zones`, every point answered by `answer(query)`.
ProbeResults Controlled(const std::vector<std::string>& zones, const std::function<DnsOutcome(const std::string&)>& answer) {
  ProbeResults results;
  std::mt19937 rng(3);
  for (TestPoint& p : ControlPoints(rng)) {
    PointResult r{std::move(p), {}, AnswerClass::kNoAnswer, {}};
    r.outcome = answer(r.point.query);
    ClassifyAnswer(nullptr, &r);
    results.controls.push_back(std::move(r));
  }
  for (const std::string& zone : zones) {
    std::vector<DnsOutcome> outcomes;
    ZoneReport z = Report(zone, {}, false);
    std::vector<TestPoint> points = TestPointsFor(z.target, 3, rng);
    for (TestPoint& p : points) {
      PointResult r{std::move(p), {}, AnswerClass::kNoAnswer, {}};
      r.outcome = answer(r.point.query);
      ClassifyAnswer(Catalogued(zone), &r);
      z.points.push_back(std::move(r));
    }
    Judge(&z, 200);
    results.zones.push_back(std::move(z));
  }
  return results;
}

DnsOutcome Working(const std::string& name) {
  if (name == "a.root-servers.net") return Answer({{198, 41, 0, 4}});
  if (name.starts_with("2.0.0.127.") && !name.ends_with(".dead.example")) return Answer({k2});
  return Got(DnsStatus::kNxDomain);
}

TEST_CASE("resolver check: controls tell an unfit resolver from dead lists") {
  const std::vector<std::string> zones = {"zen.spamhaus.org", "ok.example", "dead.example"};
  // A working resolver: the dead list stays a per-zone verdict.
  ProbeResults fine = Controlled(zones, Working);
  CHECK_FALSE(ResolverFailure(fine, "R").has_value());
  CHECK(fine.zones[2].verdict == Verdict::kDead);
  // Only one zone, dead, through a resolver that knows the root servers: still the list's fault.
  CHECK_FALSE(ResolverFailure(Controlled({"dead.example"}, Working), "R").has_value());

  auto failure = [&](const std::function<DnsOutcome(const std::string&)>& f) {
    std::optional<std::string> m = ResolverFailure(Controlled(zones, f), "127.0.0.1:5353 (--resolver)");
    REQUIRE(m.has_value());
    CHECK_THAT(*m, Catch::Contains("127.0.0.1:5353 (--resolver)") && Catch::Contains("no list verdicts"));
    return *m;
  };
  CHECK_THAT(failure([](const std::string&) { return Got(DnsStatus::kNxDomain); }),
             Catch::Contains("NXDOMAIN") && Catch::Contains("a.root-servers.net") && Catch::Contains("look dead"));
  CHECK_THAT(failure([](const std::string&) { return Answer({k2}); }),
             Catch::Contains("cannot exist") && Catch::Contains(".invalid"));
  CHECK_THAT(failure([](const std::string&) { return Answer({{127, 255, 255, 254}}); }),
             Catch::Contains("zen.spamhaus.org answers 127.255.255.254") && Catch::Contains("public-resolver"));
  CHECK_THAT(failure([](const std::string&) { return Got(DnsStatus::kTimeout); }),
             Catch::Contains("did not answer any query"));
  CHECK_THAT(failure([](const std::string&) { return Got(DnsStatus::kServFail); }),
             Catch::Contains("every query with an error"));
  // The lists refuse a public resolver even when the rest works.
  CHECK_THAT(failure([](const std::string& n) {
               return n.ends_with(".zen.spamhaus.org") ? Answer({{127, 255, 255, 254}}) : Working(n);
             }),
             Catch::Contains("DNS lists refuse"));
}

TEST_CASE("resolver check: a known public resolver and the lists that refuse it") {
  std::vector<ZoneTarget> targets = {{"zen.spamhaus.org", ZoneKind::kIp, false}, {"ok.example", ZoneKind::kIp, false}};
  std::optional<std::string> m = PublicResolverRefusal({{"8.8.8.8", 53}}, targets);
  REQUIRE(m.has_value());
  CHECK_THAT(*m, Catch::Contains("8.8.8.8:53") && Catch::Contains("Google Public DNS") &&
                     Catch::Contains("zen.spamhaus.org") && !Catch::Contains("ok.example"));
  CHECK_FALSE(PublicResolverRefusal({{"127.0.0.1", 53}}, targets).has_value());
  CHECK_FALSE(PublicResolverRefusal({{"1.1.1.1", 53}}, {{"ok.example", ZoneKind::kIp, false}}).has_value());
}

}  // namespace
}  // namespace postvet::probe
