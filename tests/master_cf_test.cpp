// The master.cf model: every -o spelling with its byte ranges, logical
// lines (NUL, CRLF, continuations), inet service names, the helpers for
// process limits and stress, the postconf -F/-P printer on small inputs, the
// string primitives, and agreement with the grammar's tree. The spec cases
// 32-46 are in master_cf_spec_test.cpp; the oracle test
// (master_oracle_test.py) checks the printer against postconf itself.
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
