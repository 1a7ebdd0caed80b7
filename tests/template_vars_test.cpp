// Template variables (src/template/vars.hpp, render.hpp) and the rendered
// static view (src/template/static_view.hpp): which expressions render, how
// JSON and YAML values read, what a bad file says, and how offsets of the
// rendered view map back to the template.
#include <catch2/catch.hpp>

#include <string>

#include <fmt/format.h>

#include "src/template/render.hpp"
#include "src/template/static_view.hpp"
#include "src/template/vars.hpp"

namespace postvet::tmpl {
namespace {

Vars Parse(std::string_view text, bool yaml) {
  Result<Vars> v = ParseVars(text, "v", yaml);
  REQUIRE(v.ok());
  return std::move(v.value());
}

std::string Rendered(std::string_view tag, TemplateKind kind, const Vars& vars) {
  return RenderExpression(tag, kind, vars).value_or("<unknown>");
}

TEST_CASE("YAML and JSON variables read the same") {
  const Vars yaml = Parse(
      "relay: smtp.example.net\nport: 587\ntls:\n  level: may\n  on: yes\nlist: [a, b]\nnothing: ~\n"
      "quoted: 'yes'\n",
      true);
  const Vars json = Parse(
      R"({"relay": "smtp.example.net", "port": 587, "tls": {"level": "may", "on": true},)"
      R"( "list": ["a", "b"], "nothing": null, "quoted": "yes"})",
      false);
  for (const Vars* v : {&yaml, &json}) {
    CHECK(Rendered("{{ relay }}", TemplateKind::kJinja, *v) == "smtp.example.net");
    CHECK(Rendered("{{port}}", TemplateKind::kJinja, *v) == "587");
    CHECK(Rendered("{{- tls.level -}}", TemplateKind::kJinja, *v) == "may");
    CHECK(Rendered("{{ tls.on }}", TemplateKind::kJinja, *v) == "True");  // as Jinja2 prints a boolean
    CHECK(Rendered("{{ .tls.on }}", TemplateKind::kGo, *v) == "true");
    CHECK(Rendered("<%= @relay %>", TemplateKind::kErb, *v) == "smtp.example.net");
    CHECK(Rendered("<%= relay -%>", TemplateKind::kErb, *v) == "smtp.example.net");
    CHECK(Rendered("{{ .relay }}", TemplateKind::kGo, *v) == "smtp.example.net");
    CHECK(Rendered("{{ quoted }}", TemplateKind::kJinja, *v) == "yes");  // a quoted YAML string
    // Not rendered: undefined, not a scalar, null, filters, Go without its dot, ERB code.
    CHECK(Rendered("{{ undefined }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ tls.missing }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ tls }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ list }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ nothing }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ relay | upper }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ relay ~ 'x' }}", TemplateKind::kJinja, *v) == "<unknown>");
    CHECK(Rendered("{{ relay }}", TemplateKind::kGo, *v) == "<unknown>");
    CHECK(Rendered("<% relay %>", TemplateKind::kErb, *v) == "<unknown>");
    CHECK(Rendered("<%= @tls.level %>", TemplateKind::kErb, *v) == "<unknown>");  // a method call in Ruby
    CHECK(Rendered("{{ relay", TemplateKind::kJinja, *v) == "<unknown>");            // never closed
    CHECK(Rendered("{{ relay\n}}", TemplateKind::kJinja, *v) == "<unknown>");        // over two lines
  }
}

TEST_CASE("a value with a line break or a control byte stays unknown") {
  const Vars v = Parse(R"({"multi": "a\nb", "sub": "a\u001ab", "tab": "a\tb"})", false);
  CHECK(Rendered("{{ multi }}", TemplateKind::kJinja, v) == "<unknown>");
  CHECK(Rendered("{{ sub }}", TemplateKind::kJinja, v) == "<unknown>");
  CHECK(Rendered("{{ tab }}", TemplateKind::kJinja, v) == "a\tb");
}

TEST_CASE("bad variable files name the file and the line") {
  Result<Vars> y = ParseVars("a: 1\nb: [unclosed\n", "vars.yml", true);
  REQUIRE_FALSE(y.ok());
  CHECK(y.status().message() ==
        "vars.yml:3:1: did not find expected ',' or ']' (while parsing a flow sequence started on line 2)");
  Result<Vars> j = ParseVars("{\n  \"a\": 1,\n}\n", "vars.json", false);
  REQUIRE_FALSE(j.ok());
  CHECK(j.status().message().rfind("vars.json:3:", 0) == 0);
  Result<Vars> list = ParseVars("- a\n- b\n", "list.yml", true);
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().message() == "list.yml:1: expected a mapping of variable names at the top level");
  Result<Vars> arr = ParseVars("[1]", "a.json", false);
  REQUIRE_FALSE(arr.ok());
  CHECK(arr.status().message() == "a.json:1: expected an object of variable names at the top level");
  CHECK(ParseVars("", "empty.yml", true).ok());
}

TEST_CASE("YAML aliases cannot blow up, nor nest without bound") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev) {
    bomb += fmt::format("{}: &{} {{", c, c);
    for (int i = 0; i < 10; ++i) bomb += fmt::format("k{}: *{}{}", i, prev, i < 9 ? ", " : "");
    bomb += "}\n";
  }
  Result<Vars> v = ParseVars(bomb, "bomb.yml", true);
  REQUIRE_FALSE(v.ok());
  CHECK(v.status().message().find("more than") != std::string::npos);
  std::string deep = std::string(100, '[') + std::string(100, ']');
  CHECK(ParseVars("a: " + deep + "\n", "deep.yml", true).ok());  // lists are not looked into
  std::string nested = "a: ";
  for (int i = 0; i < 100; ++i) nested += "{b: ";
  nested += "1" + std::string(100, '}') + "\n";
  CHECK_FALSE(ParseVars(nested, "nested.yml", true).ok());
}

TEST_CASE("a rendered view maps its offsets back to the template") {
  const Vars v = Parse(R"({"host": "mx1.example.com", "port": 25, "short": "a"})", false);
  const std::string text =
      "myhostname = {{ host }}\n"
      "relayhost = [{{ short }}]:{{ port }} {{ unknown }}\n"
      "{% if x %}\n"
      "a = b\n"
      "{% endif %}\n";
  const StaticView view = MakeStaticView(text, TemplateKind::kJinja, &v);
  CHECK(view.text == "myhostname = mx1.example.com\n"
                     "relayhost = [a]:25 " + std::string(13, kOpaqueByte) + "\n"
                     "#         \n"
                     "a = b\n"
                     "#          \n");
  CHECK(view.static_text.size() == text.size());
  CHECK(view.static_text.substr(0, 24) == "myhostname = {{ host }}\n");
  const TemplateInfo& info = view.info;
  CHECK(info.rendered_count == 3);
  CHECK(info.expressions == 1);
  // A byte of a value maps to its tag's start; a range ending in it, to past the tag.
  const auto host = static_cast<uint32_t>(view.text.find("mx1"));
  CHECK(info.ToTemplate(host + 4, false) == 13);
  CHECK(info.ToTemplate(host + 4, true) == 23);
  CHECK(info.ToTemplate(host, true) == host);  // an end right before the value stays
  // Bytes after values keep their place in the template.
  const auto unknown_view = static_cast<uint32_t>(view.text.find('\x1a'));
  const auto unknown_tmpl = static_cast<uint32_t>(text.find("{{ unknown }}"));
  CHECK(info.ToTemplate(unknown_view, false) == unknown_tmpl);
  // Spans and branches are view offsets: the unknown expression still counts as template syntax.
  CHECK(info.Touches(unknown_view, unknown_view + 1));
  CHECK_FALSE(info.Touches(host, host + 3));
  const auto a = static_cast<uint32_t>(view.text.find("a = b"));
  CHECK(info.Conditional(a));
  CHECK_FALSE(info.StartsDependentEntry(0));  // myhostname is fully known now
  CHECK(info.StartsDependentEntry(static_cast<uint32_t>(view.text.find("relayhost"))));
}

TEST_CASE("without variables nothing renders") {
  const StaticView view = MakeStaticView("a = {{ x }}\n", TemplateKind::kJinja);
  CHECK(view.static_text.empty());
  CHECK(view.info.rendered.empty());
  CHECK(view.info.ToTemplate(5, false) == 5);
}

}  // namespace
}  // namespace postvet::tmpl
