// MainCf model and postconf's known names: format spec section 11 cases
// 1-20 (main.cf reading) plus the registration rules of section 2.3.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "grammar/cst_builder.hpp"
#include "src/model/defaults.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/param_context.hpp"
#include "src/model/postfix_strings.hpp"

using namespace postvet;

namespace {

// Keeps the Source and Cst alive for the views the model holds.
struct Parsed {
  std::unique_ptr<Source> src;
  std::unique_ptr<Cst> cst;
  MainCf m;
};

Parsed Parse(std::string bytes) {
  Parsed p;
  p.src = std::make_unique<Source>("main.cf", "main.cf", std::move(bytes));
  p.cst = std::make_unique<Cst>(ParseMainCf(*p.src));
  p.m = MainCf::Build(*p.cst);
  return p;
}

std::string Value(const Parsed& p, std::string_view name) {
  std::optional<std::string_view> v = p.m.Value(name);
  REQUIRE(v.has_value());
  return std::string(*v);
}

}  // namespace

TEST_CASE("cases 1, 2, 19: no inline comments, dropped lines, literal backslash") {
  CHECK(Value(Parse("myhostname = host.example # trailing\n"), "myhostname") == "host.example # trailing");
  Parsed p = Parse("   # indented\nmyhostname = a\n\t# tab comment\n");
  CHECK(p.m.definitions().size() == 1);
  CHECK(Value(p, "myhostname") == "a");
  Parsed b = Parse("smtpd_banner = a \\\nmyhostname = h\n");
  CHECK(Value(b, "smtpd_banner") == "a \\");
  CHECK(Value(b, "myhostname") == "h");
}

TEST_CASE("cases 3, 5: leading whitespace is a warning, not fatal") {
  Parsed p = Parse("  myhostname = a\nmydomain = b\n");
  REQUIRE(p.m.bad_lines().size() == 1);
  const MainCfBadLine& b = p.m.bad_lines()[0];
  CHECK(b.kind == MainCfBadLine::Kind::kLeadingWhitespace);
  CHECK_FALSE(b.fatal());
  CHECK(b.reason == "logical line must not start with whitespace: \"  myhostname = a\"");
  CHECK(p.m.FirstFatal() == nullptr);
  CHECK(Value(p, "mydomain") == "b");
  CHECK_FALSE(p.m.Value("myhostname"));
  Parsed long_line = Parse("  0123456789012345678901234567890123456789 = x\n");
  CHECK(long_line.m.bad_lines()[0].reason ==
        "logical line must not start with whitespace: \"  0123456789012345678901234567...\"");
  CHECK(Parse(" = a\n").m.FirstFatal() == nullptr);
}

TEST_CASE("cases 4, 5, 12: fatal lines with Postfix's reason") {
  Parsed p = Parse("mydomain = x\nmyhostname a\n");
  const MainCfBadLine* f = p.m.FirstFatal();
  REQUIRE(f != nullptr);
  CHECK(f->line == 2);
  CHECK(f->reason == "missing '=' after attribute name: \"myhostname a\"");
  CHECK(f->begin == 13);
  Parsed pg = Parse("= a\n");
  const MainCfBadLine* g = pg.m.FirstFatal();
  REQUIRE(g != nullptr);
  CHECK(g->kind == MainCfBadLine::Kind::kMissingName);
  CHECK(g->reason == "missing attribute name: \"= a\"");
  Parsed ph = Parse(std::string("\0myhostname = ab\n", 17));
  const MainCfBadLine* h = ph.m.FirstFatal();
  REQUIRE(h != nullptr);
  CHECK(h->reason == "missing attribute name: \"\"");
  // The joined text is quoted, as Postfix shows it.
  Parsed pj = Parse("x = 1\n\n\n\nmyhostname\n  foo\n");
  const MainCfBadLine* j = pj.m.FirstFatal();
  REQUIRE(j != nullptr);
  CHECK(j->line == 5);
  CHECK(j->reason == "missing '=' after attribute name: \"myhostname  foo\"");
}

TEST_CASE("cases 6, 7: last definition wins; override only warned when values differ") {
  Parsed p = Parse("myhostname = a\nmyhostname = b\nmyhostname = b\nmyhostname = a\n");
  CHECK(Value(p, "myhostname") == "a");
  REQUIRE(p.m.overrides().size() == 3);
  CHECK(p.m.overrides()[0].value_differs);
  CHECK_FALSE(p.m.overrides()[1].value_differs);
  CHECK(p.m.overrides()[2].value_differs);
  CHECK(p.m.definitions()[p.m.overrides()[0].later].line == 2);
  CHECK(p.m.definitions()[p.m.overrides()[0].earlier].value == "a");
  CHECK(p.m.Find("myhostname")->line == 4);
  CHECK(p.m.EffectiveInOrder().size() == 1);
}

TEST_CASE("cases 8, 9, 10: CR handling") {
  Parsed p = Parse("myhostname = a\r\nmydomain = b \r\n");
  CHECK(Value(p, "myhostname") == "a");
  CHECK(Value(p, "mydomain") == "b");
  Parsed cr = Parse("myhostname = a\rmydomain = b\r");
  CHECK(cr.m.definitions().size() == 1);
  CHECK(Value(cr, "myhostname") == "a\rmydomain = b");
  CHECK(NormalizeSpace(Value(cr, "myhostname")) == "a mydomain = b");
  Parsed banner = Parse("smtpd_banner = a\r\n  b\r\n");
  CHECK(Value(banner, "smtpd_banner") == "a\r  b");
  CHECK(NormalizeSpace(Value(banner, "smtpd_banner")) == "a b");
}

TEST_CASE("cases 11, 13, 14, 15, 20: NUL, bytes, size, VT/FF, BOM") {
  CHECK(Value(Parse(std::string("myhostname = ab\0cd\n", 20)), "myhostname") == "ab");
  CHECK(Value(Parse(std::string("myhostname = ab \0cd\n", 21)), "myhostname") == "ab");
  Parsed u = Parse("caf\xe9 = x\n");
  CHECK(Printable(u.m.definitions()[0].name) == "caf?");
  std::string big(200000, 'v');
  CHECK(Value(Parse("smtpd_banner = " + big + "\n"), "smtpd_banner") == big);
  Parsed vf = Parse("myhostname = a\n\fb\n\vc\n");
  CHECK(Value(vf, "myhostname") == "a\fb\vc");
  CHECK(NormalizeSpace("a\fb\vc") == "a\fb\vc");
  Parsed bom = Parse("\xEF\xBB\xBFmyhostname = h\n");
  CHECK(bom.m.definitions()[0].name == "\xEF\xBB\xBFmyhostname");
}

TEST_CASE("cases 16, 17, 18: names, '=' on the next line, comments in continuations") {
  Parsed p = Parse("foo_bar = 1\nMyHostname = x\nfoo-bar.baz = 2\n");
  CHECK(p.m.definitions().size() == 3);
  const Defaults& d = Defaults::Postfix37();
  for (const MainCfDefinition& def : p.m.definitions()) CHECK_FALSE(d.IsBuiltin(def.name));
  CHECK(Value(Parse("myhostname\n  = foo\n"), "myhostname") == "foo");
  CHECK(Value(Parse("smtpd_banner = a\n  #b\n  c\n"), "smtpd_banner") == "a  c");
  CHECK(Value(Parse("a=b=c\n"), "a") == "b=c");
  CHECK(Value(Parse("relayhost =\n"), "relayhost").empty());
}

TEST_CASE("byte ranges point at name and value") {
  Parsed p = Parse("x = 1\nmyhostname  =  h.example  \n");
  const MainCfDefinition* d = p.m.Find("myhostname");
  REQUIRE(d != nullptr);
  CHECK(p.src->Slice(d->name_begin, d->name_end) == "myhostname");
  CHECK(p.src->Slice(d->value_begin, d->value_end) == "h.example");
}

TEST_CASE("defaults table") {
  const Defaults& d = Defaults::Postfix37();
  CHECK(d.entries().size() > 800);
  CHECK(d.Default("smtpd_timeout") == std::optional<std::string_view>("${stress?{10}:{300}}s"));
  CHECK(d.IsRaw("mailbox_command"));
  CHECK(d.IsReadOnly("process_id"));
  CHECK(d.IsLegacy("virtual_maps"));
  CHECK_FALSE(d.IsBuiltin("relay_destination_concurrency_limit"));  // service-derived
  CHECK_FALSE(d.IsBuiltin("MyHostname"));
}

TEST_CASE("known names: references, classes, services, dbms, read-only") {
  Parsed p = Parse(
      "foo = $bar\nbar = 1\nsmtpd_restriction_classes = my_class, $foo\nmy_class = permit\n"
      "virtual_alias_maps = ldap:myldap\nmyldap_server_host = x\nmyldap_bogus = y\n"
      "relay_time_limit = 5\nmaildrop_time_limit = 3\nprocess_name = z\nbaz = ${nosuch}\n");
  Source msrc("master.cf", "master.cf",
              "relay unix - - n - - smtp\nmaildrop unix - n n - - pipe flags=DRXhu\n"
              "submission inet n - n - - smtpd -o smtpd_client_restrictions=$mua_x\n");
  Cst mcst = ParseMasterCf(msrc);
  std::vector<MasterServiceInfo> services = ReadMasterServices(mcst);
  REQUIRE(services.size() == 3);
  CHECK(services[2].overrides.size() == 1);
  const Defaults& d = Defaults::Postfix37();
  ServiceParams sp = DeriveServiceParams(services, d);
  CHECK(sp.count("relay_destination_concurrency_limit") == 1);
  CHECK(sp.count("maildrop_time_limit") == 1);
  CHECK(sp.count("relay_time_limit") == 0);  // smtp has no _time_limit
  ParamContext ctx(p.m, d);
  ctx.SetServiceParams(&sp);
  KnownNames k = ComputeKnownNames(p.m, d, services, sp, ctx);
  REQUIRE_FALSE(k.fatal);
  CHECK(k.IsKnown("bar", d, sp));
  CHECK(k.IsKnown("foo", d, sp));  // $foo in smtpd_restriction_classes
  CHECK_FALSE(k.IsKnown("baz", d, sp));
  CHECK(k.IsKnown("my_class", d, sp));
  CHECK(k.IsKnown("myldap_server_host", d, sp));
  CHECK_FALSE(k.IsKnown("myldap_bogus", d, sp));
  CHECK(k.IsKnown("maildrop_time_limit", d, sp));
  CHECK_FALSE(k.IsKnown("relay_time_limit", d, sp));
  CHECK(k.hidden == std::vector<std::string>{"process_name"});
  // postconf 3.7: the class list is evaluated ("my_class, 1"), so "1" is an
  // undefined class; $mua_x is reported for master.cf, not main.cf.
  std::vector<std::string> undefined;
  for (const PostconfWarning& w : k.warnings) {
    if (w.kind == PostconfWarning::Kind::kUndefined) undefined.push_back(w.text);
  }
  CHECK(undefined == std::vector<std::string>{"1", "nosuch"});
}

TEST_CASE("master.cf -o normalisation follows postconf, greedy split included") {
  Source msrc("master.cf", "master.cf",
              "smtp inet n - y - - smtpd -omyhostname=foo\n"
              "a unix - - n - - smtpd -o { smtpd_banner  =  hi  there }\n");
  Cst mcst = ParseMasterCf(msrc);
  std::vector<MasterServiceInfo> s = ReadMasterServices(mcst);
  REQUIRE(s.size() == 2);
  REQUIRE(s[0].overrides.size() == 1);
  CHECK(s[0].overrides[0].first == "stname");
  CHECK(s[0].overrides[0].second == "f");
  REQUIRE(s[1].overrides.size() == 1);
  CHECK(s[1].overrides[0].second == "hi  there");
}

TEST_CASE("known names: every reference to an undefined name warns, repeated ones too") {
  // The main.cf-scope flags are remembered only for names whose flagging
  // changes nothing more (set in main.cf, or built in); an undefined name
  // warns at each reference, in order.
  Parsed p = Parse(
      "a = $undef1 $undef1 ${undef1}\nb = $undef1 $set1 $set1 $(undef2)\nset1 = v\n"
      "c = $myhostname $myhostname\nd = ${set1} $undef2\n");
  const Defaults& d = Defaults::Postfix37();
  std::vector<MasterServiceInfo> services;
  ServiceParams sp = DeriveServiceParams(services, d);
  ParamContext ctx(p.m, d);
  ctx.SetServiceParams(&sp);
  KnownNames k = ComputeKnownNames(p.m, d, services, sp, ctx);
  REQUIRE_FALSE(k.fatal);
  std::vector<std::string> undefined;
  for (const PostconfWarning& w : k.warnings) {
    if (w.kind == PostconfWarning::Kind::kUndefined) undefined.push_back(w.text);
  }
  CHECK(undefined == std::vector<std::string>{"undef1", "undef1", "undef1", "undef1", "undef2", "undef2"});
  CHECK(k.IsKnown("set1", d, sp));
  CHECK_FALSE(k.IsKnown("a", d, sp));
  CHECK_FALSE(k.IsKnown("undef1", d, sp));
}
