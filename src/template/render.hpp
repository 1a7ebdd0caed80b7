// Rendering of simple template expressions with known variables
// (`--vars FILE`, src/template/vars.hpp): `{{ name }}` and `{{ a.b }}` in
// Jinja2 (Ansible, Salt), `{{ .Name }}` and `{{ .a.b }}` in Go templates,
// `<%= name %>` and `<%= @name %>` in ERB. Such an expression whose variable
// is defined as a string, number or boolean renders as its value (a boolean
// as the template language prints it: True/False in Jinja2, true/false
// elsewhere). Anything else (filters, calls, operators, undefined or
// non-scalar variables, a value holding a line break or a control byte, a
// tag written over several lines) does not render and stays an unknown value.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/template/template_kind.hpp"
#include "src/template/vars.hpp"

namespace postvet::tmpl {

/// The text the expression tag `tag` (opener to closer, as written) renders
/// to with `vars`, or nullopt when it stays unknown.
std::optional<std::string> RenderExpression(std::string_view tag, TemplateKind kind, const Vars& vars);

}  // namespace postvet::tmpl
