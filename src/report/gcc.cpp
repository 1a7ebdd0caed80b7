// The gcc format: one line per finding, `file:line:col: severity: message
// [PVnnn]`, which Vim's :make, Emacs compile-mode and most editors parse.
// Each note follows its finding as gcc prints them, `file:line:col: note:
// text`: a located note at its own place, a detail note (no place) at the
// finding's. Fixes are left out.
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
    // Located notes, then detail notes.
    for (const bool detail : {false, true}) {
      for (const Note& note : d->notes) {
        if (IsDetail(note) != detail) continue;
        const Span at = detail ? span : Resolve(note.location);
        fmt::format_to(std::back_inserter(out), "{}:{}:{}: note: {}\n", TerminalSafe(at.source->display()),
                       at.start.line, at.start.column, TerminalSafe(note.message));
      }
    }
    context.Flush(&out);
  }
  return out;
}

}  // namespace postvet::report
