// Unit tests of the live DNSBL probe without any real DNS: the test points
// (RFC 5782 names, IPv6 nibbles, random samples), the meaning of each answer
// (policy codes from the catalogue, addresses outside 127/8, SERVFAIL,
// REFUSED, malformed), the verdict precedence and latency statistics on
// synthetic answers, RunProbe() over a scripted resolver, the PV901-PV905
// rules on in-memory configurations, the worst-case budgets, and the c-ares
// resolver's deadline against a black-holed socket on 127.0.0.1.
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

namespace postvet::probe {
namespace {

DnsOutcome Answer(std::vector<std::array<uint8_t, 4>> addresses, double ms = 10) {
  DnsOutcome o;
  o.status = DnsStatus::kAnswer;
  o.addresses = std::move(addresses);
  o.elapsed_ms = ms;
  return o;
}

DnsOutcome Got(DnsStatus status, double ms = 10) {
  DnsOutcome o;
  o.status = status;
  o.elapsed_ms = ms;
  return o;
}

const dnsbl::ZoneInfo* Catalogued(std::string_view zone) {
  const Result<dnsbl::Catalogue>& c = dnsbl::BuiltinCatalogue();
  REQUIRE(c.ok());
  return c->Find(zone);
}

// A zone report with the standard IPv4 points and `outcomes` in their order:
// 127.0.0.2 (listed), 127.0.0.1, then random samples.
ZoneReport Report(const std::string& zone, const std::vector<DnsOutcome>& outcomes, bool ipv6 = false) {
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

Verdict Judged(ZoneReport r, double slow = 200) {
  Judge(&r, slow);
  return r.verdict;
}

const std::array<uint8_t, 4> k2 = {127, 0, 0, 2};

// A finding's message followed by its notes, separated by " | " (docs/messages.md:
// the evidence and its consequences are detail notes).
std::string Said(const Diagnostic& d) {
  std::string text = d.message;
  for (const Note& n : d.notes) text += " | " + n.message;
  return text;
}

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

// A context for `main_cf` with scripted probe results: each zone gets the
// outcomes `script` gives its points.
struct Probed {
  std::unique_ptr<LintContext> ctx;
  ProbeResults results;
  std::vector<Diagnostic> found;
};

Probed Probe(const std::string& main_cf, const std::string& select,
             std::function<DnsOutcome(const std::string&, QueryType)> script) {
  Probed p;
  p.ctx = std::make_unique<LintContext>("d", ProjectConfig{});
  p.ctx->AddFile(Source("d/main.cf", "d/main.cf", main_cf), FileKind::kMainCf);
  ScriptedResolver r;
  r.script = std::move(script);
  ProbeOptions options;
  options.resolver.timeout_ms = 1000;
  options.resolver.tries = 2;
  p.results = RunProbe(ZonesToProbe(*p.ctx), r, options);
  p.ctx->set_probe_results(&p.results);
  p.found = Lint(*p.ctx, RuleFilter(ProjectConfig{}, {select}, {}));
  return p;
}

DnsOutcome Behave(const std::string& name, QueryType) {
  auto zone_is = [&](std::string_view z) { return name.ends_with("." + std::string(z)); };
  if (zone_is("dead.example")) return Got(DnsStatus::kNxDomain);
  if (zone_is("all.example")) return Answer({k2});
  if (zone_is("zen.spamhaus.org")) return Answer({{127, 255, 255, 254}});
  if (zone_is("slow.example")) {
    return name.starts_with("2.0.0.127.") ? Answer({k2}, 500) : Got(DnsStatus::kNxDomain, 450);
  }
  if (zone_is("gone.example")) return Got(DnsStatus::kTimeout);
  return name.starts_with("2.0.0.127.") || name.starts_with("test.") ? Answer({k2}) : Got(DnsStatus::kNxDomain);
}

// The zone of the entry the finding points at (a postscreen entry is the
// whole `zone*weight` word).
std::string Text(const Diagnostic& d) {
  std::string_view word = d.location.source->Slice(d.location.begin, d.location.end);
  return std::string(word.substr(0, word.find_first_of("*=")));
}

TEST_CASE("PV901-PV905 report at the zone, name it, and fix only PV901/PV902") {
  const std::string cf =
      "smtpd_client_restrictions = permit_mynetworks,\n"
      "    reject_rbl_client ok.example,\n"
      "    reject_rbl_client dead.example,\n"
      "    reject_rbl_client zen.spamhaus.org,\n"
      "    reject_rbl_client slow.example,\n"
      "    reject_rbl_client gone.example\n"
      "postscreen_dnsbl_sites = all.example*2, ok.example\n";
  Probed p = Probe(cf, "PV9", Behave);
  std::map<std::string, std::string> by_zone;
  for (const Diagnostic& d : p.found) {
    by_zone[Text(d)] = std::string(d.rule_id);
    CHECK_THAT(d.message, Catch::StartsWith(Text(d) + " "));
    CHECK(d.subject == Text(d));
    CHECK(d.fix.has_value() == (d.rule_id == "PV901" || d.rule_id == "PV902"));
  }
  CHECK(by_zone == std::map<std::string, std::string>{{"dead.example", "PV901"},
                                                      {"all.example", "PV902"},
                                                      {"zen.spamhaus.org", "PV903"},
                                                      {"slow.example", "PV904"},
                                                      {"gone.example", "PV905"}});
  // Probe-derived fixes are unsafe: nothing without --unsafe-fixes, and
  // each says what was observed, when and through which resolver.
  for (const Diagnostic& d : p.found) {
    if (!d.fix) continue;
    CHECK(d.fix->applicability == Applicability::kUnsafe);
    CHECK_THAT(d.fix->description, Catch::Contains("the probe at " + p.results.started_utc) &&
                                       Catch::Contains(" saw "));
    CHECK_THAT(p.results.started_utc, Catch::Matches(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC)"));
  }
  for (const FileFix& f : PlanFixes(p.found, FixPolicy{false})) CHECK(f.edits.empty());
  // With --unsafe-fixes, fixing PV901 and PV902 deletes the entries.
  std::string fixed = ApplyEdits(p.ctx->main_file()->source->text(),
                                 PlanFixes(p.found, FixPolicy{true}).at(0).edits);
  CHECK(fixed.find("dead.example") == std::string::npos);
  CHECK(fixed.find("all.example") == std::string::npos);
  CHECK(fixed.find("reject_rbl_client ok.example,\n    reject_rbl_client zen") != std::string::npos);
}

TEST_CASE("PV902 respects the reply filter; PV903 says whether the code counts") {
  Probed filtered = Probe("postscreen_dnsbl_sites = all.example=127.0.0.[10..11]*2\n", "PV902", Behave);
  CHECK(filtered.found.empty());
  CHECK(filtered.results.zones.at(0).verdict == Verdict::kListsEverything);

  Probed bare = Probe("smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org\n", "PV903", Behave);
  REQUIRE(bare.found.size() == 1);
  CHECK(bare.found[0].message == "zen.spamhaus.org answers with errors, not data");
  CHECK_THAT(Said(bare.found[0]), Catch::Contains("counts this answer as a listing") &&
                                        Catch::Contains("zen.spamhaus.org=127.0.0.[2..11]"));
  Probed kept = Probe("smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11]\n", "PV903",
                      Behave);
  REQUIRE(kept.found.size() == 1);
  CHECK_THAT(Said(kept.found[0]), Catch::Contains("keeps the code from counting"));
}

TEST_CASE("probe rules are silent without probe results") {
  auto ctx = std::make_unique<LintContext>("d", ProjectConfig{});
  ctx->AddFile(Source("d/main.cf", "d/main.cf", "smtpd_client_restrictions = reject_rbl_client dead.example\n"),
               FileKind::kMainCf);
  CHECK(Lint(*ctx, RuleFilter(ProjectConfig{}, {"PV9"}, {})).empty());
}

TEST_CASE("worst case per connection: smtpd adds up, postscreen waits for the slowest") {
  Probed p = Probe(
      "smtpd_client_restrictions = reject_rbl_client ok.example, reject_rbl_client slow.example\n"
      "smtpd_sender_restrictions = reject_rhsbl_sender ok.example, reject_rbl_client gone.example\n"
      "postscreen_dnsbl_sites = slow.example, ok.example\n",
      "PV9", Behave);
  std::vector<ScopeBudget> budgets = ComputeBudgets(*p.ctx, p.results);
  REQUIRE(budgets.size() == 1);
  CHECK(budgets[0].scope == "main.cf");
  CHECK(budgets[0].smtpd_zones == 4);
  // ok (10) + slow (500) + ok as domain (10) + gone (no answer: 1000 + 2000 ms).
  CHECK(budgets[0].smtpd_ms == Approx(10 + 500 + 10 + 3000));
  CHECK(budgets[0].smtpd_at_least);
  CHECK(budgets[0].postscreen_zones == 2);
  CHECK(budgets[0].postscreen_ms == Approx(500));
  CHECK_FALSE(budgets[0].postscreen_at_least);
  std::string table = RenderProbeTable(p.results, budgets);
  CHECK_THAT(table, Catch::Contains("slow.example") && Catch::Contains("slow") && Catch::Contains("500 ms"));
  CHECK_THAT(table, Catch::Contains("smtpd restrictions ask 4 zones one after another, >= 3520 ms"));
  CHECK_THAT(table, Catch::Contains("postscreen asks 2 zones in parallel, 500 ms"));
}

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

TEST_CASE("probe json: the verdict and latency table as a member of the json report") {
  Probed p = Probe("smtpd_client_restrictions = reject_rbl_client ok.example, reject_rbl_client dead.example\n",
                   "PV9", Behave);
  p.results.resolver = "127.0.0.1:53 (--resolver)";
  std::string json = AddProbeJson("{\n  \"version\": 1,\n  \"diagnostics\": []\n}\n", p.results);
  CHECK_THAT(json, Catch::StartsWith("{\n  \"version\": 1,\n  \"diagnostics\": [],\n  \"probe\": {"));
  CHECK_THAT(json, Catch::EndsWith("\n  }\n}\n"));
  CHECK_THAT(json, Catch::Contains("\"zone\": \"dead.example\"") && Catch::Contains("\"verdict\": \"dead\"") &&
                       Catch::Contains("\"median_ms\": 10") && Catch::Contains("\"resolver\": \"127.0.0.1:53"));
  CHECK(AddProbeJson("not json", p.results) == "not json");
}

}  // namespace
}  // namespace postvet::probe
