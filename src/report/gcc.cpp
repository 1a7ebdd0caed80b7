// The gcc format: one line per finding, `file:line:col: severity: message
// [PVnnn]`, which Vim's :make, Emacs compile-mode and most editors parse.
// Notes and fixes are left out so that every line is one finding.
#include <fmt/format.h>

#include "src/report/formats.hpp"
#include "src/base/printable.hpp"

namespace postvet::report {

std::string RenderGcc(const ReportContext& context) {
  std::string out;
  for (const Diagnostic* d : context.diagnostics) {
    const Span span = Resolve(d->location);
    fmt::format_to(std::back_inserter(out), "{}:{}:{}: {}: {} [{}]\n",
                   TerminalSafe(span.source->display()), span.start.line, span.start.column,
                   SeverityName(d->severity), TerminalSafe(d->message), TerminalSafe(d->rule_id));
    context.Flush(&out);
  }
  return out;
}

}  // namespace postvet::report
