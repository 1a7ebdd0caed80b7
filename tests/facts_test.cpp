// Tests of src/facts: the per-configuration Facts (DNSBL lists and service
// settings computed once however many rules read them, ValueFor() under
// stress and in a service's scope, default_process_limit), the target
// version carried by the configuration, and the one empty main.cf model.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/facts/computation_count.hpp"
#include "src/facts/facts.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/table_refs.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/facts/tune/service_settings.hpp"
#include "tests/config_fixture.hpp"

namespace postvet {
namespace {

using facts::Computation;
using facts::ComputationCount;

// A configuration that every DNSBL rule and every tuning rule has work in:
// lists in main.cf and in a service's -o scope, postscreen in front of smtpd.
const char kMain[] =
    "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination,\n"
    "    reject_rbl_client zen.spamhaus.org, reject_rbl_client zen.spamhaus.org,\n"
    "    reject_rbl_client dnsbl.sorbs.net\n"
    "postscreen_dnsbl_sites = zen.spamhaus.org*2, bl.spamcop.net\n"
    "default_process_limit = 5000\n"
    "smtpd_timeout = ${stress?{10s}:{300s}}\n";
const char kMaster[] =
    "smtp      inet  n       -       y       -       1       postscreen\n"
    "smtpd     pass  -       -       y       -       -       smtpd\n"
    "dnsblog   unix  -       -       y       -       0       dnsblog\n"
    "tlsproxy  unix  -       -       y       -       0       tlsproxy\n"
    "submission inet n       -       y       -       -       smtpd\n"
    "  -o smtpd_timeout=60s\n"
    "  -o smtpd_client_restrictions=reject_rbl_client,bl.spamcop.net\n";

TEST_CASE("DNSBL lists and service settings are computed once per configuration for all rules") {
  long lists_before = ComputationCount(Computation::kDnsblLists);
  long settings_before = ComputationCount(Computation::kServiceSettings);
  auto ctx = MakeConfig(kMain, kMaster);
  std::vector<Diagnostic> found = Lint(*ctx, RuleFilter());
  // The rules that read them did run and report (duplicate and dead lists,
  // the process limits).
  bool dnsbl_finding = false;
  bool tune_finding = false;
  for (const Diagnostic& d : found) {
    dnsbl_finding = dnsbl_finding || d.rule_id.substr(0, 3) == "PV2";
    tune_finding = tune_finding || d.rule_id.substr(0, 3) == "PV5";
  }
  CHECK(dnsbl_finding);
  CHECK(tune_finding);
  CHECK(ComputationCount(Computation::kDnsblLists) - lists_before == 1);
  CHECK(ComputationCount(Computation::kServiceSettings) - settings_before == 1);

  // Reading them again (as probe, diff or tune do) computes nothing new.
  const Facts& facts = FactsOf(*ctx);
  CHECK(&facts == &FactsOf(*ctx));
  CHECK(!facts.DnsblLists().empty());
  CHECK(dnsbl::CollectDnsblUses(*ctx).size() == facts.DnsblUses().size());
  CHECK(facts.Settings().services.size() == 5);
  CHECK(ComputationCount(Computation::kDnsblLists) - lists_before == 1);
  CHECK(ComputationCount(Computation::kServiceSettings) - settings_before == 1);

  // A second configuration has facts of its own.
  auto other = MakeConfig(kMain, kMaster);
  Lint(*other, RuleFilter());
  CHECK(ComputationCount(Computation::kDnsblLists) - lists_before == 2);
  CHECK(ComputationCount(Computation::kServiceSettings) - settings_before == 2);
}

TEST_CASE("ValueFor answers what a service sees, normally and under stress") {
  auto ctx = MakeConfig(kMain, kMaster);
  const Facts& facts = FactsOf(*ctx);
  const MasterService* submission = &ctx->master_cf().services[4];
  REQUIRE(submission->name() == "submission");
  CHECK(facts.ValueFor(nullptr, "smtpd_timeout", Stress::kNormal).value() == "300s");
  CHECK(facts.ValueFor(nullptr, "smtpd_timeout", Stress::kUnder).value() == "10s");
  CHECK(facts.ValueFor(submission, "smtpd_timeout", Stress::kUnder).value() == "60s");
  // A built-in default, expanded.
  CHECK(facts.ValueFor(submission, "syslog_name").value() == "postfix");
  CHECK(facts.ValueFor(submission, "process_name").value() == "smtpd");
  // The per-service settings read the same function.
  const tune::ServiceSettings* s = facts.Settings().Find(submission);
  REQUIRE(s != nullptr);
  REQUIRE(!s->stress_values.empty());
  CHECK(s->stress_values[0].param == "smtpd_timeout");
  CHECK(s->stress_values[0].normal == "60s");
  CHECK(s->stress_values[0].stress == "60s");
}

TEST_CASE("ValueOrDefault falls back to the built-in default when main.cf's value does not expand") {
  auto ctx = MakeConfig("myhostname = $myhostname.x\n");
  const Facts& facts = FactsOf(*ctx);
  CHECK(!facts.ValueFor(nullptr, "myhostname").ok());
  CHECK(facts.ValueOrDefault(nullptr, "myhostname").has_value());
  CHECK(!facts.ValueOrDefault(nullptr, "no_such_parameter_at_all").has_value());
}

TEST_CASE("default_process_limit as master(8) reads it, one answer for rules, tune and diff") {
  struct Case {
    const char* main;
    long want;
  };
  for (const Case& c : {Case{"", 100}, Case{"default_process_limit = 50\n", 50},
                        Case{"default_process_limit = 0\n", 100}, Case{"default_process_limit = 12abc\n", 100},
                        Case{"default_process_limit = $n\nn = 7\n", 7}}) {
    auto ctx = MakeConfig(c.main, "smtpd     pass  -       -       y       -       -       smtpd\n");
    INFO(c.main);
    CHECK(FactsOf(*ctx).DefaultProcessLimit() == c.want);
    CHECK(FactsOf(*ctx).Settings().default_process_limit == c.want);
    CHECK(FactsOf(*ctx).Settings().services.at(0).process_limit == c.want);
  }
  CHECK(ParseDefaultProcessLimit(std::nullopt) == 100);
}

TEST_CASE("the target Postfix version is a value of the configuration") {
  ProjectConfig config;
  config.postfix_version = "3.4";
  auto ctx = MakeConfig("", "", config);
  CHECK(ctx->target().version() == PostfixVersion{3, 4});
  CHECK(FactsOf(*ctx).target().version() == PostfixVersion{3, 4});
  CHECK(ctx->target().defaults().IsBuiltin("smtpd_timeout"));
  config.postfix_version = "not a version";
  CHECK(MakeConfig("", "", config)->target().version() == PostfixVersion{3, 7});
  CHECK(MakeConfig("")->target().version() == PostfixVersion{3, 7});
}

TEST_CASE("one empty main.cf model") {
  const MainCf& empty = MainCf::Empty();
  CHECK(empty.definitions().empty());
  CHECK(&empty == &MainCf::Empty());
  // A context without a main.cf sees it.
  auto ctx = std::make_unique<LintContext>("d", ProjectConfig{});
  CHECK(&ctx->main_cf() == &empty);
}

TEST_CASE("the main.cf facts are built once per configuration for all main.cf rules") {
  // An unknown name, an undefined reference and a loop: PV101, PV103 and
  // PV107 each read the main.cf facts (PV106 too, silent here).
  auto ctx = MakeConfig("smtpd_banner = $myhostnme ESMTP\nmy_own = 1\na = $b\nb = $a\n",
                        "smtp inet n - y - - smtpd\n");
  long before = ComputationCount(Computation::kMainFacts);
  std::vector<Diagnostic> found = Lint(*ctx, RuleFilter());
  std::set<std::string> rules;
  for (const Diagnostic& d : found) rules.insert(std::string(d.rule_id));
  for (const char* id : {"PV101", "PV103", "PV107"}) {
    INFO(id);
    CHECK(rules.count(id) == 1);
  }
  CHECK(ComputationCount(Computation::kMainFacts) == before + 1);
  // Later readers get the same object.
  CHECK(&FactsOf(*ctx).Main() == &FactsOf(*ctx).Main());
  CHECK(ComputationCount(Computation::kMainFacts) == before + 1);
}

TEST_CASE("the table references: which parameter or service option names which table") {
  auto ctx = MakeConfig(
      "hc = /etc/postfix/header_checks\n"
      "header_checks = regexp:$hc, proxy:pcre:/etc/postfix/hc.pcre, pcre:{/x/ REJECT}, hash:/etc/postfix/a\n"
      "body_checks = regexp:/etc/postfix/body\n",
      "smtp inet n - y - - smtpd\n  -o smtpd_command_filter=pcre:/etc/postfix/cmd\n");
  const std::vector<TableReference>& refs = FactsOf(*ctx).TableReferences();
  REQUIRE(refs.size() == 4);
  CHECK(refs[0].param == "header_checks");
  CHECK(refs[0].path == "/etc/postfix/header_checks");
  CHECK(refs[0].kind == FileKind::kRegexpTable);
  CHECK(refs[0].where.source->Slice(refs[0].where.begin, refs[0].where.end).find("regexp:$hc") !=
        std::string_view::npos);  // expanded: the whole value
  CHECK(refs[1].path == "/etc/postfix/hc.pcre");
  CHECK(refs[1].kind == FileKind::kPcreTable);
  CHECK(refs[1].where.source->Slice(refs[1].where.begin, refs[1].where.end) == "/etc/postfix/hc.pcre");
  CHECK(refs[2].param == "body_checks");
  CHECK(refs[3].param == "smtp/inet/smtpd_command_filter");
  CHECK(refs[3].path == "/etc/postfix/cmd");
  // Computed once: the same list for every reader.
  CHECK(&FactsOf(*ctx).TableReferences() == &refs);
  CHECK(&TableReferencesOf(*ctx) == &refs);
}

}  // namespace
}  // namespace postvet
