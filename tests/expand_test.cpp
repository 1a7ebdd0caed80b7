// $-expansion edge cases (format spec section 3, section 11 cases 21-29),
// each checked against what Postfix 3.7 printed.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "grammar/cst_builder.hpp"
#include "src/model/defaults.hpp"
#include "src/model/expand.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/param_context.hpp"

using namespace postvet;

namespace {

MacroOutcome Expand(const std::string& text, const std::map<std::string, std::string>& vars) {
  MacroLookup lookup = [&vars](std::string_view name, bool) -> std::optional<std::string_view> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  return MacroExpand(text, ExpandMode::kRecurse, lookup);
}

bool HasWarning(const MacroOutcome& o, const std::string& text) {
  for (const std::string& w : o.warnings) {
    if (w == text) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("case 21: $ forms, $$ and name boundaries") {
  MacroOutcome o = Expand(
      "[$myhostname] [${myhostname}] [$(myhostname)] [$$myhostname] [$myhostname.x] [$mydomain_x]",
      {{"myhostname", "h.example"}});
  CHECK_FALSE(o.error);
  CHECK(o.undefined);
  CHECK(o.value == "[h.example] [h.example] [h.example] [$myhostname] [h.example.x] []");
}

TEST_CASE("case 22: a $-loop hits the nesting limit") {
  MacroOutcome o = Expand("$smtpd_banner", {{"smtpd_banner", "$mydomain"}, {"mydomain", "$smtpd_banner"}});
  CHECK(o.error);
  CHECK(HasWarning(o, "unreasonable macro call nesting: \"mydomain\""));
}

TEST_CASE("case 23: a lone $ is an empty macro name") {
  MacroOutcome o = Expand("cost 5$", {});
  CHECK(o.error);
  CHECK(o.warnings == std::vector<std::string>{"empty macro name: \"cost 5$\""});
  CHECK(Expand("a ${} b", {}).error);
  CHECK(Expand("a $ b", {}).error);
}

TEST_CASE("case 24: text after the false operand") {
  MacroOutcome o = Expand("${foo?{a}:{b}junk}", {{"foo", "x"}});
  CHECK(o.error);
  CHECK(o.warnings == std::vector<std::string>{"unexpected input at: \"...b}>>>junk\""});
}

TEST_CASE("case 25: unknown relational operator") {
  MacroOutcome o = Expand("${{a} =~ {b} ? {x} : {y}}", {});
  CHECK(o.error);
  CHECK(o.warnings == std::vector<std::string>{
                          "\"==\" or \"!=\"\" or \"<\"\" or \"<=\"\" or \">=\"\" or \">\" expected at: "
                          "\"...a}>>>=~ {b} ? {x} : {y}\""});
}

TEST_CASE("case 26: legacy unbraced operands take the rest literally") {
  MacroOutcome o = Expand("[${foo??bar:{b}az}] [${foo?a:b}] [${nosuch:a?b}]", {{"foo", "x"}});
  CHECK_FALSE(o.error);
  CHECK(o.value == "[?bar:{b}az] [a:b] [a?b]");
  CHECK(Expand("[${foo? bar}]", {{"foo", "x"}}).value == "[ bar]");
  CHECK(Expand("${ foo ?{ T }}", {{"foo", "x"}}).value == " T ");
  CHECK(Expand("${foo?{T}:F}", {{"foo", ""}}).value == "F");
}

TEST_CASE("case 27: relational operators, numeric and string, level suffix") {
  MacroOutcome o = Expand(
      "[${{$foo} == {10} ? {eq} : {ne}}] [${{$foo} != {010}?{ne}:{eq}}] [${{$foo}=={10}}] [${{a}=={b}}] "
      "[${{2} <level {3.6} ? {old} : {new}}]",
      {{"foo", "10"}});
  CHECK_FALSE(o.error);
  CHECK(o.value == "[eq] [eq] [true] [] [old]");
  CHECK(Expand("${{b} > {a}}", {}).value == "true");
  CHECK(Expand("${{3.6.1} >=level {3.6}}", {}).value == "true");
  MacroOutcome bad = Expand("${{foo} <level {3.6}}", {});
  CHECK(bad.error);
  CHECK(bad.warnings == std::vector<std::string>{"malformed compatibility level syntax: \"foo\""});
  MacroOutcome suffix = Expand("${{1} ==lvl {2}}", {});
  CHECK(suffix.error);
  CHECK(suffix.warnings == std::vector<std::string>{"bad operator suffix at: \"...==>>>lvl\""});
}

TEST_CASE("case 28: numeric overflow is fatal") {
  MacroOutcome o = Expand("${{99999999999999999999} == {1}?{a}:{b}}", {});
  CHECK(o.error);
  CHECK(o.fatal);
  CHECK(o.fatal_message == "mac_exp_eval: bad conversion: 99999999999999999999");
}

TEST_CASE("case 29: a 90-deep chain works, 120 fails at p101") {
  std::map<std::string, std::string> vars;
  for (int i = 0; i < 120; ++i) vars["p" + std::to_string(i)] = "$p" + std::to_string(i + 1);
  vars["p120"] = "end";
  MacroOutcome deep = Expand("$p0", vars);
  CHECK(deep.error);
  CHECK(HasWarning(deep, "unreasonable macro call nesting: \"p101\""));
  vars["p90"] = "end";
  MacroOutcome ok = Expand("$p0", vars);
  CHECK_FALSE(ok.error);
  CHECK(ok.value == "end");
}

TEST_CASE("other mac_parse / mac_expand diagnostics") {
  MacroOutcome t = Expand("x ${foo", {});
  CHECK(t.error);
  CHECK(t.warnings == std::vector<std::string>{"truncated macro reference: \"x ${foo\""});
  MacroOutcome n = Expand("${my-hostname}", {});
  CHECK(n.warnings == std::vector<std::string>{"attribute name syntax error at: \"...my>>>-hostname\""});
  MacroOutcome c = Expand("${foo?{a}x:{b}}", {{"foo", "1"}});
  CHECK(c.warnings == std::vector<std::string>{"\":\" expected at: \"...a}>>>x:{b}\""});
  MacroOutcome u = Expand("${foo?{a", {{"foo", "1"}});
  CHECK(u.error);
  // Only the bracket kind that opened is counted: these are fine.
  CHECK(Expand("${a(b}", {{"a(b", "v"}}).error);  // name syntax error, not truncation
  CHECK(Expand("$(foo)", {{"foo", "v"}}).value == "v");
}

TEST_CASE("deep nesting is bounded, never a stack overflow") {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "${a?{";
  text += "x";
  for (int i = 0; i < 20000; ++i) text += "}}";
  MacroOutcome o = Expand(text, {{"a", "1"}});
  CHECK(o.error);
  CHECK_FALSE(o.warnings.empty());
  std::string rel;
  for (int i = 0; i < 20000; ++i) rel += "${{";
  rel += "1";
  for (int i = 0; i < 20000; ++i) rel += "} == {1}}";
  MacroOutcome r = Expand(rel, {});
  CHECK(r.error);
  std::vector<MacroRef> refs = ListMacroRefs(text);
  CHECK_FALSE(refs.empty());
}

TEST_CASE("exponential expansion stops") {
  std::map<std::string, std::string> vars;
  for (int i = 0; i < 40; ++i) {
    std::string next = "$v" + std::to_string(i + 1);
    vars["v" + std::to_string(i)] = next + next;
  }
  vars["v40"] = "x";
  MacroOutcome o = Expand("$v0", vars);
  CHECK(o.error);
}

TEST_CASE("ListMacroRefs gives names and offsets, both operands") {
  std::string v = "a $foo ${bar?{$baz}:{$(qux)}} $${not} ${{$lvl} <level {2}}";
  std::vector<MacroRef> refs = ListMacroRefs(v);
  std::vector<std::string> names;
  for (const MacroRef& r : refs) {
    names.emplace_back(r.name);
    CHECK(v.substr(r.begin, r.end - r.begin) == std::string(r.name));
  }
  CHECK(names == std::vector<std::string>{"foo", "bar", "baz", "qux", "lvl"});
}

TEST_CASE("ParamContext: defaults, stress and service overrides") {
  Source src("main.cf", "main.cf", "compatibility_level = 3.6\nfoo = $smtpd_timeout\n");
  Cst cst = ParseMainCf(src);
  MainCf m = MainCf::Build(cst);
  ParamContext ctx(m, Defaults::Postfix37());
  Result<std::string> normal = ctx.Expand("$smtpd_timeout");
  REQUIRE(normal.ok());
  CHECK(*normal == "300s");
  ctx.SetStress("no");  // any non-empty value means stress
  CHECK(*ctx.Expand("$foo") == "10s");
  ctx.SetStress(std::nullopt);
  ctx.SetService("submission", "smtpd", {{"smtpd_timeout", "7s"}, {"smtpd_timeout", "8s"}});
  CHECK(*ctx.ExpandParam("foo") == "8s");
  CHECK(*ctx.Expand("postfix/$service_name $process_name") == "postfix/submission smtpd");
  Result<std::string> bad = ctx.Expand("cost 5$");
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(ctx.ExpandParam("nosuch").ok());
}
