// The master.cf model on format spec section 11, cases 32-46: what postconf
// and master(8) each make of them (field counts, types, wakeup and maxproc
// values, every -o quirk, braces, comments, duplicates).
#include <filesystem>

#include <catch2/catch.hpp>

#include "grammar/cst_builder.hpp"
#include "src/model/master_args.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_postconf.hpp"
#include "tests/test_util.hpp"
#include "tests/master_cf_fixture.hpp"

namespace postvet {
namespace {

using namespace master_cf_test;  // NOLINT: the fixture is this test's own

TEST_CASE("spec 32: fewer than 8 fields is a bad line for both readers") {
  Parsed p("smtp inet n - y - smtpd\n");
  CHECK(p.cf.services.empty());
  REQUIRE(p.cf.bad_lines.size() == 1);
  const MasterBadLine& bad = p.cf.bad_lines[0];
  CHECK(bad.fatal());
  CHECK(bad.line == 1);
  CHECK(bad.postconf_message == "bad field count");
  // master(8) reads "smtpd" as maxproc first.
  CHECK(bad.master_message == "field \"max_proc\": bad value: \"smtpd\"");
  CHECK(p.Bytes(bad.begin, bad.end) == "smtp inet n - y - smtpd");
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kFields);
  REQUIRE(out.fatal);
  CHECK(out.fatal->line == 1);
  CHECK(out.fatal->text == "bad field count");
  CHECK(out.out.empty());
}

TEST_CASE("spec 33: type is case-sensitive") {
  Parsed p("smtp INET n - y - - smtpd\n");
  const MasterService& svc = p.Only();
  CHECK(svc.type == ServiceType::kUnknown);
  CHECK_FALSE(svc.PostconfAccepts());
  const MasterProblem* fatal = svc.FirstFatal(MasterChecker::kPostconf);
  REQUIRE(fatal != nullptr);
  CHECK(fatal->message == "invalid type field \"INET\" in \"smtp INET n - y - - smtpd\"");
  CHECK(fatal->field == 1);
  CHECK(p.Bytes(fatal->begin, fatal->end) == "INET");
  CHECK(HasMessage(svc, MasterChecker::kMaster, "bad transport type: INET"));
}

TEST_CASE("spec 34: wakeup values") {
  for (const char* ok : {"60?", "-?", "?", "0", "007", "-"}) {
    Parsed p(std::string("a unix - - n ") + ok + " - x\n");
    INFO(ok);
    CHECK(p.Only().PostconfAccepts());
  }
  for (const char* bad : {"60x", "-1", "60??"}) {
    Parsed p(std::string("a unix - - n ") + bad + " - x\n");
    INFO(bad);
    const MasterProblem* fatal = p.Only().FirstFatal(MasterChecker::kPostconf);
    REQUIRE(fatal != nullptr);
    CHECK(fatal->message == std::string("invalid wakeup field \"") + bad + "\" in \"a unix - - n " + bad + " - x\"");
  }
  // master(8): the first byte must be a digit; "-?" and "?" pass postconf only.
  Parsed minus_q("a unix - - n -? - x\n");
  CHECK(HasMessage(minus_q.Only(), MasterChecker::kMaster, "field \"wakeup_time\": bad value: \"-?\""));
  CHECK_FALSE(EffectiveWakeup(minus_q.Only()).has_value());
  // ... and it reads "60x" as 60 (postconf rejects it).
  Parsed lax("a unix - - n 60x - x\n");
  REQUIRE(EffectiveWakeup(lax.Only()).has_value());
  CHECK(EffectiveWakeup(lax.Only())->seconds == 60);
  CHECK(Messages(lax.Only(), MasterChecker::kMaster).empty());
  Parsed conditional("a unix - - n 60? - x\n");
  CHECK(EffectiveWakeup(conditional.Only())->conditional);
  Parsed zero("a unix - - n 0? - x\n");
  CHECK_FALSE(EffectiveWakeup(zero.Only())->conditional);
}

TEST_CASE("spec 35: maxproc values and the master's atoi laxity") {
  Parsed minus("a unix - - n - -1 x\n");
  REQUIRE(minus.Only().FirstFatal(MasterChecker::kPostconf) != nullptr);
  CHECK(minus.Only().FirstFatal(MasterChecker::kPostconf)->message ==
        "invalid process_limit field \"-1\" in \"a unix - - n - -1 x\"");
  CHECK(HasMessage(minus.Only(), MasterChecker::kMaster, "field \"max_proc\": bad value: \"-1\""));
  CHECK_FALSE(EffectiveProcessLimit(minus.Only(), 100).has_value());

  Parsed kilo("a unix - - n - 1k x\n");
  CHECK_FALSE(kilo.Only().PostconfAccepts());
  CHECK(Messages(kilo.Only(), MasterChecker::kMaster).empty());
  CHECK(EffectiveProcessLimit(kilo.Only(), 100) == 1L);
}

TEST_CASE("spec 36: inet service with private '-' passes postconf, not the master") {
  Parsed p("smtp inet - - - - - smtpd\n");
  CHECK(p.Only().PostconfAccepts());
  CHECK(HasMessage(p.Only(), MasterChecker::kMaster, "inet service cannot be private"));
  Parsed ok("smtp inet n - - - - smtpd\n");
  CHECK(Messages(ok.Only(), MasterChecker::kMaster).empty());
}

TEST_CASE("spec 37: attached -o is mangled by postconf, read right by the daemon") {
  Parsed p("smtp inet n - y - - smtpd -omyhostname=foo\n");
  const MasterService& svc = p.Only();
  CHECK(svc.postconf_args == std::vector<std::string>{"-o", "myh", "-o", "stname=f", "-o", "-o"});
  CHECK(svc.postconf_params == std::vector<std::pair<std::string, std::string>>{{"stname", "f"}});
  REQUIRE(svc.overrides.size() == 1);
  const MasterOverride& ov = svc.overrides[0];
  CHECK(ov.form == OverrideForm::kAttached);
  CHECK(ov.name == "myhostname");
  CHECK(ov.value == "foo");
  CHECK(ov.ok());
  CHECK(ov.postconf_mangles);
  CHECK(p.Bytes(ov.begin, ov.end) == "-omyhostname=foo");
  CHECK(p.Bytes(ov.name_begin, ov.name_end) == "myhostname");
  CHECK(p.Bytes(ov.value_begin, ov.value_end) == "foo");
  CHECK(Params("smtp inet n - y - - smtpd -omyhostname=foo\n") == "smtp/inet/stname = f\n");

  Parsed safe("smtp inet n - y - - smtpd -osmtpd_banner=5\n");
  CHECK_FALSE(safe.Only().overrides.at(0).postconf_mangles);
}

TEST_CASE("spec 38: braced -o keeps inner blanks of the value") {
  Parsed p("smtp inet n - y - - smtpd -o { smtpd_banner  =  hi  there  }\n");
  const MasterService& svc = p.Only();
  REQUIRE(svc.overrides.size() == 1);
  const MasterOverride& ov = svc.overrides[0];
  CHECK(ov.form == OverrideForm::kBraced);
  CHECK(ov.name == "smtpd_banner");
  CHECK(ov.value == "hi  there");
  CHECK(p.Bytes(ov.begin, ov.end) == "-o { smtpd_banner  =  hi  there  }");
  CHECK(p.Bytes(ov.value_begin, ov.value_end) == "hi  there");
  CHECK(svc.postconf_args == std::vector<std::string>{"-o", "smtpd_banner=hi  there"});
  CHECK(Params("smtp inet n - y - - smtpd -o { smtpd_banner  =  hi  there  }\n") ==
        "smtp/inet/smtpd_banner = hi there\n");
  CHECK(Fields("smtp inet n - y - - smtpd -o { smtpd_banner  =  hi  there  }\n")
            .find("smtp/inet/command = smtpd -o {smtpd_banner=hi  there}\n") != std::string::npos);
}

TEST_CASE("spec 39: unbraced blanks around '=' are silent in postconf, fatal in the daemon") {
  Parsed p("smtp inet n - y - - smtpd -o smtpd_banner = hello\n");
  const MasterService& svc = p.Only();
  CHECK(svc.postconf_params.empty());
  CHECK(Messages(svc, MasterChecker::kPostconf).empty());
  REQUIRE(svc.overrides.size() == 1);
  const MasterOverride& ov = svc.overrides[0];
  CHECK(ov.form == OverrideForm::kSpaced);
  CHECK(ov.error == "invalid \"-o smtpd_banner\" option value: missing '=' after attribute name");
  CHECK(ov.name == "smtpd_banner");
  CHECK(ov.value == "hello");
  CHECK(p.Bytes(ov.begin, ov.end) == "-o smtpd_banner = hello");
  CHECK(p.Bytes(ov.value_begin, ov.value_end) == "hello");
  CHECK(HasMessage(svc, MasterChecker::kDaemon, ov.error));
  CHECK(svc.FindOverride("smtpd_banner") == nullptr);

  Parsed glued("smtp inet n - y - - smtpd -o smtpd_banner =hello -o x=1\n");
  REQUIRE(glued.Only().overrides.size() == 2);
  CHECK(glued.Only().overrides[0].form == OverrideForm::kSpaced);
  CHECK(glued.Only().overrides[0].value == "hello");
  CHECK(glued.Only().overrides[1].name == "x");
}

TEST_CASE("spec 40/41: brace errors warn in postconf, kill the master") {
  Parsed open("smtp inet n - y - - smtpd -o { smtpd_banner = a\n");
  const MasterService& svc = open.Only();
  CHECK(svc.PostconfAccepts());
  CHECK(Messages(svc, MasterChecker::kPostconf) ==
        std::vector<std::string>{"missing '}' in \"{ smtpd_banner = a\""});
  CHECK(HasMessage(svc, MasterChecker::kMaster, "missing '}' in \"{ smtpd_banner = a\""));
  REQUIRE(svc.overrides.size() == 1);
  CHECK(svc.overrides[0].name == "smtpd_banner");
  CHECK(svc.overrides[0].value == "a");
  CHECK(svc.overrides[0].error == "missing '}' in \"{ smtpd_banner = a\"");
  CHECK(Params("smtp inet n - y - - smtpd -o { smtpd_banner = a\n") == "smtp/inet/smtpd_banner = a\n");

  Parsed after("smtp inet n - y - - smtpd -o {smtpd_banner=a}x\n");
  CHECK(Messages(after.Only(), MasterChecker::kPostconf) ==
        std::vector<std::string>{"syntax error after '}' in \"{smtpd_banner=a}x\""});
  CHECK(after.Only().overrides.at(0).value == "a");
}

TEST_CASE("spec 42: comment and blank lines inside an entry") {
  Parsed p("smtp inet n - y - - smtpd\n# comment\n\n\t-o smtpd_sasl_auth_enable=yes\n");
  const MasterService& svc = p.Only();
  CHECK(svc.text == "smtp inet n - y - - smtpd\t-o smtpd_sasl_auth_enable=yes");
  REQUIRE(svc.overrides.size() == 1);
  const MasterOverride& ov = svc.overrides[0];
  CHECK(p.source.Locate(ov.begin).line == 4);
  CHECK(p.Bytes(ov.begin, ov.end) == "-o smtpd_sasl_auth_enable=yes");
  CHECK(p.Bytes(ov.value_begin, ov.value_end) == "yes");
  CHECK(svc.line == 1);
}

TEST_CASE("spec 43: '#' in the middle is an argument") {
  Parsed p("smtp inet n - y - - smtpd #comment\n");
  const MasterService& svc = p.Only();
  REQUIRE(svc.daemon_args.size() == 1);
  CHECK(svc.daemon_args[0].text == "#comment");
  CHECK(p.Bytes(svc.daemon_args[0].begin, svc.daemon_args[0].end) == "#comment");
}

TEST_CASE("spec 44: {} arguments become empty") {
  Parsed p("pipe unix - n n - - pipe argv=/bin/echo {} { }\n");
  const MasterService& svc = p.Only();
  CHECK(svc.postconf_args == std::vector<std::string>{"argv=/bin/echo", "", ""});
  REQUIRE(svc.daemon_args.size() == 3);
  CHECK(svc.daemon_args[1].text.empty());
  CHECK(svc.daemon_args[2].text.empty());
  CHECK(Fields("pipe unix - n n - - pipe argv=/bin/echo {} { }\n")
            .find("pipe/unix/command = pipe argv=/bin/echo  \n") != std::string::npos);
}

TEST_CASE("spec 45: duplicate services are both kept") {
  Parsed p("smtp inet n - y - - smtpd -o a=1\nsmtp inet n - y - - smtpd -o a=2 -o b=3\n");
  REQUIRE(p.cf.services.size() == 2);
  CHECK(p.cf.services[0].NameSpace() == p.cf.services[1].NameSpace());
  // postconf: one shared parameter table per service/type.
  CHECK(Params("smtp inet n - y - - smtpd -o a=1\nsmtp inet n - y - - smtpd -o a=2 -o b=3\n") ==
        "smtp/inet/a = 2\nsmtp/inet/b = 3\nsmtp/inet/a = 2\nsmtp/inet/b = 3\n");
  // An entry before the first one with an -o has no table yet.
  CHECK(Params("x unix - - - - - c\nx unix - - - - - c -o a=1\nx unix - - - - - c\n") ==
        "x/unix/a = 1\nx/unix/a = 1\n");
}

TEST_CASE("spec 46: braces in fields group for postconf only") {
  Parsed p("{my svc} unix - n n - - pipe argv=x\n");
  const MasterService& svc = p.Only();
  CHECK(svc.name() == "{my svc}");
  CHECK(svc.PostconfAccepts());
  CHECK(svc.master_split_differs);
  CHECK(HasMessage(svc, MasterChecker::kMaster, "bad transport type: svc}"));
}

}  // namespace
}  // namespace postvet
