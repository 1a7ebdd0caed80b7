// Template notice: the one line per template file a `check` run prints on
// stderr, saying that the file is a template and how it was linted
// (docs/templates.md). Findings stay on stdout, untouched.
#pragma once

#include <set>
#include <string>

#include "src/config/lint_context.hpp"

namespace postvet::run {

/// The notice for `file`, a template ("" when it is none): "postvet:
/// <file>: Jinja2 template: its static text is linted; ..."; escaped for
/// the terminal.
std::string TemplateNotice(const InputFile& file);

}  // namespace postvet::run
