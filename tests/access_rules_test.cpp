// PV303 (access part), PV312 and PV313 on tables held in memory: which
// results they judge, which they leave alone ($n groups, restriction
// classes, time stamps, words both table kinds know), and PV313 taking
// precedence over PV303 at the same place.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "rules/registry.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/engine.hpp"
#include "tests/message_shape.hpp"

namespace postvet {
namespace {

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;
};

// One pcre table named by `param` (as `restriction` when given), with main.cf `main`.
Linted Lint1(const std::string& table, const std::string& param, const std::string& restriction,
             const std::vector<std::string>& rules, const std::string& main = "") {
  Linted out;
  ProjectConfig config;
  out.ctx = std::make_unique<LintContext>("d", config);
  out.ctx->AddFile(Source("d/main.cf", "d/main.cf", main), FileKind::kMainCf);
  InputFile& f = out.ctx->AddFile(Source("d/t", "d/t", table), FileKind::kPcreTable);
  f.used_by = {param};
  f.used_as = {restriction};
  RuleFilter filter(config, rules, {});
  out.diagnostics = Lint(*out.ctx, filter);
  for (const Diagnostic& d : out.diagnostics) CheckMessageShape(d);
  return out;
}

std::vector<std::string> Lines(const Linted& l) {
  std::vector<std::string> out;
  for (const Diagnostic& d : l.diagnostics) {
    const uint32_t line = d.location.source->Locate(d.location.begin).line;
    out.push_back(std::to_string(line) + " " + std::string(d.rule_id) + " " + d.message);
  }
  return out;
}

TEST_CASE("access results: what PV303, PV312 and PV313 leave alone") {
  std::string table =
      "/^(a)/ $1\n/b/ greylist\n/c/ 1700000000\n/d/ reject\n/e/ permit_mynetworks, reject\n/f/ DUNNO\n"
      "/g/ 450 4.7.1 later\n/h/ OK\n/i/ REJECT 5.7.1 no\n/j/ WARN 550 logged\n";
  Linted l = Lint1(table, "smtpd_client_restrictions", "check_client_access", {"PV303", "PV312", "PV313"},
                   "smtpd_restriction_classes = greylist\ngreylist = reject\n");
  CHECK(Lines(l).empty());
  // Without the restriction, the table is no access table: nothing judged.
  Linted other = Lint1("/x/ REJECTT\n/y/ 550\n/z/ STRIP\n", "smtpd_client_restrictions", "",
                       {"PV303", "PV312", "PV313"});
  CHECK(Lines(other).empty());
}

TEST_CASE("access results: each rule's finding") {
  Linted l = Lint1("/a/ REJECTT\n/b/ 550\n/c/ STRIP\n/d/ 350 x\n/e/ DEFER 4.7.1 ok\n", "smtpd_client_restrictions",
                   "check_client_access", {"PV303", "PV312", "PV313"});
  CHECK(Lines(l) == std::vector<std::string>{
                        "1 PV303 \"REJECTT\" is neither an action nor a restriction of check_client_access",
                        "2 PV312 reply code 550 in check_client_access has no text",
                        "3 PV313 STRIP is a header_checks action, not an action of check_client_access",
                        "4 PV312 reply code 350 in check_client_access is not a 4xx or 5xx code",
                    });
}

TEST_CASE("PV313 takes precedence over PV303 in header checks; PV303 alone still reports") {
  std::string table = "/a/ DEFER later\n/b/ 550 spam\n/c/ reject_unauth_destination\n/d/ DUNNO\n/e/ ok\n";
  Linted both = Lint1(table, "header_checks", "", {"PV303", "PV313"});
  CHECK(Lines(both) == std::vector<std::string>{
                           "1 PV313 DEFER is an access(5) action, not an action of header_checks",
                           "2 PV313 \"550 text\" is an access(5) reply, not an action of header_checks",
                           "3 PV313 reject_unauth_destination is an SMTP server restriction, not an action of "
                           "header_checks",
                       });
  Linted alone = Lint1(table, "header_checks", "", {"PV303"});
  CHECK(Lines(alone).size() == 3);
}

}  // namespace
}  // namespace postvet
