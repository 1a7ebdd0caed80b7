// TargetVersion and the per-series tables behind it (issue 22): which table
// a series gets, what the tables say about names and defaults that changed
// between releases, the guess from compatibility_level, and the rules that
// read the target (PV101, PV109's restriction table) through LintContext.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "rules/registry.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/engine.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/facts/restriction/restriction_table.hpp"
#include "src/model/defaults.hpp"
#include "src/model/target_version.hpp"

namespace postvet {
namespace {

std::string DefaultOf(const char* series, const char* name) {
  std::optional<std::string_view> d = TargetVersion::For(series).defaults().Default(name);
  return d ? std::string(*d) : std::string("<none>");
}

TEST_CASE("each series 3.5-3.10 has its own table; others use the nearest") {
  CHECK(Defaults::TableSeries({3, 5}) == PostfixVersion{3, 5});
  CHECK(Defaults::TableSeries({3, 10}) == PostfixVersion{3, 10});
  CHECK(Defaults::TableSeries({2, 11}) == PostfixVersion{3, 5});
  CHECK(Defaults::TableSeries({3, 11}) == PostfixVersion{3, 10});
  CHECK(TargetVersion::For("3.8").exact_table());
  CHECK_FALSE(TargetVersion::For("3.4").exact_table());
  CHECK(&Defaults::For({3, 7}) == &Defaults::Postfix37());
  CHECK(Defaults::For({3, 9}).Default("mail_version") == std::optional<std::string_view>("3.9.14"));
}

TEST_CASE("the tables differ where the releases do") {
  // New in 3.10; smtpd_hide_client_session is built in there only.
  CHECK(DefaultOf("3.10", "smtpd_hide_client_session") == "no");
  CHECK(DefaultOf("3.9", "smtpd_hide_client_session") == "<none>");
  // Defaults changed by releases.
  CHECK(DefaultOf("3.7", "smtpd_forbid_bare_newline") == "no");
  CHECK(DefaultOf("3.9", "smtpd_forbid_bare_newline") == "normalize");
  CHECK(DefaultOf("3.5", "smtp_tls_protocols") == "!SSLv2, !SSLv3");
  CHECK(DefaultOf("3.7", "smtp_tls_protocols") == ">=TLSv1");
  // 3.5 spells the compatibility test `<`, 3.6 on `<level`.
  CHECK(DefaultOf("3.5", "smtputf8_enable") == "${{$compatibility_level} < {1} ? {no} : {yes}}");
  CHECK(DefaultOf("3.6", "smtpd_tls_fingerprint_digest") ==
        "${{$compatibility_level} <level {3.6} ? {md5} : {sha256}}");
  // A 3.5 parameter that 3.6 renamed and keeps as a legacy name.
  CHECK(TargetVersion::For("3.5").defaults().Find("postscreen_blacklist_action")->cls == ParamClass::kBuiltin);
  CHECK(TargetVersion::For("3.6").defaults().IsLegacy("postscreen_blacklist_action"));
  CHECK_FALSE(TargetVersion::For("3.5").defaults().IsBuiltin("postscreen_denylist_action"));
  // Debian's build choices carry over from the measured 3.7 table.
  CHECK(DefaultOf("3.10", "daemon_directory") == "/usr/lib/postfix/sbin");
}

TEST_CASE("the target is guessed from compatibility_level only upwards") {
  CHECK_FALSE(TargetVersion::FromCompatibilityLevel(std::nullopt).guessed());
  CHECK(TargetVersion::FromCompatibilityLevel(std::nullopt).version() == PostfixVersion{3, 7});
  CHECK_FALSE(TargetVersion::FromCompatibilityLevel("3.6").guessed());
  CHECK_FALSE(TargetVersion::FromCompatibilityLevel("2").guessed());
  CHECK_FALSE(TargetVersion::FromCompatibilityLevel("${x}").guessed());
  TargetVersion t = TargetVersion::FromCompatibilityLevel("3.9");
  CHECK(t.guessed());
  CHECK(t.version() == PostfixVersion{3, 9});
  CHECK(t.GuessSentence() == "judged against Postfix 3.9, as compatibility_level = 3.9 implies Postfix 3.9 or later");
  TargetVersion future = TargetVersion::FromCompatibilityLevel("3.12");
  CHECK(future.version() == PostfixVersion{3, 10});
  CHECK(future.GuessSentence() ==
        "judged against Postfix 3.10, the newest release postvet knows, as compatibility_level = 3.12 implies "
        "Postfix 3.12 or later");
  CHECK(TargetVersion::Choose("3.5", "3.10").version() == PostfixVersion{3, 5});
  CHECK_FALSE(TargetVersion::Choose("3.5", "3.10").guessed());
}

std::unique_ptr<LintContext> Context(const std::string& main_cf, ProjectConfig config) {
  auto ctx = std::make_unique<LintContext>("d", std::move(config));
  ctx->AddFile(Source("d/main.cf", "d/main.cf", main_cf), FileKind::kMainCf);
  return ctx;
}

TEST_CASE("LintContext: a given version wins over compatibility_level") {
  const std::string cf = "compatibility_level = 3.10\nsmtpd_hide_client_session = yes\n";
  ProjectConfig none;
  auto guessed = Context(cf, none);
  CHECK(guessed->target().version() == PostfixVersion{3, 10});
  CHECK(guessed->target().guessed());
  CHECK(Lint(*guessed, RuleFilter(none, {"PV101"}, {})).empty());

  ProjectConfig given;
  given.postfix_version = "3.7";
  given.postfix_version_given = true;
  auto fixed = Context(cf, given);
  CHECK(fixed->target().version() == PostfixVersion{3, 7});
  std::vector<Diagnostic> d = Lint(*fixed, RuleFilter(given, {"PV101"}, {}));
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "\"smtpd_hide_client_session\" needs Postfix ≥ 3.10 (the target is Postfix 3.7)");
}

TEST_CASE("restriction tables are per series") {
  const restriction::RestrictionInfo* r37 = restriction::RestrictionTableFor({3, 7}).Find("permit_naked_ip_address");
  const restriction::RestrictionInfo* r310 = restriction::RestrictionTableFor({3, 10}).Find("permit_naked_ip_address");
  REQUIRE(r37 != nullptr);
  REQUIRE(r310 != nullptr);
  CHECK(r37->effect != r310->effect);
  CHECK(restriction::RestrictionTableFor({3, 5}).errors().empty());
  CHECK(restriction::RestrictionTableFor({3, 10}).errors().empty());
}

}  // namespace
}  // namespace postvet
