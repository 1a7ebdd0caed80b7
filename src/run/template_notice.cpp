#include "src/run/template_notice.hpp"

#include <cstdio>

#include <fmt/core.h>

#include "src/base/printable.hpp"
#include "src/template/static_view.hpp"

namespace postvet::run {

std::string TemplateNotice(const InputFile& file) {
  if (!file.template_info) return "";
  const tmpl::TemplateInfo& t = *file.template_info;
  auto counted = [](uint32_t n, std::string_view noun) { return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s"); };
  // --vars: how many expressions took their value from the variables.
  const std::string rendered =
      t.rendered_count == 0 ? "" : fmt::format("{} rendered from the variables, ", counted(t.rendered_count, "expression"));
  return report::TerminalSafe(fmt::format(
      "postvet: {}: {}: linted on its static text ({}{} taken as unknown values, {} "
      "taken as optional regions); findings the template syntax alone causes are not reported, and no fixes are applied",
      file.source->display(), tmpl::TemplateKindName(t.kind), rendered, counted(t.expressions, "expression"),
      counted(t.blocks, "control block"))) + "\n";
}

}  // namespace postvet::run
