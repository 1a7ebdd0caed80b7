// ExpandList: restriction lists split like Postfix, `$name` references
// followed to where each entry is written, mixed tokens expanded, service
// overrides first, loops cut.
#include <catch2/catch.hpp>

#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"
#include "src/config/restriction_list.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

std::string At(const ListEntry& e) {
  if (e.where.source == nullptr) return "<default>";
  return std::string(e.where.source->Slice(e.where.begin, e.where.end));
}

TEST_CASE("splitting follows mystrtokq") {
  std::vector<std::string_view> want = {"a", "b", "x{y, z}w", "{c d}"};
  CHECK(SplitPostfixList(" a,,b\tx{y, z}w\n{c d}, ") == want);
}

TEST_CASE("entries point where they are written, through $name") {
  LintContext ctx("d", ProjectConfig{});
  ctx.AddFile(Source("d/main.cf", "d/main.cf",
                     "rbl = reject_rbl_client zen.spamhaus.org\n"
                     "smtpd_client_restrictions = permit_mynetworks,\n"
                     "  # a comment inside\n"
                     "  $rbl, reject_rbl_client ${zone}.example\n"
                     "zone = bl\n"),
              FileKind::kMainCf);
  std::vector<ListEntry> e = ExpandList(ctx, "smtpd_client_restrictions");
  REQUIRE(e.size() == 5);
  CHECK(e[0].text == "permit_mynetworks");
  CHECK(At(e[0]) == "permit_mynetworks");
  CHECK(e[1].text == "reject_rbl_client");
  CHECK(e[2].text == "zen.spamhaus.org");
  CHECK(At(e[2]) == "zen.spamhaus.org");
  CHECK(e[2].param == "rbl");
  REQUIRE(e[2].via.size() == 1);
  CHECK(std::string(e[2].via[0].source->Slice(e[2].via[0].begin, e[2].via[0].end)) == "$rbl");
  CHECK(e[4].text == "bl.example");
  CHECK_FALSE(e[4].exact);
  CHECK(At(e[4]) == "${zone}.example");
}

TEST_CASE("defaults, service overrides and loops") {
  LintContext ctx("d", ProjectConfig{});
  ctx.AddFile(Source("d/main.cf", "d/main.cf", "compatibility_level = 3.6\na = $b\nb = $a x\n"), FileKind::kMainCf);
  ctx.AddFile(Source("d/master.cf", "d/master.cf",
                     "submission inet n - n - - smtpd\n  -o smtpd_client_restrictions=permit_sasl_authenticated,reject\n"),
              FileKind::kMasterCf);
  std::vector<ListEntry> d = ExpandList(ctx, "smtpd_relay_restrictions");
  // The default is a compatibility_level expression: at 3.6 it gives
  // permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination.
  REQUIRE(d.size() == 3);
  CHECK(d[2].text == "defer_unauth_destination");
  CHECK(d[0].where.source == nullptr);
  const MasterService& svc = ctx.master_cf().services[0];
  std::vector<ListEntry> s = ExpandList(ctx, "smtpd_client_restrictions", &svc);
  REQUIRE(s.size() == 2);
  CHECK(At(s[1]) == "reject");
  CHECK(ExpandList(ctx, "a").size() <= 2);  // the loop is cut, not followed forever
}

TEST_CASE("a continued value read again, from another scope, points to the same bytes") {
  // The joined lines of a value are kept per context and reused: the second
  // and third reads must place every entry exactly as the first did.
  LintContext ctx("d", ProjectConfig{});
  ctx.AddFile(Source("d/main.cf", "d/main.cf",
                     "smtpd_recipient_restrictions = permit_mynetworks,\n"
                     "  # between\n"
                     "  reject_unauth_destination,\n"
                     "\treject_rbl_client zen.spamhaus.org\n"),
              FileKind::kMainCf);
  ctx.AddFile(Source("d/master.cf", "d/master.cf",
                     "smtp inet n - n - - smtpd\n"
                     "submission inet n - n - - smtpd\n  -o smtpd_client_restrictions=permit_sasl_authenticated,reject\n"),
              FileKind::kMasterCf);
  const std::vector<std::string> want = {"permit_mynetworks", "reject_unauth_destination", "reject_rbl_client",
                                         "zen.spamhaus.org"};
  std::vector<const MasterService*> scopes = {nullptr, &ctx.master_cf().services[0], &ctx.master_cf().services[1],
                                              nullptr};
  for (const MasterService* scope : scopes) {
    std::vector<ListEntry> e = ExpandList(ctx, "smtpd_recipient_restrictions", scope);
    REQUIRE(e.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      CHECK(e[i].text == want[i]);
      CHECK(At(e[i]) == want[i]);
    }
  }
  for (int round = 0; round < 2; ++round) {
    std::vector<ListEntry> s = ExpandList(ctx, "smtpd_client_restrictions", &ctx.master_cf().services[1]);
    REQUIRE(s.size() == 2);
    CHECK(At(s[0]) == "permit_sasl_authenticated");
    CHECK(At(s[1]) == "reject");
  }
}

}  // namespace
}  // namespace postvet
