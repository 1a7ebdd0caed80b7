#include "src/engine/template_filter.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include "src/template/static_view.hpp"

namespace postvet {
namespace {

// Rules whose verdict on an entry rests on its name (or its place) alone,
// never on its value: they keep reporting at the start of an entry whose
// value is template syntax.
constexpr std::string_view kNameRules[] = {
    "PV001",  // syntax-error
    "PV003",  // leading-whitespace
    "PV101",  // unknown-parameter
    "PV102",  // duplicate-parameter (across exclusive branches: dropped below)
    "PV105",  // obsolete-parameter
};

bool JudgesName(std::string_view id) {
  return std::find(std::begin(kNameRules), std::end(kNameRules), id) != std::end(kNameRules);
}

bool Caused(const Diagnostic& d, const tmpl::TemplateInfo& info) {
  const Location& at = d.location;
  if (info.Touches(at.begin, at.end)) return true;
  if (!JudgesName(d.rule_id) && info.StartsDependentEntry(at.begin)) return true;
  if (tmpl::HasOpaque(d.message) || tmpl::HasOpaque(d.subject)) return true;
  for (const Note& n : d.notes) {
    if (tmpl::HasOpaque(n.message)) return true;
    if (n.location.source == at.source && info.Exclusive(at.begin, n.location.begin)) return true;
  }
  return false;
}

}  // namespace

void DropTemplateCaused(const LintContext& ctx, std::vector<Diagnostic>* found) {
  std::map<const Source*, const tmpl::TemplateInfo*> templates;
  for (const auto& file : ctx.files()) {
    if (file->template_info) templates.emplace(file->source.get(), file->template_info.get());
  }
  if (templates.empty()) return;
  std::erase_if(*found, [&](Diagnostic& d) {
    auto it = templates.find(d.location.source);
    if (it == templates.end()) return tmpl::HasOpaque(d.message) || tmpl::HasOpaque(d.subject);
    if (Caused(d, *it->second)) return true;
    d.fix.reset();  // postvet never edits a template
    return false;
  });
}

void MapTemplateLocations(const LintContext& ctx, std::vector<Diagnostic>* found) {
  std::map<const Source*, const tmpl::TemplateInfo*> rendered;
  for (const auto& file : ctx.files()) {
    if (file->template_info && file->template_info->reported_source) {
      rendered.emplace(file->source.get(), file->template_info.get());
    }
  }
  if (rendered.empty()) return;
  auto move = [&](Location* at) {
    auto it = rendered.find(at->source);
    if (it == rendered.end()) return;
    const tmpl::TemplateInfo& info = *it->second;
    at->source = info.reported_source.get();
    at->end = info.ToTemplate(std::max(at->begin, at->end), true);
    at->begin = info.ToTemplate(at->begin, false);
  };
  for (Diagnostic& d : *found) {
    move(&d.location);
    for (Note& n : d.notes) move(&n.location);
    if (d.fix && std::any_of(d.fix->edits.begin(), d.fix->edits.end(),
                             [&](const Edit& e) { return rendered.count(e.source) != 0; })) {
      d.fix.reset();
    }
  }
}

}  // namespace postvet
