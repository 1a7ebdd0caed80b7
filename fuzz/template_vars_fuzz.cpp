// Fuzz target: template variables (src/template/vars.hpp) and the rendered
// static view (src/template/static_view.hpp, render.hpp). The first byte
// picks the template kind (bits 0-1: Jinja2, ERB, Go) and the vars syntax
// (bit 2: YAML, else JSON); the rest is the vars file and the template,
// split at the first "\n====\n".
// Properties: no crash or hang; a bad vars file is a Status naming it; the
// view of a template with variables has the template's lines (a rendered
// value never holds a line break); without rendering it has the template's
// length; with rendering static_text has it, the rendered ranges lie in
// order inside both texts, and every view offset maps to a template offset
// on the same line, begins never after ends, monotonically.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_util.hpp"
#include "src/template/static_view.hpp"
#include "src/template/vars.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  using postvet::fuzz::Require;
  if (size < 1) return 0;
  const uint8_t control = data[0];
  std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const size_t split = input.find("\n====\n");
  std::string_view vars_text = input.substr(0, split);
  std::string_view text = split == std::string_view::npos ? std::string_view() : input.substr(split + 6);
  const tmpl::TemplateKind kinds[] = {tmpl::TemplateKind::kJinja, tmpl::TemplateKind::kErb, tmpl::TemplateKind::kGo,
                                      tmpl::TemplateKind::kJinja};
  const tmpl::TemplateKind kind = kinds[control & 3];
  Result<tmpl::Vars> vars = tmpl::ParseVars(vars_text, "vars", (control & 4) != 0);
  if (!vars.ok()) {
    Require(vars.status().message().rfind("vars:", 0) == 0);
    return 0;
  }
  const tmpl::StaticView view = tmpl::MakeStaticView(text, kind, &vars.value());
  const tmpl::TemplateInfo& info = view.info;
  auto lines = [](std::string_view s) { return std::count(s.begin(), s.end(), '\n'); };
  Require(lines(view.text) == lines(text));
  if (info.rendered.empty()) {
    Require(view.text.size() == text.size() && view.static_text.empty());
    return 0;
  }
  Require(view.static_text.size() == text.size());
  uint32_t view_pos = 0, tmpl_pos = 0;
  for (const tmpl::Rendered& r : info.rendered) {
    Require(r.view.begin >= view_pos && r.view.begin <= r.view.end && r.view.end <= view.text.size());
    Require(r.tmpl.begin >= tmpl_pos && r.tmpl.begin < r.tmpl.end && r.tmpl.end <= text.size());
    view_pos = r.view.end;
    tmpl_pos = r.tmpl.end;
  }
  // Walk the view once: each offset maps onto the same line of the template.
  uint32_t view_line = 0, tmpl_line = 0, tmpl_at = 0, last_begin = 0;
  for (uint32_t o = 0; o <= view.text.size(); ++o) {
    const uint32_t b = info.ToTemplate(o, false);
    const uint32_t e = info.ToTemplate(o, true);
    Require(b <= e && e <= text.size() && b >= last_begin);
    last_begin = b;
    for (; tmpl_at < b; ++tmpl_at) tmpl_line += text[tmpl_at] == '\n' ? 1 : 0;
    Require(tmpl_line == view_line);
    if (o < view.text.size() && view.text[o] == '\n') ++view_line;
  }
  return 0;
}
