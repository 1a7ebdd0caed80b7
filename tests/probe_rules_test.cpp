// The PV901-PV905 rules on in-memory configurations with scripted probe
// results (where they report, what they say, which fix they offer), the
// worst-case time the lists add to a connection, and the probe's member of
// the JSON report.
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
