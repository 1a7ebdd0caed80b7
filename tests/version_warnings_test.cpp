// Warnings postconf gives only from some release on, by target series:
// the deprecation texts of Postfix 3.9+ (postconf_unused.c, the generated
// rules/data/postfix-deprecated-params.tsv) and the "#comment after other
// text" check of the 3.8+ database-name scan (postconf_dbms.c), which also
// ends that scan. 3.7 (the host's postconf) has neither.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/defaults.hpp"
#include "src/model/deprecated_params.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/master_warnings.hpp"
#include "src/model/param_context.hpp"

using namespace postvet;

namespace {

struct Run {
  std::vector<std::string> warnings;  // registration + master.cf unused pass, sorted
  bool myldap_known = false;          // myldap_server_host known to postconf
};

Run Registration(PostfixVersion series, const std::string& main_text, const std::string& master_text) {
  Source src("main.cf", "main.cf", main_text);
  Cst cst = ParseMainCf(src);
  MainCf main_cf = MainCf::Build(cst);
  Source msrc("master.cf", "master.cf", master_text);
  Cst mcst = ParseMasterCf(msrc);
  std::vector<MasterServiceInfo> services = ReadMasterServices(mcst);
  const Defaults& d = Defaults::For(series);
  ServiceParams sp = DeriveServiceParams(services, d);
  ParamContext ctx(main_cf, d);
  ctx.SetConfigDirectory("D");
  ctx.SetServiceParams(&sp);
  KnownNames k = ComputeKnownNames(main_cf, d, services, sp, ctx);
  REQUIRE_FALSE(k.fatal);
  Run out;
  for (const PostconfWarning& w : k.warnings) out.warnings.push_back(FormatWarning(w, "D/main.cf", "D/master.cf"));
  for (std::string& w : MasterUnusedWarnings(k, d, sp, "D/master.cf", &DeprecatedParams::For(series))) {
    out.warnings.push_back(std::move(w));
  }
  std::sort(out.warnings.begin(), out.warnings.end());
  out.myldap_known = k.IsKnown("myldap_server_host", d, sp);
  return out;
}

}  // namespace

TEST_CASE("deprecated parameters: 3.10 names them, 3.7 and 3.8 do not") {
  const DeprecatedParams& v310 = DeprecatedParams::For({3, 10});
  CHECK(v310.Warning("D/main.cf", "smtpd_use_tls", true) ==
        std::string("D/main.cf: support for parameter \"smtpd_use_tls\" will be removed; instead, specify "
                    "\"smtpd_tls_security_level\""));
  CHECK(v310.Warning("D/main.cf", "smtpd_tls_dh1024_param_file", false) ==
        std::string("D/main.cf: support for parameter smtpd_tls_dh1024_param_file has been removed; instead, "
                    "do not specify (leave at default)"));
  CHECK_FALSE(v310.Warning("D/main.cf", "smtpd_tls_security_level", true));
  CHECK_FALSE(DeprecatedParams::For({3, 7}).Alternative("smtpd_use_tls"));
  CHECK_FALSE(DeprecatedParams::For({3, 8}).Alternative("smtpd_use_tls"));
  CHECK(DeprecatedParams::For({3, 9}).Alternative("disable_dns_lookups") ==
        std::optional<std::string_view>("specify \"smtp_dns_support_level\""));
  // A later series than the table knows keeps the newest list.
  CHECK(DeprecatedParams::For({3, 11}).Alternative("smtp_enforce_tls"));
}

TEST_CASE("deprecated parameters: a master.cf -o setting, by target") {
  const std::string master = "smtp unix - - n - - smtp\n  -o smtp_enforce_tls=yes\n";
  CHECK(Registration({3, 10}, "", master).warnings ==
        std::vector<std::string>{"D/master.cf: support for parameter \"smtp_enforce_tls\" will be removed; "
                                 "instead, specify \"smtp_tls_security_level\""});
  CHECK(Registration({3, 7}, "", master).warnings.empty());
}

TEST_CASE("dbms scan: a #comment token ends the scan from 3.8 on") {
  const std::string main_text = "virtual_alias_maps = hash:/x #c ldap:myldap\nmyldap_server_host = h\n";
  Run v310 = Registration({3, 10}, main_text, "");
  CHECK(v310.warnings ==
        std::vector<std::string>{"D/main.cf: #comment after other text is not allowed: #c ldap:myldap..."});
  CHECK_FALSE(v310.myldap_known);
  Run v37 = Registration({3, 7}, main_text, "");
  CHECK(v37.warnings.empty());
  CHECK(v37.myldap_known);
  // A #text inside an inline regexp table's entry is not scanned (3.8+).
  CHECK(Registration({3, 10}, "header_checks = regexp:{{/a #b/ REJECT}}\n", "").warnings.empty());
  // Up to 20 bytes of what follows.
  CHECK(Registration({3, 10}, "relay_domains = a, #x 123456789012345678901234\n", "").warnings ==
        std::vector<std::string>{"D/main.cf: #comment after other text is not allowed: #x 12345678901234567890..."});
}

TEST_CASE("dbms scan: a missing '}' names main.cf and master.cf by path from 3.8 on") {
  const std::string main_text = "virtual_alias_maps = {hash:/x\n";
  const std::string master = "smtp unix - - n - - smtp\n  -o virtual_alias_maps={hash:/y\n";
  // As postconf 3.10.13 and 3.7.11 print them for the same files.
  CHECK(Registration({3, 10}, main_text, master).warnings ==
        std::vector<std::string>{"D/main.cf: missing '}' in \"{hash:/x\"",
                                 "D/master.cf:smtp/unix: missing '}' in \"{hash:/y\""});
  CHECK(Registration({3, 7}, main_text, master).warnings ==
        std::vector<std::string>{"main.cf: missing '}' in \"{hash:/x\"", "master.cf:smtp/unix: missing '}' in \"{hash:/y\""});
}
