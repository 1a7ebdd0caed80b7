// The github format: GitHub Actions workflow commands, one per finding,
//   ::error file=F,line=L,col=C,endLine=E,endColumn=EC,title=PVnnn slug::message
// which the runner turns into annotations on the changed files. Warnings are
// ::warning, infos ::notice. Columns are left out for a range over several
// lines (GitHub ignores them there). Detail notes (no place) continue the
// message as further sentences; located notes and the fix hint follow it on
// lines of their own.
#include <fmt/format.h>

#include "src/report/formats.hpp"
#include "src/base/printable.hpp"
#include "src/base/utf8.hpp"

namespace postvet::report {

namespace {

std::string_view Command(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "notice";
  }
  return "notice";
}

// GitHub's escaping: in the message % CR LF become %25 %0D %0A; in property
// values also : and , (which would end the value). Other control bytes and
// invalid UTF-8 are shown escaped, as in the text format, so that nothing
// reaches the log viewer raw.
std::string Escape(std::string_view text, bool property) {
  std::string out;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Unit unit = DecodeUtf8(text, pos);
    const char32_t cp = unit.valid ? unit.code_point : 0xFFFD;
    if (cp == '%') {
      out.append("%25");
    } else if (cp == '\r') {
      out.append("%0D");
    } else if (cp == '\n') {
      out.append("%0A");
    } else if (property && cp == ':') {
      out.append("%3A");
    } else if (property && cp == ',') {
      out.append("%2C");
    } else if (std::string escape = EscapeForTerminal(unit); !escape.empty()) {
      out.append(escape);
    } else {
      out.append(text.substr(pos, unit.length));
    }
    pos += unit.length;
  }
  return out;
}

}  // namespace

std::string RenderGithub(const ReportContext& context) {
  std::string out;
  CodePointColumns begin_columns, end_columns;  // each runs forward in report order
  for (const Diagnostic* d : context.diagnostics) {
    const Span span = Resolve(d->location);
    const std::string file = CiPath(span.source->display(), context.options->working_directory);
    std::string position;
    if (span.start.line == span.stop.line) {
      position = fmt::format("line={},col={},endLine={},endColumn={}", span.start.line,
                             begin_columns(*span.source, span.begin), span.stop.line,
                             end_columns(*span.source, span.end));
    } else {
      position = fmt::format("line={},endLine={}", span.start.line, span.stop.line);
    }
    const std::optional<size_t> rule = context.RuleIndex(d->rule_id);
    std::string title(d->rule_id);
    if (rule) fmt::format_to(std::back_inserter(title), " {}", (*context.rules)[*rule].slug);

    // Detail notes as further sentences of the message; located notes and
    // the fix hint on lines of their own.
    std::string message = MessageWithDetails(*d);
    for (const Note& note : d->notes) {
      if (IsDetail(note)) continue;
      const Span at = Resolve(note.location);
      fmt::format_to(std::back_inserter(message), "\n{}:{}:{}: note: {}",
                     CiPath(at.source->display(), context.options->working_directory),
                     at.start.line, at.start.column, note.message);
    }
    if (d->fix) {
      fmt::format_to(std::back_inserter(message), "\n{}{}{}", FixLabel(*d->fix),
                     d->fix->description.empty() ? "" : ": ", d->fix->description);
    }
    fmt::format_to(std::back_inserter(out), "::{} file={},{},title={}::{}\n", Command(d->severity),
                   Escape(file, true), position, Escape(title, true), Escape(message, false));
    context.Flush(&out);
  }
  return out;
}

}  // namespace postvet::report
