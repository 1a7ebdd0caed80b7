// Tests of the restriction-list rules beyond their fixtures: PV601's relay
// check as smtpd's start-up check and evaluation see it (names in any case,
// restriction classes, warn_if_reject), PV604's submission cases, and one
// report per written entry although every smtpd service sees main.cf's lists,
// and one computation of the lists for all five rules.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/engine.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/facts/computation_count.hpp"
#include "tests/config_fixture.hpp"
#include "tests/message_shape.hpp"

namespace postvet {
namespace {

std::vector<Diagnostic> Run(const std::string& rule, const std::string& main_cf, const std::string& master_cf = "") {
  auto ctx = MakeConfig(main_cf, master_cf);
  std::vector<Diagnostic> out = Lint(*ctx, RuleFilter(ProjectConfig{}, {rule}, {}));
  for (const Diagnostic& d : out) CheckMessageShape(d);
  // The sources die with ctx: keep only what the checks read.
  for (Diagnostic& d : out) {
    d.location = {};
    for (Note& n : d.notes) n.location = {};
    d.fix.reset();
  }
  return out;
}

TEST_CASE("PV601 follows smtpd: names in any case, restriction classes, warn_if_reject") {
  // Upper case works for smtpd (strcasecmp).
  CHECK(Run("PV601", "smtpd_relay_restrictions = permit_mynetworks, REJECT_UNAUTH_DESTINATION\n").empty());
  // A class holding the guard satisfies smtpd's has_required(), which looks into classes.
  CHECK(Run("PV601", "smtpd_restriction_classes = relay_guard\nrelay_guard = reject_unauth_destination\n"
                     "smtpd_relay_restrictions = permit_mynetworks, relay_guard\n")
            .empty());
  // warn_if_reject turns the guard into a log line: no protection at all.
  std::vector<Diagnostic> warned =
      Run("PV601", "smtpd_relay_restrictions = permit_mynetworks, warn_if_reject reject_unauth_destination\n");
  REQUIRE(warned.size() == 1);
  CHECK(warned[0].message.find("neither") != std::string::npos);
  // A class not listed in smtpd_restriction_classes is no class.
  CHECK(Run("PV601", "relay_guard = reject_unauth_destination\n"
                     "smtpd_relay_restrictions = permit_mynetworks, relay_guard\n")
            .size() == 1);
}

TEST_CASE("PV601 judges each smtpd service with its own -o lists") {
  std::vector<Diagnostic> d = Run("PV601", "compatibility_level = 3.6\n",
                                  "smtp inet n - y - - smtpd\n"
                                  "2525 inet n - y - - smtpd\n  -o smtpd_relay_restrictions=permit_mynetworks\n");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.rfind("service 2525/inet:", 0) == 0);
}

TEST_CASE("the restriction rules report an entry of main.cf once, however many services use it") {
  std::vector<Diagnostic> d = Run("PV109", "smtpd_client_restrictions = permit_mynetwork\n",
                                  "smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n"
                                  "smtps inet n - y - - smtpd\n");
  CHECK(d.size() == 1);
}

}  // namespace
}  // namespace postvet

namespace postvet {
namespace {

const char kSubmission[] =
    "smtp inet n - y - - smtpd\n"
    "submission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n";

TEST_CASE("PV604: a guard in the other list than permit_sasl_authenticated still blocks users") {
  std::vector<Diagnostic> d =
      Run("PV604",
          "compatibility_level = 3.6\n"
          "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n"
          "smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination\n",
          kSubmission);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message ==
        "reject_unauth_destination in smtpd_recipient_restrictions comes before permit_sasl_authenticated for "
        "service submission/inet");
}

TEST_CASE("PV604 stays silent when it cannot be sure") {
  const std::string relay =
      "compatibility_level = 3.6\n"
      "smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination\n";
  // An access table before the guard may permit the user.
  CHECK(Run("PV604",
            relay + "smtpd_recipient_restrictions = check_client_access hash:/x, reject_unauth_destination\n",
            kSubmission)
            .empty());
  // No service has SASL on.
  CHECK(Run("PV604", relay + "smtpd_recipient_restrictions = reject_unauth_destination\n",
            "smtp inet n - y - - smtpd\n")
            .empty());
  // SASL on, but neither list permits authenticated clients: not a relay for users.
  CHECK(Run("PV604",
            "compatibility_level = 3.6\nsmtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination\n",
            kSubmission)
            .empty());
  // ... while the default relay list (compatibility_level >= 1) does permit them.
  CHECK(Run("PV604",
            "compatibility_level = 3.6\nsmtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination\n",
            kSubmission)
            .size() == 1);
  // SASL on in main.cf without master.cf: main.cf's own scope counts.
  CHECK(Run("PV604",
            "smtpd_sasl_auth_enable = yes\n"
            "smtpd_relay_restrictions = reject_unauth_destination, permit_sasl_authenticated\n")
            .size() == 1);
}

}  // namespace
}  // namespace postvet

namespace postvet {
namespace {

TEST_CASE("the five restriction rules share one computation of the restriction lists") {
  auto ctx = MakeConfig("smtpd_client_restrictions = permit_mynetwork\n",
                        "smtp inet n - y - - smtpd\nsubmission inet n - y - - smtpd\n  -o smtpd_sasl_auth_enable=yes\n");
  long before = facts::ComputationCount(facts::Computation::kRestrictionLists);
  std::vector<Diagnostic> d = Lint(*ctx, RuleFilter(ProjectConfig{}, {"PV109", "PV110", "PV111", "PV601", "PV604"}, {}));
  CHECK_FALSE(d.empty());
  CHECK(facts::ComputationCount(facts::Computation::kRestrictionLists) == before + 1);
}

}  // namespace
}  // namespace postvet
