// Tests that the DNS list fixes respect the replies of rbl_reply_maps (keyed
// on the restriction's argument, "zone=filter" included) and postscreen's
// scoring: a fix that would change the reply a rejected client gets, or
// every client's postscreen score, is offered only as unsafe; one that
// provably keeps them stays safe. Also the map reader (reply_maps.hpp).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "rules/registry.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "rules/dnsbl/reply_maps.hpp"
#include "src/engine/engine.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

// A config in a real directory (texthash maps are read from disk).
struct Config {
  fs::path dir;
  std::unique_ptr<LintContext> ctx;

  explicit Config(const std::string& main_cf, const std::string& master_cf = "",
                  const std::vector<std::pair<std::string, std::string>>& files = {},
                  const std::vector<std::pair<std::string, FileKind>>& tables = {}) {
    std::string pattern = (fs::temp_directory_path() / "pv-reply-XXXXXX").string();
    dir = mkdtemp(pattern.data());
    for (const auto& [name, text] : files) std::ofstream(dir / name) << text;
    ctx = std::make_unique<LintContext>(dir.string(), ProjectConfig{});
    ctx->AddFile(Source((dir / "main.cf").string(), "main.cf", main_cf), FileKind::kMainCf);
    if (!master_cf.empty()) ctx->AddFile(Source((dir / "master.cf").string(), "master.cf", master_cf), FileKind::kMasterCf);
    for (const auto& [name, kind] : tables) {
      std::string text;
      for (const auto& [f, t] : files) {
        if (f == name) text = t;
      }
      ctx->AddFile(Source((dir / name).string(), name, text), kind);
    }
  }
  ~Config() { fs::remove_all(dir); }
  Config(const Config&) = delete;
  Config& operator=(const Config&) = delete;

  std::vector<Diagnostic> Lint(const std::string& rule) const {
    return postvet::Lint(*ctx, RuleFilter(ProjectConfig{}, {rule}, {}));
  }
};

// The fix of the finding whose location text is `at` (a copy: the
// findings are temporaries).
std::optional<Fix> FixAt(const std::vector<Diagnostic>& ds, const std::string& at) {
  for (const Diagnostic& d : ds) {
    if (d.location.source->Slice(d.location.begin, d.location.end) == at && d.fix) return d.fix;
  }
  return std::nullopt;
}

const char* kCoveredLater =
    "smtpd_recipient_restrictions = reject_unauth_destination,\n"
    "    reject_rbl_client zen.spamhaus.org=127.0.0.10,\n"
    "    reject_rbl_client zen.spamhaus.org\n";

TEST_CASE("PV202: deleting an entry with its own rbl_reply_maps reply is unsafe (texthash)") {
  Config c(std::string("rbl_reply_maps = texthash:${config_directory}/rbl_reply\n") + kCoveredLater, "",
           {{"rbl_reply", "# comment\nZEN.spamhaus.org=127.0.0.10   421 4.7.1 try again later\n"}});
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
  CHECK_THAT(fix->description, Catch::Contains("421 4.7.1 try again later") && Catch::Contains("default_rbl_reply"));
}

TEST_CASE("PV202: the same deletion stays safe when the map does not name either argument") {
  Config c(std::string("rbl_reply_maps = texthash:${config_directory}/rbl_reply\n") + kCoveredLater, "",
           {{"rbl_reply", "bl.spamcop.net 450 later\n"}});
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("PV202: a regexp map keyed on zone=filter makes the deletion unsafe") {
  Config c(std::string("rbl_reply_maps = regexp:/etc/postfix/rbl_reply.regexp\n") + kCoveredLater, "",
           {{"rbl_reply.regexp", "/^zen\\.spamhaus\\.org=127\\.0\\.0\\.10$/ 421 later\n"}},
           {{"rbl_reply.regexp", FileKind::kRegexpTable}});
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
}

TEST_CASE("PV202: a map postvet cannot read (hash:) makes the deletion unsafe") {
  Config c(std::string("rbl_reply_maps = hash:/etc/postfix/rbl_reply\n") + kCoveredLater);
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
  CHECK_THAT(fix->description, Catch::Contains("hash"));
}

TEST_CASE("PV202: an entry an earlier, wider one always decides for keeps a safe deletion") {
  Config c("rbl_reply_maps = hash:/etc/postfix/rbl_reply\n"
           "smtpd_recipient_restrictions = reject_rbl_client zen.spamhaus.org,\n"
           "    reject_rbl_client zen.spamhaus.org=127.0.0.10\n");
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("PV202: a member list whose reply differs from the combined list's is not deleted safely") {
  Config c("rbl_reply_maps = inline:{ {zen.spamhaus.org = 421 later} }\n"
           "smtpd_client_restrictions = reject_rbl_client sbl.spamhaus.org=127.0.0.[2..3],\n"
           "    reject_rbl_client zen.spamhaus.org\n");
  std::optional<Fix> fix = FixAt(c.Lint("PV202"), "sbl.spamhaus.org=127.0.0.[2..3]");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
}

TEST_CASE("PV202: a service's own rbl_reply_maps counts for the list it shares with main.cf") {
  const std::string master =
      "smtp      inet  n       -       y       -       -       smtpd\n"
      "  -o rbl_reply_maps=inline:{{zen.spamhaus.org=127.0.0.10=421}}\n";
  Config shared(kCoveredLater, master);
  std::optional<Fix> fix = FixAt(shared.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  // inline splits at the first '=': the key is the bare zone, which the
  // covering entry's argument is, so its reply changes.
  CHECK(fix->applicability == Applicability::kUnsafe);
  Config plain(kCoveredLater);
  fix = FixAt(plain.Lint("PV202"), "zen.spamhaus.org=127.0.0.10");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("PV205: adding a filter changes the rbl_reply_maps key: unsafe when the bare zone has a reply") {
  const std::string list = "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org\n";
  Config keyed("rbl_reply_maps = inline:{ {ZEN.spamhaus.org = 421 later} }\n" + list);
  std::optional<Fix> fix = FixAt(keyed.Lint("PV205"), "zen.spamhaus.org");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
  Config other("rbl_reply_maps = inline:{ {bl.spamcop.net = 421 later} }\n" + list);
  fix = FixAt(other.Lint("PV205"), "zen.spamhaus.org");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
  // postscreen is keyed on the bare zone (postscreen_dnsbl_reply_map): unaffected.
  Config ps("rbl_reply_maps = hash:/etc/postfix/x\npostscreen_dnsbl_reply_map = hash:/etc/postfix/y\n"
            "postscreen_dnsbl_sites = zen.spamhaus.org*2\n");
  fix = FixAt(ps.Lint("PV205"), "zen.spamhaus.org*2");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("PV204: deleting a weighted postscreen site moves every score: unsafe; smtpd stays safe") {
  Config ps("postscreen_dnsbl_threshold = 3\npostscreen_dnsbl_sites = zen.spamhaus.org=127.0.0.[2..11]*2, "
            "dnsbl.njabl.org*1\n");
  std::optional<Fix> fix = FixAt(ps.Lint("PV204"), "dnsbl.njabl.org*1");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kUnsafe);
  CHECK_THAT(fix->description, Catch::Contains("postscreen_dnsbl_threshold"));
  Config smtpd("rbl_reply_maps = hash:/etc/postfix/x\n"
               "smtpd_client_restrictions = reject_rbl_client dnsbl.njabl.org, permit\n");
  fix = FixAt(smtpd.Lint("PV204"), "dnsbl.njabl.org");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("PV201 and PV203 deletions never change a reply: they stay safe with any map") {
  Config dup("rbl_reply_maps = hash:/etc/postfix/x\n"
             "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.2,\n"
             "    reject_rbl_client zen.spamhaus.org=127.0.0.[2]\n");
  std::optional<Fix> fix = FixAt(dup.Lint("PV201"), "zen.spamhaus.org=127.0.0.[2]");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
  Config dead("rbl_reply_maps = hash:/etc/postfix/x\n"
              "smtpd_client_restrictions = reject_rbl_client dnsbl.sorbs.net, permit\n");
  fix = FixAt(dead.Lint("PV203"), "dnsbl.sorbs.net");
  REQUIRE(fix.has_value());
  CHECK(fix->applicability == Applicability::kSafe);
}

TEST_CASE("LookupReply reads maps in order, folds fixed-table keys, and gives up on unreadable ones") {
  using Kind = dnsbl::ReplyAnswer::Kind;
  Config c("rbl_reply_maps = inline:{ {a.example = first} }, texthash:/etc/postfix/t, static:{ 554 no }\n"
           "other_maps = ldap:/etc/postfix/ldap.cf\n",
           "", {{"t", "b.example=127.0.0.2 second\n  continued\n"}});
  dnsbl::ReplyAnswer a = dnsbl::LookupReply(*c.ctx, "rbl_reply_maps", nullptr, "A.example");
  CHECK(a.kind == Kind::kFound);
  CHECK(a.text == "first");
  a = dnsbl::LookupReply(*c.ctx, "rbl_reply_maps", nullptr, "b.example=127.0.0.2");
  CHECK(a.text == "second continued");
  a = dnsbl::LookupReply(*c.ctx, "rbl_reply_maps", nullptr, "c.example");
  CHECK(a.text == "554 no");
  CHECK(dnsbl::LookupReply(*c.ctx, "other_maps", nullptr, "x").kind == Kind::kUnknown);
  CHECK(dnsbl::LookupReply(*c.ctx, "smtpd_sender_login_maps", nullptr, "x").kind == Kind::kNotFound);
}

TEST_CASE("LookupReply gives up on a texthash path that is a directory or missing") {
  using Kind = dnsbl::ReplyAnswer::Kind;
  Config c("rbl_reply_maps = texthash:/etc/postfix/sub\nsmtpd_sender_login_maps = texthash:/etc/postfix/none\n");
  fs::create_directory(c.dir / "sub");
  CHECK(dnsbl::LookupReply(*c.ctx, "rbl_reply_maps", nullptr, "x").kind == Kind::kUnknown);
  CHECK(dnsbl::LookupReply(*c.ctx, "smtpd_sender_login_maps", nullptr, "x").kind == Kind::kUnknown);
}

}  // namespace
}  // namespace postvet
