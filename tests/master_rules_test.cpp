// Tests of the PV4xx master.cf rules and their helpers: the intended form of
// `-o` options (option_text.hpp), service endpoints (endpoint.hpp), name
// suggestions, and each rule run through the engine on an in-memory config
// directory, fixes included.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/registry.hpp"
#include "src/facts/master/endpoint.hpp"
#include "src/facts/master/option_names.hpp"
#include "src/fix/option_text.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"
#include "tests/message_shape.hpp"

namespace postvet {
namespace {

constexpr const char* kQmgr = "qmgr      unix  n       -       n       300     1       qmgr\n";

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;
};

Linted LintConfig(const std::string& master, const std::string& main, const std::string& rule,
                  ProjectConfig config = ProjectConfig{}) {
  Linted out;
  out.ctx = std::make_unique<LintContext>("d", config);
  if (!main.empty()) out.ctx->AddFile(Source("d/main.cf", "d/main.cf", main), FileKind::kMainCf);
  out.ctx->AddFile(Source("d/master.cf", "d/master.cf", master), FileKind::kMasterCf);
  RuleFilter filter(config, {rule}, {});
  out.diagnostics = Lint(*out.ctx, filter);
  for (const Diagnostic& d : out.diagnostics) CheckMessageShape(d);
  return out;
}

size_t Count(const Linted& l) { return l.diagnostics.size(); }

std::string AllMessages(const Linted& l) {
  std::string out;
  for (const Diagnostic& d : l.diagnostics) out += d.message + "\n";
  return out;
}

// The detail notes (no place) of every finding, one per line.
std::string AllDetails(const Linted& l) {
  std::string out;
  for (const Diagnostic& d : l.diagnostics) {
    for (const Note& n : d.notes) {
      if (n.location.source == nullptr) out += n.message + "\n";
    }
  }
  return out;
}

size_t LocatedNotes(const Diagnostic& d) {
  size_t n = 0;
  for (const Note& note : d.notes) n += note.location.source != nullptr ? 1 : 0;
  return n;
}

// master.cf after applying the fixes of `rule` until nothing changes, as
// `postvet check --fix` does.
std::string FixedMaster(std::string master, const std::string& main, const std::string& rule) {
  for (int pass = 0; pass < 5; ++pass) {
    Linted l = LintConfig(master, main, rule);
    std::vector<FileFix> fixes = PlanFixes(l.diagnostics, FixPolicy{});
    bool changed = false;
    for (const FileFix& f : fixes) {
      if (f.source->display() != "d/master.cf" || f.edits.empty()) continue;
      master = ApplyEdits(f.source->text(), f.edits);
      changed = true;
    }
    if (!changed) break;
  }
  return master;
}

MasterService OneService(const std::string& text, std::unique_ptr<Source>* keep, std::unique_ptr<Cst>* cst) {
  *keep = std::make_unique<Source>("m", "m", text);
  *cst = std::make_unique<Cst>(ParseMasterCf(**keep));
  MasterCf cf = BuildMasterCf(**cst);
  REQUIRE(cf.services.size() == 1);
  return cf.services[0];
}

TEST_CASE("CanonicalOption spells -o as Postfix reads it") {
  using master_rules::CanonicalOption;
  CHECK(CanonicalOption("syslog_name", "postfix/x") == "-o syslog_name=postfix/x");
  CHECK(CanonicalOption("content_filter", "") == "-o content_filter=");
  CHECK(CanonicalOption("a", "b, c") == "-o { a = b, c }");
  CHECK(CanonicalOption("a", "x{y z}") == "-o { a = x{y z} }");
  CHECK_FALSE(CanonicalOption("a", "b} c").has_value());
  CHECK_FALSE(CanonicalOption("a", "{b c").has_value());
  CHECK_FALSE(CanonicalOption("", "b").has_value());
  CHECK_FALSE(CanonicalOption("a b", "c").has_value());
}

TEST_CASE("IntendOption finds spaced and split values") {
  std::unique_ptr<Source> src;
  std::unique_ptr<Cst> cst;
  auto intend = [&](const std::string& args, size_t index = 0) {
    MasterService s = OneService("s inet n - n - - smtpd " + args + "\n", &src, &cst);
    static MasterService keep;
    keep = s;
    return master_rules::IntendOption(*src, keep, index);
  };
  auto a = intend("-o a = b");
  REQUIRE(a);
  CHECK(a->spaced);
  CHECK(a->stray_words == 0);
  CHECK(a->rewrite == "-o a=b");

  auto b = intend("-o a= b c");
  REQUIRE(b);
  CHECK(b->spaced);
  CHECK(b->stray_words == 1);
  CHECK(b->rewrite == "-o { a = b c }");

  auto c = intend("-o a=b, c -o d=e");
  REQUIRE(c);
  CHECK_FALSE(c->spaced);
  CHECK(c->stray_words == 1);
  CHECK(c->rewrite == "-o { a = b, c }");

  auto d = intend("-o a =b");
  REQUIRE(d);
  CHECK(d->spaced);
  CHECK(d->rewrite == "-o a=b");

  // Braced, no '=' at all, or other letters in the word: left alone or not rewritten.
  CHECK_FALSE(intend("-o { a = b c }"));
  CHECK_FALSE(intend("-o a"));
  auto e = intend("-vo a=b c");
  REQUIRE(e);
  CHECK(e->stray_words == 1);
  CHECK_FALSE(e->rewrite);
}

TEST_CASE("IntendOption leaves pipe's own arguments alone") {
  std::unique_ptr<Source> src;
  std::unique_ptr<Cst> cst;
  MasterService s =
      OneService("p unix - n n - - pipe -o a= flags=R user=x argv=/bin/cat ${recipient}\n", &src, &cst);
  auto i = master_rules::IntendOption(*src, s, 0);
  REQUIRE(i);
  CHECK_FALSE(i->spaced);
  CHECK(i->stray_words == 0);
}

TEST_CASE("DeleteOptionEdit removes an option with the blanks that set it off") {
  Source src("m", "m", "a b -o x=y -o z=w\n  -o s=t\n  -o u=v -o q=r\n");
  auto apply = [&](uint32_t b, uint32_t e) {
    Edit edit = master_rules::DeleteOptionEdit(src, b, e);
    return ApplyEdits(src.text(), {edit});
  };
  std::string_view t = src.text();
  uint32_t xy = static_cast<uint32_t>(t.find("-o x=y"));
  CHECK(apply(xy, xy + 6) == "a b -o z=w\n  -o s=t\n  -o u=v -o q=r\n");
  uint32_t st = static_cast<uint32_t>(t.find("-o s=t"));
  CHECK(apply(st, st + 6) == "a b -o x=y -o z=w\n  -o u=v -o q=r\n");
  uint32_t uv = static_cast<uint32_t>(t.find("-o u=v"));
  CHECK(apply(uv, uv + 6) == "a b -o x=y -o z=w\n  -o s=t\n  -o q=r\n");
}

TEST_CASE("Endpoints as master(8) identifies services") {
  std::unique_ptr<Source> src;
  std::unique_ptr<Cst> cst;
  auto key = [&](const std::string& line) {
    MasterService s = OneService(line + "\n", &src, &cst);
    return master_rules::ServiceEndpoint(s)->Key();
  };
  CHECK(key("smtp inet n - n - - smtpd") == key("25 inet n - n - - smtpd"));
  CHECK(key("smtp inet n - n - - smtpd") == "inet 25");
  CHECK(key("127.0.0.1:smtp inet n - n - - smtpd") == "inet [127.0.0.1]:25");
  CHECK(key("[::1]:25 inet n - n - - smtpd") == key("[ipv6:0:0::1]:025 inet n - n - - smtpd"));
  CHECK(key("foo unix - - n - - pipe") == "unix private/foo");
  CHECK(key("foo unix y - n - - pipe") == key("foo unix - - n - - pipe"));
  CHECK(key("foo unix n - n - - pipe") == "unix public/foo");
  CHECK(key("foo unix-dgram - - n - - pipe") != key("foo unix - - n - - pipe"));
}

TEST_CASE("PV401 forced-stress") {
  std::string master = std::string("smtp inet n - y - - smtpd\n  -o stress=yes\n  -o syslog_name=x\n") +
                       "sub inet n - y - - smtpd -o stress=no -o a=b\n"
                       "loc unix - - n - - smtpd -o stress= \n" + kQmgr;
  Linted l = LintConfig(master, "", "PV401");
  REQUIRE(Count(l) == 2);  // `stress=` (empty) is not forced
  CHECK(AllMessages(l) == "service smtp/inet is forced into stress mode for good by `stress=yes`\n"
                          "service sub/inet is forced into stress mode for good by `stress=no`\n");
  CHECK(AllDetails(l).find("even \"no\"") != std::string::npos);
  CHECK(FixedMaster(master, "", "PV401") ==
        std::string("smtp inet n - y - - smtpd\n  -o syslog_name=x\n") + "sub inet n - y - - smtpd -o a=b\n" +
            "loc unix - - n - - smtpd -o stress= \n" + kQmgr);
  // Every stress option of the service goes, the overridden one too.
  std::string two = std::string("smtp inet n - y - - smtpd -o stress= -o stress=yes\n") + kQmgr;
  CHECK(FixedMaster(two, "", "PV401") == std::string("smtp inet n - y - - smtpd\n") + kQmgr);
  // Braced and attached spellings go too; a combined `-vo` word stays (no fix).
  CHECK(FixedMaster("s inet n - y - - smtpd -o { stress = yes } -ostress=yes -o a=b\n", "", "PV401") ==
        "s inet n - y - - smtpd -o a=b\n");
  Linted combined = LintConfig("s inet n - y - - smtpd -vo stress=yes\n", "", "PV401");
  REQUIRE(Count(combined) == 1);
  CHECK_FALSE(combined.diagnostics[0].fix.has_value());
}

TEST_CASE("PV402 stress-disabled only where the master gives -o stress") {
  auto count = [](const std::string& service, const std::string& main = "") {
    return Count(LintConfig(service + "  -o stress=\n" + kQmgr, main, "PV402"));
  };
  CHECK(count("smtp inet n - y - - smtpd\n") == 1);
  CHECK(count("smtpd pass - - y - 30 smtpd\n") == 1);
  CHECK(count("smtp inet n - y - 1 smtpd\n") == 0);                // maxproc 1
  CHECK(count("smtp inet n - y - 0 smtpd\n") == 0);                // unlimited: never stressed
  CHECK(count("smtp inet n - y - - smtpd\n", "default_process_limit = 1\n") == 0);
  CHECK(count("127.0.0.1:10025 inet n - n - 10 smtpd\n") == 0);    // loopback only
  CHECK(count("smtp inet n - y - - smtpd\n", "inet_interfaces = loopback-only\n") == 0);
  CHECK(count("smtpd unix - - y - - smtpd\n") == 0);
  CHECK(count("smtp inet n - y - - smtp\n") == 0);                 // not smtpd
}

TEST_CASE("PV403 unindented-option") {
  std::string master = std::string("sub inet n - y - - smtpd\n  -o a=b\n# comment\n-o c=d\n-o e=f\n") + kQmgr;
  Linted l = LintConfig(master, "", "PV403");
  REQUIRE(Count(l) == 2);
  CHECK(FixedMaster(master, "", "PV403") ==
        std::string("sub inet n - y - - smtpd\n  -o a=b\n# comment\n  -o c=d\n  -o e=f\n") + kQmgr);

  // Tab indentation is reused.
  CHECK(FixedMaster("sub inet n - y - - smtpd\n\t-o a=b\n-o c=d\n", "", "PV403") ==
        "sub inet n - y - - smtpd\n\t-o a=b\n\t-o c=d\n");
  // Eight words or more: the model reads an entry whose "service" is -o.
  CHECK(Count(LintConfig("sub inet n - y - - smtpd\n-o a=b -o c=d -o e=f -o g=h\n", "", "PV403")) == 1);
  // Nothing to join to: reported, not fixed.
  Linted first = LintConfig("-o a=b\nsub inet n - y - - smtpd\n", "", "PV403");
  REQUIRE(Count(first) == 1);
  CHECK_FALSE(first.diagnostics[0].fix.has_value());
  // After plain arguments, an -o would be an argument too: not fixed.
  Linted after = LintConfig("p unix - n n - - pipe argv=/bin/cat\n-o a=b\n", "", "PV403");
  REQUIRE(Count(after) == 1);
  CHECK_FALSE(after.diagnostics[0].fix.has_value());
  // pipe attribute lines count; after smtpd they do not.
  CHECK(Count(LintConfig("p unix - n n - - pipe\n  flags=R\nuser=x argv=/bin/cat\n", "", "PV403")) == 1);
  CHECK(Count(LintConfig("s unix - n n - - smtpd\nuser=x argv=/bin/cat\n", "", "PV403")) == 0);
}

TEST_CASE("PV404 and PV405 rewrite the same option the same way") {
  std::string master = std::string("sub inet n - y - - smtpd\n  -o a = b, c\n  -o d=e\n") + kQmgr;
  Linted spaced = LintConfig(master, "", "PV404");
  Linted split = LintConfig(master, "", "PV405");
  REQUIRE(Count(spaced) == 1);
  REQUIRE(Count(split) == 1);
  REQUIRE(spaced.diagnostics[0].fix);
  REQUIRE(split.diagnostics[0].fix);
  const Edit& e1 = spaced.diagnostics[0].fix->edits.at(0);
  const Edit& e2 = split.diagnostics[0].fix->edits.at(0);
  CHECK(e1.begin == e2.begin);
  CHECK(e1.end == e2.end);
  CHECK(e1.text == "-o { a = b, c }");
  CHECK(FixedMaster(master, "", "PV4") == std::string("sub inet n - y - - smtpd\n  -o { a = b, c }\n  -o d=e\n") + kQmgr);
}

TEST_CASE("PV404 spaced-option forms") {
  auto fixed = [](const std::string& opts) {
    return FixedMaster("sub inet n - y - - smtpd\n  " + opts + "\n", "", "PV404");
  };
  CHECK(fixed("-o a = b") == "sub inet n - y - - smtpd\n  -o a=b\n");
  CHECK(fixed("-o a =b") == "sub inet n - y - - smtpd\n  -o a=b\n");
  CHECK(fixed("-o a= b") == "sub inet n - y - - smtpd\n  -o a=b\n");
  CHECK(fixed("-o a =\n  -o b=c") == "sub inet n - y - - smtpd\n  -o a=\n  -o b=c\n");
  // Later options are seen once the first spaced one is fixed.
  CHECK(fixed("-o a= b -o c = d") == "sub inet n - y - - smtpd\n  -o a=b -o c=d\n");
  // Already fine, or braced.
  CHECK(Count(LintConfig("s inet n - y - - smtpd -o a=b -o { c = d e }\n", "", "PV404")) == 0);
  // pipe's attribute after an empty option is its own argument.
  CHECK(Count(LintConfig("p unix - n n - - pipe -o a= user=x argv=/bin/cat\n", "", "PV404")) == 0);
}

TEST_CASE("PV405 split-option-value keeps the value's bytes") {
  // The value goes on on the next line: the join stays inside the braces.
  std::string master = "sub inet n - y - - smtpd\n  -o a=b,\n    c\n  -o d=e\n";
  CHECK(FixedMaster(master, "", "PV405") == "sub inet n - y - - smtpd\n  -o { a = b,\n    c }\n  -o d=e\n");
  // smtp ignores stray arguments; the message says so.
  Linted l = LintConfig("r unix - - n - - smtp -o smtp_helo_name=a b\n", "", "PV405");
  REQUIRE(Count(l) == 1);
  CHECK(AllMessages(l) == "the value of `-o smtp_helo_name` in service r/unix ends at the first blank\n");
  CHECK(AllDetails(l).find("silently ignores") != std::string::npos);
  // No rewrite with unbalanced braces.
  Linted u = LintConfig("s inet n - y - - smtpd -o a=b} c\n", "", "PV405");
  REQUIRE(Count(u) == 1);
  CHECK_FALSE(u.diagnostics[0].fix.has_value());
}

TEST_CASE("PV406 unknown-option-parameter") {
  std::string master = std::string("sub inet n - y - - smtpd\n") +
                       "  -o smtpd_clinet_restrictions=permit\n"
                       "  -o mine=1 -o smtpd_banner=$mine\n"
                       "  -o process_name=x\n"
                       "relay unix - - n - - smtp -o relay_destination_concurrency_limit=2\n";
  Linted l = LintConfig(master, "", "PV406");
  std::string all = AllDetails(l);
  REQUIRE(Count(l) == 2);
  CHECK(AllMessages(l) == "`-o smtpd_clinet_restrictions` in service sub/inet names no Postfix parameter\n"
                          "`-o process_name` in service sub/inet sets a read-only parameter\n");
  CHECK(all.find("did you mean smtpd_client_restrictions?") != std::string::npos);
  CHECK(all.find("read-only parameter assignment") != std::string::npos);

  // A name the target version does not have yet.
  ProjectConfig old;
  old.postfix_version = "3.3";
  Linted v = LintConfig("s inet n - y - - smtpd -o smtpd_relay_before_recipient_restrictions=yes\n", "", "PV406", old);
  REQUIRE(Count(v) == 1);
  CHECK(AllMessages(v).find("needs Postfix ≥ 3.6 (the target is Postfix 3.3)") != std::string::npos);
  CHECK(AllDetails(v).find("postconf warns \"unused parameter") != std::string::npos);
  CHECK(Count(LintConfig("s inet n - y - - smtpd -o smtpd_relay_before_recipient_restrictions=yes\n", "", "PV406")) == 0);
}

TEST_CASE("PV407 duplicate-service") {
  Linted l = LintConfig("smtp inet n - y - - smtpd\n25 inet n - y - 1 postscreen\nsmtp unix - - y - - smtp\n", "",
                        "PV407");
  REQUIRE(Count(l) == 1);
  CHECK(l.diagnostics[0].location.begin == 0);  // the earlier entry is the dead one
  CHECK(LocatedNotes(l.diagnostics[0]) == 1);
  CHECK(AllMessages(l) == "service smtp/inet is defined again on line 2 (`smtp` and `25` are the same endpoint, 25)\n");
  CHECK(AllDetails(l).find("master(8) warns 'duplicate master.cf entry for service") == 0);
  CHECK(Count(LintConfig("foo unix - n n - - pipe\nfoo unix n n n - - pipe\n", "", "PV407")) == 0);
  CHECK(Count(LintConfig("a unix - n n - - pipe\na unix - n n - - pipe\na unix y n n - - pipe\n", "", "PV407")) == 2);
}

TEST_CASE("PV408 bad-service-field") {
  auto count = [](const std::string& master, const std::string& main = "") {
    return Count(LintConfig(master, main, "PV408"));
  };
  CHECK(count("qmgr unix n - n 300 - qmgr\n") == 1);
  CHECK(count("qmgr unix n - n 300 - qmgr\n", "default_process_limit = 1\n") == 0);
  CHECK(count("dnsblog unix - - y - - dnsblog\n") == 1);
  CHECK(count("dnsblog unix - - y - 0 dnsblog\n") == 0);
  CHECK(count("smtp inet n - y - 0 postscreen\n") == 1);
  CHECK(count("pickup unix n - y -? 1 pickup\n") == 1);   // master(8) only
  CHECK(count("pickup unix n - y 60x 1 pickup\n") == 1);  // postconf only
  CHECK(count("smtp INET n - y - - smtpd\n") == 1);       // both: one finding
  CHECK(count("smtp inet - - y - - smtpd\n") == 1);       // inet cannot be private
  CHECK(count("smtp inet n - yes - - smtpd\n") == 1);
  ProjectConfig old;
  old.postfix_version = "3.3";
  CHECK(Count(LintConfig("postlog unix-dgram n - n - 1 postlogd\n", "", "PV408", old)) == 1);
  CHECK(Count(LintConfig("postlog unix-dgram n - n - 1 postlogd\n", "", "PV408")) == 0);
}

TEST_CASE("PV409 postscreen-wiring") {
  const std::string ps = "smtp inet n - y - 1 postscreen\n";
  const std::string pass = "smtpd pass - - y - - smtpd\n";
  const std::string dnsblog = "dnsblog unix - - y - 0 dnsblog\n";
  const std::string tlsproxy = "tlsproxy unix - - y - 0 tlsproxy\n";
  const std::string dnsbl = "postscreen_dnsbl_sites = zen.spamhaus.org\n";
  CHECK(Count(LintConfig(ps + pass, "", "PV409")) == 0);
  CHECK(Count(LintConfig(ps, "", "PV409")) == 1);
  CHECK(Count(LintConfig(ps + "smtpd pass n - y - - smtpd\n", "", "PV409")) == 1);  // public
  CHECK(Count(LintConfig(ps + "smtpd unix - - y - - smtpd\n", "", "PV409")) == 1);  // wrong type
  // The hand-off name is read in postscreen's scope.
  CHECK(Count(LintConfig("smtp inet n - y - 1 postscreen -o smtpd_service_name=front\nfront pass - - y - - smtpd\n",
                         "", "PV409")) == 0);
  CHECK(Count(LintConfig(ps + pass, dnsbl, "PV409")) == 1);
  CHECK(Count(LintConfig(ps + pass + dnsblog, dnsbl, "PV409")) == 0);
  // STARTTLS alone needs no tlsproxy; with a deep protocol test it does.
  const std::string tls = "smtpd_tls_security_level = may\n";
  CHECK(Count(LintConfig(ps + pass, tls, "PV409")) == 0);
  CHECK(Count(LintConfig(ps + pass, tls + "postscreen_pipelining_enable = yes\n", "PV409")) == 1);
  CHECK(Count(LintConfig(ps + pass + tlsproxy, tls + "postscreen_pipelining_enable = yes\n", "PV409")) == 0);
  CHECK(Count(LintConfig(ps + pass, tls + "postscreen_greet_action = enforce\n"
                                          "postscreen_discard_ehlo_keywords = starttls\n", "PV409")) == 0);
  // An smtpd on the same port.
  CHECK(Count(LintConfig(ps + pass + "192.0.2.1:25 inet n - y - - smtpd\n", "", "PV409")) == 1);
  CHECK(Count(LintConfig(ps + pass + "submission inet n - y - - smtpd\n", "", "PV409")) == 0);
}

TEST_CASE("PV410 undefined-transport") {
  const std::string base = std::string("smtp unix - - y - - smtp\nlocal unix - n n - - local\n") + kQmgr;
  CHECK(Count(LintConfig(base, "content_filter = amavis:[127.0.0.1]:10024\n", "PV410")) == 1);
  CHECK(Count(LintConfig(base + "amavis unix - - n - 2 smtp\n", "content_filter = amavis:[127.0.0.1]:10024\n",
                         "PV410")) == 0);
  CHECK(Count(LintConfig(base + "amavis unix n - n - 2 smtp\n", "content_filter = amavis:[127.0.0.1]:10024\n",
                         "PV410")) == 1);  // public: qmgr connects to private/amavis
  CHECK(Count(LintConfig(base, "filter = amavis\ncontent_filter = $filter:[127.0.0.1]:10024\n", "PV410")) == 1);
  CHECK(Count(LintConfig(base, "local_transport = local:$myhostname\n", "PV410")) == 0);
  CHECK(Count(LintConfig(base + "r inet n - n - - smtpd -o content_filter=\n", "", "PV410")) == 0);
  CHECK(Count(LintConfig(base + "r inet n - n - - smtpd -o content_filter=scan:x\n", "", "PV410")) == 1);
}

TEST_CASE("PV411 unlimited-public-service") {
  CHECK(Count(LintConfig("smtp inet n - y - 0 smtpd\n", "", "PV411")) == 1);
  CHECK(Count(LintConfig("smtp inet n - y - 0 smtpd\n", "inet_interfaces = 127.0.0.1\n", "PV411")) == 0);
  CHECK(Count(LintConfig("127.0.0.1:10025 inet n - y - 0 smtpd\n", "", "PV411")) == 0);
  CHECK(Count(LintConfig("smtp inet n - y - 100 smtpd\n", "", "PV411")) == 0);
  CHECK(Count(LintConfig("smtp unix - - y - 0 smtp\n", "", "PV411")) == 0);
}

}  // namespace
}  // namespace postvet
