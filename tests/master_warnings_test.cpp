// MasterWarnings: postconf's master.cf warnings (issue 23) from the services
// and the name registration, checked against what postconf 3.7 prints for
// the same files (recorded by hand with `postconf -c DIR -n`).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/defaults.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/master_warnings.hpp"
#include "src/model/param_context.hpp"

using namespace postvet;

namespace {

// The master.cf reading warnings, every registration warning (main.cf and
// master.cf scope) and master.cf's unused pass, as show prints them (without
// the program prefix), sorted. main.cf's unused pass is show_command's.
std::vector<std::string> Warnings(const std::string& main_text, const std::string& master_text) {
  Source src("main.cf", "main.cf", main_text);
  Cst cst = ParseMainCf(src);
  MainCf main_cf = MainCf::Build(cst);
  Source msrc("master.cf", "master.cf", master_text);
  Cst mcst = ParseMasterCf(msrc);
  std::vector<MasterServiceInfo> services = ReadMasterServices(mcst);
  const Defaults& d = Defaults::Postfix37();
  ServiceParams sp = DeriveServiceParams(services, d);
  ParamContext ctx(main_cf, d);
  ctx.SetConfigDirectory("D");
  ctx.SetServiceParams(&sp);
  KnownNames k = ComputeKnownNames(main_cf, d, services, sp, ctx);
  REQUIRE_FALSE(k.fatal);
  MasterReading reading = ReadMasterLikePostconf(BuildMasterCf(mcst));
  REQUIRE_FALSE(reading.fatal);
  std::vector<std::string> out = reading.warnings;
  for (const PostconfWarning& w : k.warnings) out.push_back(FormatWarning(w, "D/main.cf", "D/master.cf"));
  for (std::string& w : MasterUnusedWarnings(k, d, sp, "D/master.cf")) out.push_back(std::move(w));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("master warnings: issue 23, unused -o names and a global restriction class") {
  // bar is validated by main.cf's smtpd_restriction_classes; baz by nothing.
  CHECK(Warnings("smtpd_restriction_classes = bar\n", "smtp inet n - n - - smtpd\n  -o bar=yes -o baz=xx\n") ==
        std::vector<std::string>{"D/master.cf: unused parameter: baz=xx"});
}

TEST_CASE("master warnings: undefined $name in an -o value, once per reference") {
  CHECK(Warnings("smtpd_restriction_classes = bar\n", "smtp inet n - n - - smtpd -o always_bcc=$bar$baz$bar\n") ==
        std::vector<std::string>{"D/main.cf: undefined parameter: bar", "D/master.cf: undefined parameter: bar",
                                 "D/master.cf: undefined parameter: bar",
                                 "D/master.cf: undefined parameter: baz"});
}

TEST_CASE("master warnings: a same-service -o or a main.cf name defines $name") {
  CHECK(Warnings("foo = 1\n", "a inet n - n - - smtpd -o always_bcc=$foo$own -o own=1\n").empty());
  // Another service's -o does not count.
  CHECK(Warnings("", "a inet n - n - - smtpd -o own=1\nb inet n - n - - smtpd -o always_bcc=$own\n") ==
        std::vector<std::string>{"D/master.cf: undefined parameter: own", "D/master.cf: unused parameter: own=1"});
}

TEST_CASE("master warnings: a main.cf reference validates the -o name in every service") {
  CHECK(Warnings("always_bcc = $m1\n", "a inet n - n - - smtpd -o m1=x\nb inet n - n - - smtpd -o m1=y -o m2=z\n") ==
        std::vector<std::string>{"D/master.cf: unused parameter: m2=z"});
}

TEST_CASE("master warnings: braced -o forms, local classes, database prefixes, read-only names") {
  CHECK(Warnings("",
                 "s1 inet n - n - - smtpd -o { qq = 1 2 } -o smtpd_restriction_classes=c1,c2 -o c1=x\n"
                 "s2 unix - - n - - smtpd -o process_name=x -o virtual_alias_maps=ldap:lq"
                 " -o lq_bind=no -o lq_nonsense=1\n"
                 "s3 unix - - n - - smtpd -o { x4 = 1\n") ==
        std::vector<std::string>{"D/master.cf: read-only parameter assignment: process_name=x",
                                 "D/master.cf: undefined parameter: c2",
                                 "D/master.cf: unused parameter: lq_nonsense=1",
                                 "D/master.cf: unused parameter: qq=1 2",
                                 "D/master.cf: unused parameter: x4=1",
                                 "master.cf: missing '}' in \"{ x4 = 1\""});
}

TEST_CASE("master warnings: a user-defined main.cf name set with -o is used") {
  // u1 is validated in main.cf by $u1, so the -o u1 is a Postfix parameter.
  CHECK(Warnings("u1 = a\nalways_bcc = $u1\n", "a inet n - n - - smtpd -o u1=b\n").empty());
  CHECK(Warnings("u1 = a\n", "a inet n - n - - smtpd -o u1=b\n") ==
        std::vector<std::string>{"D/master.cf: unused parameter: u1=b"});  // (and main.cf's u1=a, not computed here)
}

TEST_CASE("master warnings: the open failure reads as postconf's") {
  CHECK(MasterOpenFailure("D/master.cf", ENOENT) == "open D/master.cf: No such file or directory");
}

TEST_CASE("master warnings: reading warnings and the reading error are postconf's") {
  Source msrc("master.cf", "master.cf",
              "a inet n - n - - smtpd -o {x=1}y\n"
              "b inet n - n -1 - smtpd\n");
  Cst mcst = ParseMasterCf(msrc);
  MasterReading reading = ReadMasterLikePostconf(BuildMasterCf(mcst));
  CHECK(reading.warnings == std::vector<std::string>{"master.cf: syntax error after '}' in \"{x=1}y\""});
  REQUIRE(reading.fatal);
  CHECK(*reading.fatal == "invalid wakeup field \"-1\" in \"b inet n - n -1 - smtpd\"");
  CHECK(reading.fatal_line == 2);
}

TEST_CASE("master warnings: undefined $names per service, as PV103 places them") {
  Source src("main.cf", "main.cf", "mua_sender = reject\n");
  Cst cst = ParseMainCf(src);
  MainCf main_cf = MainCf::Build(cst);
  Source msrc("master.cf", "master.cf",
              "smtps inet n - n - - smtpd -o mua=permit -o smtpd_client_restrictions=$mua\n"
              "submission inet n - n - - smtpd -o smtpd_client_restrictions=$mua,$mua_sender,$x\n");
  Cst mcst = ParseMasterCf(msrc);
  std::vector<MasterServiceInfo> services = ReadMasterServices(mcst);
  const Defaults& d = Defaults::Postfix37();
  ServiceParams sp = DeriveServiceParams(services, d);
  ParamContext ctx(main_cf, d);
  ctx.SetServiceParams(&sp);
  KnownNames k = ComputeKnownNames(main_cf, d, services, sp, ctx);
  std::vector<std::set<std::string, std::less<>>> by_service = MasterUndefinedByService(k, services.size());
  REQUIRE(by_service.size() == 2);
  CHECK(by_service[0].empty());  // smtps defines mua itself
  CHECK(by_service[1] == std::set<std::string, std::less<>>{"mua", "x"});
}
