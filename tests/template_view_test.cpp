// Templates (src/template/): kind detection, the tag scanner and the static
// view (same length and newlines as the template; control lines become
// comments, expressions opaque bytes) with what it records about the syntax.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "src/base/source.hpp"
#include "src/template/static_view.hpp"
#include "src/template/tag_scanner.hpp"
#include "src/template/template_kind.hpp"

namespace postvet::tmpl {
namespace {

// The view with opaque bytes shown as '@' for readable expectations.
std::string View(std::string_view text, TemplateKind kind) {
  std::string v = MakeStaticView(text, kind).text;
  for (char& c : v) {
    if (c == kOpaqueByte) c = '@';
  }
  return v;
}

TEST_CASE("kinds come from the setting, then the suffix, then the content") {
  CHECK(DetectTemplateKind("main.cf.j2", "a = b\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("x/main.cf.erb", "", TemplateSetting::kAuto) == TemplateKind::kErb);
  CHECK(DetectTemplateKind("main.cf.tmpl", "a = {{ .X }}\n", TemplateSetting::kAuto) == TemplateKind::kGo);
  CHECK(DetectTemplateKind("main.cf.tmpl", "{% if x %}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf", "a = {{ salt['x'] }}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf", "a = {{ .Host }}\n", TemplateSetting::kAuto) == TemplateKind::kGo);
  CHECK(DetectTemplateKind("main.cf", "a = <%= @x %>\n", TemplateSetting::kAuto) == TemplateKind::kErb);
  CHECK(DetectTemplateKind("main.cf", "a = ${b?{x}}\n/x{2}/ OK\n", TemplateSetting::kAuto) == TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "a = cidr:{{!192.0.2.1 REJECT}}, pcre:{{/x/ OK}}\n", TemplateSetting::kAuto) ==
        TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "a = ${{$b} == {c} ? {d} : {e}}\n", TemplateSetting::kAuto) ==
        TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "a = ${b?{{c, d}}}\n\t{$$e}}}:{{f, g}}}\n", TemplateSetting::kAuto) ==
        TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "a = {{b}}\n", TemplateSetting::kAuto) == TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "a = {{- b }}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf.j2", "", TemplateSetting::kNone) == TemplateKind::kNone);
  CHECK(DetectTemplateKind("main.cf", "", TemplateSetting::kErb) == TemplateKind::kErb);
  CHECK(WithoutTemplateSuffix("r/main.cf.j2") == "r/main.cf");
  CHECK(WithoutTemplateSuffix("main.cf") == "main.cf");
  CHECK(ParseTemplateSetting("ansible") == TemplateSetting::kJinja);
  CHECK_FALSE(ParseTemplateSetting("mustache"));
}

TEST_CASE("the scanner skips strings and tells control from expressions") {
  std::vector<Tag> t = ScanTags("a = {{ \"}}\" }}{% if x %}{# c #}{% endif %}", TemplateKind::kJinja);
  REQUIRE(t.size() == 4);
  CHECK(t[0].begin == 4);
  CHECK(t[0].end == 14);
  CHECK(t[0].role == TagRole::kExpression);
  CHECK(t[1].role == TagRole::kOpen);
  CHECK(t[2].role == TagRole::kComment);
  CHECK(t[3].role == TagRole::kClose);
  std::vector<Tag> go = ScanTags("{{ if .A }}{{ else }}{{ .B }}{{ end }}{{/* c */}}", TemplateKind::kGo);
  REQUIRE(go.size() == 5);
  CHECK(go[0].role == TagRole::kOpen);
  CHECK(go[1].role == TagRole::kBranch);
  CHECK(go[2].role == TagRole::kExpression);
  CHECK(go[3].role == TagRole::kClose);
  CHECK(go[4].role == TagRole::kComment);
  std::vector<Tag> erb = ScanTags("<%% x <% @a.each do |k| -%><%= k %><% end -%><%# c %>", TemplateKind::kErb);
  REQUIRE(erb.size() == 4);
  CHECK(erb[0].role == TagRole::kOpen);
  CHECK(erb[1].role == TagRole::kExpression);
  CHECK(erb[2].role == TagRole::kClose);
  CHECK(erb[3].role == TagRole::kComment);
}

TEST_CASE("an unclosed tag ends within its bounds") {
  std::string text = "a = {{ b\n" + std::string(300, '\n') + "c = {{ d }}\n";
  std::vector<Tag> t = ScanTags(text, TemplateKind::kJinja);
  REQUIRE(t.size() == 2);
  CHECK(t[1].role == TagRole::kExpression);
  CHECK(text.substr(t[1].begin, t[1].end - t[1].begin) == "{{ d }}");
}

TEST_CASE("the static view keeps offsets and lines") {
  const std::string text =
      "a = {{ x }}\n"
      "{% if y %}\n"
      "b = 1\n"
      "{% else %}\n"
      "b = 2\n"
      "{% endif %}\n"
      "c = d{% if z %}, e{% endif %}\n"
      "{{ extra }}\n"
      "  {{ item }},\n"
      "{{ k }} = v\n";
  const std::string view = View(text, TemplateKind::kJinja);
  CHECK(view ==
        "a = @@@@@@@\n"
        "#         \n"
        "b = 1\n"
        "#         \n"
        "b = 2\n"
        "#          \n"
        "c = d          , e           \n"
        "#          \n"
        "  @@@@@@@@@@,\n"
        "@@@@@@@ = v\n");
  const TemplateInfo info = MakeStaticView(text, TemplateKind::kJinja).info;
  CHECK(info.expressions == 4);
  CHECK(info.blocks == 2);
  CHECK(info.opaque_lines == 1);
  const auto b1 = static_cast<uint32_t>(text.find("b = 1"));
  const auto b2 = static_cast<uint32_t>(text.find("b = 2"));
  CHECK(info.Exclusive(b1, b2));
  CHECK_FALSE(info.Exclusive(0, b2));
  CHECK(info.Conditional(b1));
  CHECK_FALSE(info.Conditional(0));
  CHECK(info.Touches(4, 5));
  CHECK_FALSE(info.Touches(0, 3));
  CHECK(info.StartsDependentEntry(0));                                        // a = {{ x }}
  CHECK_FALSE(info.StartsDependentEntry(b1));                                 // b = 1
  CHECK(info.StartsDependentEntry(static_cast<uint32_t>(text.find("c = "))));  // c = d{% if %}
}

TEST_CASE("a multi-line expression continues its line; CRLF stays") {
  CHECK(View("a = {{ x |\n  y }}\nb = c\n", TemplateKind::kJinja) == "a = @@@@@@\n#     \nb = c\n");
  CHECK(View("a = <%= x\ny %> z\n", TemplateKind::kErb) == "a = @@@@@\n @@@ z\n");
  CHECK(View("{% if x %}\r\na = b\r\n", TemplateKind::kJinja) == "#         \r\na = b\r\n");
  // An empty line inside a tag keeps its LF (fuzz finding: it became '#').
  CHECK(View("a = <%= x\n\ny %>\n", TemplateKind::kErb) == "a = @@@@@\n\n#   \n");
  CHECK(View("{{ x\n\n}}\nb = c\n", TemplateKind::kJinja) == "#   \n\n# \nb = c\n");
}

TEST_CASE("whitespace control is read wherever the plain tags are") {
  // Kind detection: each form alone makes a file a template of its kind.
  CHECK(DetectTemplateKind("main.cf", "{%- if x -%}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf", "{#- note -#}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf", "a = {{- x -}}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  CHECK(DetectTemplateKind("main.cf", "a = {{- .X -}}\n", TemplateSetting::kAuto) == TemplateKind::kGo);
  CHECK(DetectTemplateKind("main.cf", "{{- end -}}\n", TemplateSetting::kAuto) == TemplateKind::kGo);
  CHECK(DetectTemplateKind("main.cf", "<%- if x -%>\n", TemplateSetting::kAuto) == TemplateKind::kErb);
  CHECK(DetectTemplateKind("main.cf.tmpl", "{%- if x %}\n", TemplateSetting::kAuto) == TemplateKind::kJinja);
  // The scanner gives each trimmed tag the role of its plain form.
  auto roles = [](std::string_view text, TemplateKind kind) {
    std::vector<TagRole> out;
    for (const Tag& t : ScanTags(text, kind)) out.push_back(t.role);
    return out;
  };
  const std::vector<TagRole> jinja = {TagRole::kOpen, TagRole::kExpression, TagRole::kBranch,
                                      TagRole::kComment, TagRole::kClose, TagRole::kOther};
  CHECK(roles("{% if a %}{{ b }}{% else %}{# c #}{% endif %}{% set d = 1 %}", TemplateKind::kJinja) == jinja);
  CHECK(roles("{%- if a -%}{{- b -}}{%- else -%}{#- c -#}{%- endif -%}{%- set d = 1 -%}", TemplateKind::kJinja) ==
        jinja);
  CHECK(roles("{%+ if a +%}{{ b }}{%+ else %}{#- c #}{% endif -%}{% set d = 1 -%}", TemplateKind::kJinja) == jinja);
  CHECK(roles("{{- if .A -}}{{- .B -}}{{- else -}}{{- /* c */ -}}{{- end -}}", TemplateKind::kGo) ==
        std::vector<TagRole>{TagRole::kOpen, TagRole::kExpression, TagRole::kBranch, TagRole::kComment,
                             TagRole::kClose});
  CHECK(roles("<%- if a -%><%= b -%><%- else -%><%# c -%><%- end -%>", TemplateKind::kErb) ==
        std::vector<TagRole>{TagRole::kOpen, TagRole::kExpression, TagRole::kBranch, TagRole::kComment,
                             TagRole::kClose});
  // {%- raw -%} keeps its body static.
  CHECK(View("{%- raw -%}\na = {{ b }}\n{%- endraw -%}\n", TemplateKind::kJinja) ==
        "#          \na = {{ b }}\n#             \n");
  // The static view treats both forms alike: control lines become comments,
  // expression-only lines too, an expression in a value one opaque word.
  CHECK(View("{%- if x -%}\na = b\n{%- else %}\na = c\n{% endif -%}\n{{- extra -}}\nd = {{- e -}}\n{#- n -#}\n",
             TemplateKind::kJinja) ==
        "#           \na = b\n#          \na = c\n#           \n#            \nd = @@@@@@@@@\n#        \n");
  const TemplateInfo info = MakeStaticView("{%- if x -%}\na = b\n{%- else -%}\na = c\n{%- endif -%}\n",
                                           TemplateKind::kJinja).info;
  CHECK(info.blocks == 1);
  CHECK(info.Exclusive(13, 33));
}

TEST_CASE("a Source quotes the template as written") {
  Source s("p", "p", std::string("a = \x1a\x1a\x1a\x1a\nb\n"));
  s.set_written("a = {{}}\nb\n");
  CHECK(s.WrittenLineAt(2) == "a = {{}}");
  CHECK(s.LineAt(2) == "a = \x1a\x1a\x1a\x1a");
  Source plain("p", "p", "x\n");
  CHECK(plain.WrittenLineAt(0) == "x");
}

}  // namespace
}  // namespace postvet::tmpl
