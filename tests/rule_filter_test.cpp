// RuleFilter and SelectorMatches (src/engine/rule_filter.hpp): which rules
// run (select/ignore from .postvet.cf and the command line), per-path
// ignores and severity overrides.
#include <catch2/catch.hpp>

#include "src/engine/rule_filter.hpp"

namespace postvet {
namespace {

const RuleInfo kDnsbl{"PV203", "obsolete-dnsbl", Severity::kWarning, FixKind::kSafe, "s", {}};
const RuleInfo kMain{"PV102", "duplicate-parameter", Severity::kWarning, FixKind::kSafe, "s", {}};

TEST_CASE("a selector is an ID in any case, a slug, a family prefix or ALL") {
  CHECK(SelectorMatches("PV203", kDnsbl));
  CHECK(SelectorMatches("pv203", kDnsbl));
  CHECK(SelectorMatches("obsolete-dnsbl", kDnsbl));
  CHECK_FALSE(SelectorMatches("Obsolete-DNSBL", kDnsbl));  // slugs are exact
  CHECK(SelectorMatches("PV", kDnsbl));
  CHECK(SelectorMatches("PV2", kDnsbl));
  CHECK(SelectorMatches("pv20", kDnsbl));
  CHECK_FALSE(SelectorMatches("PV21", kDnsbl));
  CHECK_FALSE(SelectorMatches("PV1", kDnsbl));
  CHECK_FALSE(SelectorMatches("PV2x", kDnsbl));
  CHECK(SelectorMatches("ALL", kDnsbl));
  CHECK(SelectorMatches("all", kDnsbl));
  CHECK_FALSE(SelectorMatches("PV2031", kDnsbl));
}

TEST_CASE("the default filter runs every rule at its own severity") {
  RuleFilter f;
  CHECK(f.Enabled(kDnsbl));
  CHECK(f.SeverityOf(kDnsbl) == Severity::kWarning);
  CHECK_FALSE(f.IgnoredForPath(kDnsbl, "cfg/main.cf"));
}

TEST_CASE("--select replaces the config's select; --ignore adds to its ignore") {
  ProjectConfig config;
  config.select = {"PV1"};
  config.ignore = {"duplicate-parameter"};
  RuleFilter from_config(config, {}, {});
  CHECK_FALSE(from_config.Enabled(kDnsbl));  // not selected
  CHECK_FALSE(from_config.Enabled(kMain));   // selected, but ignored

  RuleFilter cli(config, {"PV2", "PV102"}, {});
  CHECK(cli.Enabled(kDnsbl));
  CHECK_FALSE(cli.Enabled(kMain));  // the config's ignore still holds

  RuleFilter ignore_more(ProjectConfig{}, {}, {"PV203"});
  CHECK_FALSE(ignore_more.Enabled(kDnsbl));
  CHECK(ignore_more.Enabled(kMain));
}

TEST_CASE("per-path ignores match the displayed path with a glob") {
  ProjectConfig config;
  config.path_ignores.push_back({"legacy/*", {"PV2"}});
  RuleFilter f(config, {}, {});
  CHECK(f.IgnoredForPath(kDnsbl, "legacy/main.cf"));
  CHECK_FALSE(f.IgnoredForPath(kDnsbl, "cfg/main.cf"));
  CHECK_FALSE(f.IgnoredForPath(kMain, "legacy/main.cf"));
  CHECK(f.Enabled(kDnsbl));  // still runs elsewhere
}

TEST_CASE("severity overrides apply to the rules their selector names") {
  ProjectConfig config;
  config.severity["PV2"] = Severity::kError;
  RuleFilter f(config, {}, {});
  CHECK(f.SeverityOf(kDnsbl) == Severity::kError);
  CHECK(f.SeverityOf(kMain) == Severity::kWarning);
}

}  // namespace
}  // namespace postvet
