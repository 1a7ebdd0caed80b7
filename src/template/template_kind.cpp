#include "src/template/template_kind.hpp"

namespace postvet::tmpl {
namespace {

bool EndsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

bool StartsWithWord(std::string_view text, std::string_view word) {
  if (text.substr(0, word.size()) != word) return false;
  if (text.size() == word.size()) return true;
  char c = text[word.size()];
  return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
}

// What the lines of `text` show: a tag is an opener and its closer on one line.
struct Evidence {
  bool jinja_statement = false;  // {% %} or {# #}
  bool curly = false;            // {{ }}
  bool go = false;               // {{ .X }}, {{ end }}, {{/* */}}
  bool erb = false;              // <% %>
};

void Look(std::string_view line, Evidence* e) {
  auto pair = [&](std::string_view open, std::string_view close) {
    size_t o = line.find(open);
    return o != std::string_view::npos && line.find(close, o + open.size()) != std::string_view::npos;
  };
  if (pair("{%", "%}") || pair("{#", "#}")) e->jinja_statement = true;
  if (pair("<%", "%>")) e->erb = true;
  for (size_t o = line.find("{{"); o != std::string_view::npos; o = line.find("{{", o + 2)) {
    if (line.find("}}", o + 2) == std::string_view::npos) break;
    // Postfix's own braces nest too: `cidr:{{!192.0.2.1 REJECT}}` (an inline
    // table), `${{$a} == {b}}` and `${a?{{x, y}}}` (expressions). A template
    // expression is written `{{ x }}`, with a blank inside, and outside `${`.
    std::string_view after = line.substr(o + 2);
    if (!after.empty() && (after.front() == '-' || after.front() == '+')) after.remove_prefix(1);
    const bool blank_inside = !after.empty() && (after.front() == ' ' || after.front() == '\t');
    const bool go_like = !after.empty() && (after.front() == '.' || after.substr(0, 2) == "/*");  // {{.X}}
    if ((!blank_inside && !go_like) || line.substr(0, o).find("${") != std::string_view::npos) continue;
    if (o >= 1 && (line[o - 1] == '$' || line[o - 1] == ':')) continue;
    e->curly = true;
    std::string_view inner = line.substr(o + 2);
    while (!inner.empty() && (inner.front() == '-' || inner.front() == ' ' || inner.front() == '\t')) {
      inner.remove_prefix(1);
    }
    if (!inner.empty() && (inner.front() == '.' || inner.front() == '$')) e->go = true;
    if (inner.substr(0, 2) == "/*") e->go = true;
    for (std::string_view w : {"end", "range", "with", "define", "template", "block"}) {
      if (StartsWithWord(inner, w)) e->go = true;
    }
  }
}

Evidence Sniff(std::string_view text) {
  Evidence e;
  // Most files hold no opener at all: four scans of the whole text settle
  // that before any line is looked at.
  bool any = false;
  for (std::string_view open : {"{{", "{%", "{#", "<%"}) any = any || text.find(open) != std::string_view::npos;
  if (!any) return e;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t lf = text.find('\n', pos);
    if (lf == std::string_view::npos) lf = text.size();
    Look(text.substr(pos, lf - pos), &e);
    pos = lf + 1;
  }
  return e;
}

}  // namespace

std::optional<TemplateSetting> ParseTemplateSetting(std::string_view text) {
  if (text == "auto") return TemplateSetting::kAuto;
  if (text == "none") return TemplateSetting::kNone;
  if (text == "jinja" || text == "jinja2" || text == "ansible" || text == "salt") return TemplateSetting::kJinja;
  if (text == "erb") return TemplateSetting::kErb;
  if (text == "go") return TemplateSetting::kGo;
  return std::nullopt;
}

std::string_view TemplateSettingName(TemplateSetting setting) {
  switch (setting) {
    case TemplateSetting::kAuto: return "auto";
    case TemplateSetting::kNone: return "none";
    case TemplateSetting::kJinja: return "jinja";
    case TemplateSetting::kErb: return "erb";
    case TemplateSetting::kGo: return "go";
  }
  return "auto";
}

std::string_view TemplateKindName(TemplateKind kind) {
  switch (kind) {
    case TemplateKind::kJinja: return "Jinja2";
    case TemplateKind::kErb: return "ERB";
    case TemplateKind::kGo: return "Go template";
    case TemplateKind::kNone: break;
  }
  return "";
}

std::string_view TemplateSuffix(std::string_view path) {
  std::string_view base = path.substr(path.find_last_of('/') + 1);
  for (std::string_view s : kTemplateSuffixes) {
    if (base.size() > s.size() && EndsWith(base, s)) return s;
  }
  return "";
}

std::string_view WithoutTemplateSuffix(std::string_view path) {
  return path.substr(0, path.size() - TemplateSuffix(path).size());
}

TemplateKind DetectTemplateKind(std::string_view path, std::string_view text, TemplateSetting setting) {
  switch (setting) {
    case TemplateSetting::kNone: return TemplateKind::kNone;
    case TemplateSetting::kJinja: return TemplateKind::kJinja;
    case TemplateSetting::kErb: return TemplateKind::kErb;
    case TemplateSetting::kGo: return TemplateKind::kGo;
    case TemplateSetting::kAuto: break;
  }
  std::string_view suffix = TemplateSuffix(path);
  if (suffix == ".erb") return TemplateKind::kErb;
  if (suffix == ".j2" || suffix == ".jinja" || suffix == ".jinja2") return TemplateKind::kJinja;
  const Evidence e = Sniff(text);
  if (suffix == ".tmpl" || suffix == ".tpl") return e.jinja_statement && !e.go ? TemplateKind::kJinja : TemplateKind::kGo;
  if (e.jinja_statement) return TemplateKind::kJinja;
  if (e.go) return TemplateKind::kGo;
  if (e.curly) return TemplateKind::kJinja;
  if (e.erb) return TemplateKind::kErb;
  return TemplateKind::kNone;
}

}  // namespace postvet::tmpl
