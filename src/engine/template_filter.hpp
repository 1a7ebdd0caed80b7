// Template filter: drops the findings that only a template's syntax caused
// (docs/templates.md), so that a template is judged on its static text.
// A finding in a template file (InputFile::template_info) is dropped when
//  - its range overlaps a tag (`{{ x }}`, `{% if %}`): it judges text we
//    cannot know, or a value a control block makes up;
//  - it starts at the first byte of a logical entry that holds template
//    syntax (where findings about a whole parameter, service or table line
//    point: whether `smtpd_relay_restrictions = {{ list }}` is an open
//    relay depends on the template), unless its rule judges the name alone
//    (kNameRules);
//  - its message or subject quotes an opaque byte (text that came from an
//    expression through `$name` expansion);
//  - one of its located notes lies in another branch of the same control
//    block (`{% if %}` / `{% else %}`): the two places never render together.
// A finding kept in a template loses its fix: fixes edit the static view,
// and postvet never writes a template (docs/templates.md).
// A template rendered with variables (--vars) is linted as a view whose
// length differs from the template's; MapTemplateLocations() moves the
// findings back to the template's own offsets before they are reported.
#pragma once

#include <vector>

#include "src/config/lint_context.hpp"
#include "src/engine/diagnostic.hpp"

namespace postvet {

/// Removes from `found` the findings about templates of `ctx` that the
/// template syntax alone caused; strips the fixes of those kept.
void DropTemplateCaused(const LintContext& ctx, std::vector<Diagnostic>* found);

/// Moves the locations of `found` (and of their notes) that lie in a
/// template rendered with variables (TemplateInfo::rendered) from the
/// rendered view to the template itself (TemplateInfo::reported_source): a
/// finding inside a rendered value points at its expression. Run last,
/// after suppressions are applied (they read the view). Drops the fixes
/// that would edit such a view.
void MapTemplateLocations(const LintContext& ctx, std::vector<Diagnostic>* found);

}  // namespace postvet
