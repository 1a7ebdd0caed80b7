// The master.cf model: format spec section 11 cases 32-46 (what postconf
// and master(8) make of them), every -o spelling with its byte ranges, the
// string primitives, the helpers for process limits and stress, and the
// postconf -F/-P printer on small inputs. The oracle test
// (master_oracle_test.py) checks the printer against postconf itself.
#include <filesystem>

#include <catch2/catch.hpp>

#include "grammar/cst_builder.hpp"
#include "src/model/master_args.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_postconf.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

// A Source, its tree and the model, kept together (the model points into
// the Source).
struct Parsed {
  explicit Parsed(std::string text)
      : source(testing::MakeSource(std::move(text), "master.cf")),
        cst(ParseMasterCf(source)),
        cf(BuildMasterCf(cst)) {}
  Source source;
  Cst cst;
  MasterCf cf;

  std::string_view Bytes(uint32_t begin, uint32_t end) const { return source.Slice(begin, end); }
  const MasterService& Only() const {
    REQUIRE(cf.services.size() == 1);
    return cf.services[0];
  }
};

// A string literal with its NUL bytes, without the terminating one.
template <size_t N>
std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

std::vector<std::string> Messages(const MasterService& svc, MasterChecker checker) {
  std::vector<std::string> out;
  for (const MasterProblem& p : svc.problems) {
    if (p.checker == checker) out.push_back(p.message);
  }
  return out;
}

bool HasMessage(const MasterService& svc, MasterChecker checker, const std::string& message) {
  for (const std::string& m : Messages(svc, checker)) {
    if (m == message) return true;
  }
  return false;
}

std::string Fields(const std::string& text) {
  Parsed p(text);
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kFields);
  return out.fatal ? "FATAL: " + out.fatal->text : out.out;
}

std::string Params(const std::string& text) {
  Parsed p(text);
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kParams);
  return out.fatal ? "FATAL: " + out.fatal->text : out.out;
}

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

TEST_CASE("every -o spelling") {
  Parsed p(
      "s unix - - n - - cmd -o a=1 -ob=2 -vo c=3 -Dod=4 -o {e = 5 6} -o{f=7} -o g -o =h -o {} "
      "-o a=9\n");
  const MasterService& svc = p.Only();
  REQUIRE(svc.overrides.size() == 10);
  auto form = [&](size_t i) { return svc.overrides[i].form; };
  CHECK(form(0) == OverrideForm::kSeparate);
  CHECK(form(1) == OverrideForm::kAttached);
  CHECK(form(2) == OverrideForm::kCombined);
  CHECK(form(3) == OverrideForm::kCombined);
  CHECK(svc.overrides[3].name == "d");
  CHECK(form(4) == OverrideForm::kBraced);
  CHECK(svc.overrides[4].value == "5 6");
  CHECK(form(5) == OverrideForm::kAttachedBrace);
  // The daemon does not strip attached braces: it sets "{f" to "7}".
  CHECK(svc.overrides[5].name == "{f");
  CHECK(svc.overrides[5].value == "7}");
  CHECK(form(6) == OverrideForm::kNoEquals);
  CHECK(svc.overrides[6].error == "invalid \"-o g\" option value: missing '=' after attribute name");
  CHECK(form(7) == OverrideForm::kMissingName);
  CHECK(form(8) == OverrideForm::kMissingName);
  CHECK(svc.overrides[8].error == "invalid \"-o \" option value: missing attribute name");
  CHECK(form(9) == OverrideForm::kSeparate);
  CHECK(svc.overrides[0].overridden);
  CHECK_FALSE(svc.overrides[9].overridden);
  REQUIRE(svc.FindOverride("a") != nullptr);
  CHECK(svc.FindOverride("a")->value == "9");
  for (const char* name : {"b", "c", "d", "e"}) CHECK(svc.FindOverride(name) != nullptr);
  CHECK(svc.FindOverride("f") == nullptr);

  Parsed trailing("s unix - - n - - cmd -o\n");
  REQUIRE(trailing.Only().overrides.size() == 1);
  CHECK(trailing.Only().overrides[0].form == OverrideForm::kMissingValue);
  CHECK(trailing.Only().overrides[0].error == "option requires an argument -- 'o'");
  CHECK(OverrideFormName(OverrideForm::kAttachedBrace) == "attached-brace");
}

TEST_CASE("options end at the first non-option word or --") {
  Parsed p("s unix - - n - - cmd -o a=b c -o x=y\n");
  const MasterService& svc = p.Only();
  REQUIRE(svc.overrides.size() == 1);
  CHECK(svc.overrides[0].followed_by_argument);
  REQUIRE(svc.daemon_args.size() == 3);
  CHECK(svc.daemon_args[0].text == "c");

  Parsed dashes("s unix - - n - - cmd -v -- -o a=b {x y}\n");
  CHECK(dashes.Only().overrides.empty());
  REQUIRE(dashes.Only().daemon_args.size() == 3);
  CHECK(dashes.Only().daemon_args[2].text == "x y");
  CHECK(dashes.Only().postconf_params.empty());

  // A lone '-' ends getopt() but postconf takes it as an option with a value.
  Parsed dash("x unix - - - - - cmd - {a b} -o y=1\n");
  CHECK(dash.Only().overrides.empty());
  CHECK(dash.Only().postconf_params == std::vector<std::pair<std::string, std::string>>{{"y", "1"}});

  Parsed unknown("s unix - - n - - cmd -x -o a=b\n");
  CHECK(HasMessage(unknown.Only(), MasterChecker::kDaemon, "invalid option: x"));
}

TEST_CASE("-o options after the first argument are kept apart as stranded") {
  Parsed p("s unix - - n - - cmd -o a=b c -o d=e f -o g -o h = i\n");
  const MasterService& svc = p.Only();
  REQUIRE(svc.overrides.size() == 1);
  CHECK_FALSE(svc.overrides[0].stranded);
  REQUIRE(svc.stranded_overrides.size() == 3);
  CHECK(svc.stranded_overrides[0].name == "d");
  CHECK(svc.stranded_overrides[0].value == "e");
  CHECK(svc.stranded_overrides[0].followed_by_argument);
  CHECK(svc.stranded_overrides[1].form == OverrideForm::kNoEquals);
  CHECK(svc.stranded_overrides[2].form == OverrideForm::kSpaced);
  for (const MasterOverride& ov : svc.stranded_overrides) CHECK(ov.stranded);
  CHECK(p.Bytes(svc.stranded_overrides[1].begin, svc.stranded_overrides[1].end) == "-o g");
  // They are not settings and the daemon says nothing about them.
  CHECK(svc.FindOverride("d") == nullptr);
  CHECK_FALSE(HasMessage(svc, MasterChecker::kDaemon, "invalid \"-o g\" option value: missing '=' after attribute name"));
  CHECK(svc.daemon_args.size() == 10);

  // After `--` nothing is an option, by the author's choice too.
  Parsed dashes("s unix - - n - - cmd -- -o a=b\n");
  CHECK(dashes.Only().stranded_overrides.empty());
  // A pipe(8) command line's own -o words are not master.cf options.
  Parsed pipe("p unix - n n - - pipe flags=R argv=/usr/sbin/sendmail -oi -f ${sender}\n");
  CHECK(pipe.Only().stranded_overrides.empty());
}

TEST_CASE("a NUL ends the logical line") {
  Parsed p(Bytes("smtp inet n - y - - smtpd -o a=1\0 -o b=2\n"));
  const MasterService& svc = p.Only();
  CHECK(svc.cut_at_nul);
  CHECK(svc.text == "smtp inet n - y - - smtpd -o a=1");
  REQUIRE(svc.overrides.size() == 1);
  CHECK(svc.overrides[0].name == "a");

  Parsed early(Bytes("smtp inet n\0 - y - - smtpd\n"));
  CHECK(early.cf.services.empty());
  REQUIRE(early.cf.bad_lines.size() == 1);
  CHECK(early.cf.bad_lines[0].postconf_message == "bad field count");
  CHECK(early.cf.bad_lines[0].master_message == "missing \"unprivileged\" field");

  // A line that starts with NUL: postconf counts no fields; master(8) skips it.
  Parsed first(Bytes("\0smtp inet n - y - - smtpd\n"));
  REQUIRE(first.cf.bad_lines.size() == 1);
  CHECK(first.cf.bad_lines[0].master_message.empty());
}

TEST_CASE("CRLF and CR-only files") {
  Parsed crlf("smtp inet n - y - - smtpd\r\n  -o a=b\r\n");
  REQUIRE(crlf.Only().overrides.size() == 1);
  CHECK(crlf.Only().overrides[0].value == "b");
  CHECK(crlf.Only().field(MasterField::kCommand).text == "smtpd");
  Parsed cr("smtp inet n - y - - smtpd\r  -o a=b\rx unix - - - - - y\r");
  CHECK(cr.Only().args.size() == 10);
}

TEST_CASE("text before the first logical line") {
  Parsed p("  -o orphan=1 and some more text here\nsmtp inet n - y - - smtpd\n");
  REQUIRE(p.cf.bad_lines.size() == 1);
  const MasterBadLine& bad = p.cf.bad_lines[0];
  CHECK(bad.leading_whitespace);
  CHECK_FALSE(bad.fatal());
  CHECK(bad.postconf_message ==
        "logical line must not start with whitespace: \"  -o orphan=1 and some more te...\"");
  CHECK(p.cf.services.size() == 1);
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kFields);
  CHECK_FALSE(out.fatal);
  REQUIRE(out.warnings.size() == 1);
  CHECK(out.warnings[0].line == 1);
}

TEST_CASE("continuation that starts with VT glues onto the previous word") {
  Parsed p("smtp inet n - y - - smtpd\n\v-o a=b\n");
  const MasterService& svc = p.Only();
  CHECK(svc.field(MasterField::kCommand).text == "smtpd\v-o");
  REQUIRE(svc.args.size() == 1);
  CHECK(svc.args[0].text == "a=b");
}

TEST_CASE("field ranges map through continuation lines") {
  Parsed p("smtp inet n - y\n  # note\n  - - smtpd -o {a =\n\n   b }\n");
  const MasterService& svc = p.Only();
  const MasterWord& cmd = svc.field(MasterField::kCommand);
  CHECK(p.Bytes(cmd.begin, cmd.end) == "smtpd");
  CHECK(p.source.Locate(cmd.begin).line == 3);
  REQUIRE(svc.overrides.size() == 1);
  const MasterOverride& ov = svc.overrides[0];
  CHECK(ov.value == "b");
  CHECK(p.source.Locate(ov.value_begin).line == 5);
  CHECK(p.Bytes(ov.value_begin, ov.value_end) == "b");
  CHECK(p.Bytes(ov.begin, ov.end) == "-o {a =\n\n   b }");
  CHECK(p.Bytes(svc.begin, svc.end) == "smtp inet n - y\n  # note\n  - - smtpd -o {a =\n\n   b }");
}

TEST_CASE("inet service names checked like host_port()") {
  struct Case {
    const char* name;
    const char* error;
  };
  for (Case c : {Case{"smtp", ""}, Case{"127.0.0.1:smtp", ""}, Case{"[::1]:25", ""},
                 Case{"[ipv6:::1]:25", ""}, Case{"mail.example.com:587", ""},
                 Case{"[::1:25", "missing \"]\""}, Case{"[::1]x", "garbage after \"]\""},
                 Case{"[ipv6:zz]:25", "malformed IPv6 address"}, Case{"host:", "missing service information"},
                 Case{"bad_host!:25", "valid hostname or network address required"},
                 Case{"25x", "garbage after numerical service"}}) {
    Parsed p(std::string(c.name) + " inet n - n - - smtpd\n");
    INFO(c.name);
    std::string want = *c.error ? std::string(c.error) + " in \"" + c.name + "\"" : "";
    std::vector<std::string> master = Messages(p.Only(), MasterChecker::kMaster);
    if (want.empty()) {
      CHECK(master.empty());
    } else {
      CHECK(master == std::vector<std::string>{want});
    }
  }
}

TEST_CASE("effective process limit, local-only, stress option") {
  Parsed p(
      "smtp inet n - y - - smtpd\n"
      "127.0.0.1:10025 inet n - n - 10 smtpd\n"
      "[::1]:10026 inet n - n - 10 smtpd\n"
      "localhost:10027 inet n - n - 10 smtpd\n"
      "10.0.0.1:25 inet n - n - 10 smtpd\n"
      "single inet n - n - 1 smtpd\n"
      "unlimited inet n - n - 0 smtpd\n"
      "cleanup unix n - n - 0 cleanup\n"
      "smtpd pass - - n - - smtpd\n");
  const auto& s = p.cf.services;
  REQUIRE(s.size() == 9);
  CHECK(EffectiveProcessLimit(s[0], 100) == 100L);
  CHECK(EffectiveProcessLimit(s[1], 100) == 10L);
  CHECK(EffectiveProcessLimit(s[6], 100) == 0L);
  CHECK_FALSE(IsLocalOnly(s[0]));
  CHECK(IsLocalOnly(s[0], "loopback-only"));
  CHECK(IsLocalOnly(s[0], "127.0.0.1, [::1]"));
  CHECK_FALSE(IsLocalOnly(s[0], "127.0.0.1, 192.0.2.1"));
  CHECK(IsLocalOnly(s[1]));
  CHECK(IsLocalOnly(s[2]));
  CHECK(IsLocalOnly(s[3]));
  CHECK_FALSE(IsLocalOnly(s[4]));
  CHECK(IsLocalOnly(s[7]));
  CHECK_FALSE(IsLocalOnly(s[8]));
  CHECK(ReceivesStressOption(s[0], 100));
  CHECK_FALSE(ReceivesStressOption(s[0], 1));
  CHECK_FALSE(ReceivesStressOption(s[0], 100, "loopback-only"));
  CHECK_FALSE(ReceivesStressOption(s[1], 100));
  CHECK(ReceivesStressOption(s[4], 100));
  CHECK_FALSE(ReceivesStressOption(s[5], 100));
  CHECK_FALSE(ReceivesStressOption(s[6], 100));
  CHECK_FALSE(ReceivesStressOption(s[7], 100));
  CHECK(ReceivesStressOption(s[8], 100));
}

TEST_CASE("postconf -F layout: folding and braces") {
  std::string fields = Fields("x unix - - - - - cmd {a b} {c d} -- {e f}\n");
  CHECK(fields ==
        "x/unix/service = x\nx/unix/type = unix\nx/unix/private = -\nx/unix/unprivileged = -\n"
        "x/unix/chroot = -\nx/unix/wakeup = -\nx/unix/process_limit = -\n"
        "x/unix/command = cmd a b {c d} -- {e f}\n");
  std::string name(70, 's');
  std::string folded = Fields(name + " unix - - - - - cmd\n");
  CHECK(folded.find(name + "/unix/service = \n    " + name + "\n") == 0);
  CHECK(folded.find(name + "/unix/type = \n    unix\n") != std::string::npos);
  std::string short_name(50, 's');
  CHECK(Fields(short_name + " unix - - - - - cmd\n").find(short_name + "/unix/type = unix\n") != std::string::npos);
}

TEST_CASE("postconf -P: sorted, whitespace-normalised, read-only names dropped") {
  CHECK(Params("{my   svc} unix - n n - - pipe -o z=1 -o {b = x   y} -o process_name=p\n") ==
        "{my svc}/unix/b = x y\n{my svc}/unix/z = 1\n");
  CHECK(Params("s unix - n n - - c -o {a = x\vy}\n") == "s/unix/a = x\vy\n");
  CHECK(Params("s unix - n n - - c -o {smtpd_banner = cost 5$}\n") == "FATAL: macro processing error");
  CHECK(Params("s unix - n n - - c -o {foo_bar = cost 5$}\n") == "s/unix/foo_bar = cost 5$\n");
}

TEST_CASE("string primitives") {
  std::string_view text = "a {b c}d  }e{ {f";
  std::vector<TextSpan> words = SplitGroupedWords(text);
  REQUIRE(words.size() == 3);
  CHECK(words[1].In(text) == "{b c}d");
  CHECK(words[2].In(text) == "}e{ {f");  // '{' opens a group that never closes
  size_t pos = 0;
  std::vector<std::string_view> plain;
  while (auto w = NextPlainWord("x{a b}\ty", &pos)) plain.push_back(w->In("x{a b}\ty"));
  CHECK(plain == std::vector<std::string_view>{"x{a", "b}", "y"});

  std::string_view braced = "{ a = b }x";
  Extracted ex = ExtractBraces(braced, TextSpan{0, braced.size()});
  CHECK(ex.inner.In(braced) == "a = b");
  CHECK(ex.error == "syntax error after '}' in \"{ a = b }x\"");
  std::string_view open = "{ {a} b ";
  ex = ExtractBraces(open, TextSpan{0, open.size()});
  CHECK(ex.inner.In(open) == "{a} b");
  CHECK(ex.error == "missing '}' in \"{ {a} b \"");

  std::string_view nv_text = " name =  v a l \t";
  NameValueSpans nv = SplitNameValue(nv_text, TextSpan{0, nv_text.size()});
  REQUIRE(nv.error == nullptr);
  CHECK(nv.name.In(nv_text) == "name");
  CHECK(nv.value.In(nv_text) == "v a l");
  std::string_view no_eq = "a b=c";
  CHECK(std::string_view(SplitNameValue(no_eq, TextSpan{0, no_eq.size()}).error) ==
        "missing '=' after attribute name");

  PostconfArgs pc = NormalizePostconfArgs({"-vo", "x=y", "-oo{a}", "z"});
  std::vector<std::string> texts;
  for (const PostconfArg& a : pc.args) texts.push_back(a.text);
  CHECK(texts == std::vector<std::string>{"-v", "-o", "x=y", "-o", "-o{a}", "z"});
  CHECK(MasterFieldName(MasterField::kProcessLimit) == "process_limit");
  CHECK(MasterFieldDaemonName(MasterField::kProcessLimit) == "max_proc");
  CHECK(SanitizeForMessage("caf\xc3\xa9\t!") == "caf\?\?\?!");
}

// The grammar's field/argument nodes split words exactly where the model
// (postconf's argv_splitq over the joined text) does.
void CheckTreeAgreesWithModel(const Parsed& p) {
  size_t s = 0;
  for (uint32_t c : p.cst.Children(p.cst.root())) {
    if (p.cst.node(c).kind != NodeKind::kService) continue;
    REQUIRE(s < p.cf.services.size());
    const MasterService& svc = p.cf.services[s++];
    REQUIRE(svc.begin == p.cst.node(c).begin);
    std::vector<std::string> words;
    for (uint32_t w : p.cst.Children(c)) {
      NodeKind k = p.cst.node(w).kind;
      if (k == NodeKind::kField || k == NodeKind::kArgument) words.push_back(p.cst.Text(w));
    }
    std::vector<std::string> model;
    for (const MasterWord& w : svc.fields) model.push_back(w.text);
    for (const MasterWord& w : svc.args) model.push_back(w.text);
    CHECK(words == model);
  }
  CHECK(s == p.cf.services.size());
}

TEST_CASE("the tree's words agree with the model") {
  for (const char* text : {"smtp inet n - y - - smtpd\n\v-o a=b\n",
                           "smtp inet n - y - - smtpd \n\f-o\n\v a=b\n",
                           "smtp\n\vinet n - y - - smtpd x y z w\n",
                           "smtp inet n - y - - smtpd -o {a\n  \vb}\n",
                           "a b c d e f g h\n# c\n\n\vx {y\n z} w\n"}) {
    INFO(text);
    CheckTreeAgreesWithModel(Parsed(text));
  }
}

TEST_CASE("corpus master.cf files build without postconf-fatal problems", "[shared]") {
  if (!testing::CorpusPresent()) return;
  // Every file in corpus/master.cf is accepted by postconf (ORACLE.tsv, mode M).
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(testing::CorpusDir() + "/master.cf")) {
    Result<Source> source = ReadSource(entry.path().string(), entry.path().filename().string());
    REQUIRE(source.ok());
    Cst cst = ParseMasterCf(*source);
    MasterCf cf = BuildMasterCf(cst);
    INFO(entry.path().filename().string());
    CheckTreeAgreesWithModel(Parsed(std::string(source->text())));
    PostconfOutput out = RunPostconfListing(cf, PostconfListing::kFields);
    CHECK_FALSE(out.fatal);
    CHECK(!out.out.empty());
    ++files;
  }
  CHECK(files >= 20);
}

}  // namespace
}  // namespace postvet
