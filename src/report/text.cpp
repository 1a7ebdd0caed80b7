// The text format, for people at a terminal: each finding as a gcc-style
// header line, the source line with the range underlined (`^~~~`), its
// notes, its fix hint; then a summary. Colour only when asked for.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "src/report/formats.hpp"
#include "src/report/printable.hpp"
#include "src/report/utf8.hpp"

namespace postvet::report {

namespace {

// Tab stops every 8 columns, like terminals and gcc's -ftabstop default.
constexpr unsigned kTabWidth = 8;

// ANSI SGR sequences; all empty when colour is off.
struct Palette {
  std::string_view bold, error, warning, info, note, caret, gutter, fix, reset;
};

Palette MakePalette(bool color) {
  if (!color) return {};
  return {"\x1b[1m",  "\x1b[1;31m", "\x1b[1;35m", "\x1b[1;36m", "\x1b[1;36m",
          "\x1b[1;32m", "\x1b[34m", "\x1b[32m",   "\x1b[0m"};
}

std::string_view SeverityColor(const Palette& p, Severity s) {
  switch (s) {
    case Severity::kError: return p.error;
    case Severity::kWarning: return p.warning;
    case Severity::kInfo: return p.info;
  }
  return {};
}

std::string Where(const Span& span) {
  return fmt::format("{}:{}:{}", TerminalSafe(span.source->display()), span.start.line,
                     span.start.column);
}

// The first line of `span` as shown (tabs expanded, unsafe units escaped)
// and the underline beneath its part of the range. A range that runs past
// the line is underlined to the line's end; an empty one gets a lone caret.
struct Snippet {
  std::string line;
  std::string underline;
};

Snippet MakeSnippet(const Span& span) {
  const Source& source = *span.source;
  const uint32_t line_begin = source.LineStart(span.start.line);
  std::string_view text = source.LineAt(span.begin);
  auto line_end = static_cast<uint32_t>(line_begin + text.size());
  // A CRLF file's CR is noise unless the range points at it.
  if (!text.empty() && text.back() == '\r') {
    const uint32_t cr = line_end - 1;
    const bool marks_cr = span.begin == cr || (span.begin < cr && span.end > cr);
    if (!marks_cr) text.remove_suffix(1), --line_end;
  }
  const uint32_t mark_begin = span.begin;
  const uint32_t mark_end = std::min(span.end, line_end);

  Snippet snippet;
  unsigned column = 0;           // display column of the next unit
  unsigned caret_from = 0, caret_to = 0;
  bool from_set = false, to_set = false;
  for (size_t pos = 0; pos < text.size();) {
    const Utf8Unit unit = DecodeUtf8(text, pos);
    const auto unit_begin = static_cast<uint32_t>(line_begin + pos);
    const uint32_t unit_end = unit_begin + unit.length;
    if (!from_set && mark_begin < unit_end) caret_from = column, from_set = true;
    if (!to_set && mark_end <= unit_begin) caret_to = column, to_set = true;
    unsigned width = 0;
    if (unit.valid && unit.code_point == '\t') {
      width = kTabWidth - column % kTabWidth;
      snippet.line.append(width, ' ');
    } else if (std::string escape = EscapeForTerminal(unit); !escape.empty()) {
      width = static_cast<unsigned>(escape.size());
      snippet.line.append(escape);
    } else {
      width = DisplayWidth(unit.code_point);
      snippet.line.append(text.substr(pos, unit.length));
    }
    column += width;
    pos += unit.length;
  }
  if (!from_set) caret_from = column;
  if (!to_set) caret_to = column;
  snippet.underline.assign(caret_from, ' ');
  snippet.underline.push_back('^');
  if (caret_to > caret_from + 1) snippet.underline.append(caret_to - caret_from - 1, '~');
  return snippet;
}

std::string Counted(size_t count, std::string_view noun) {
  return fmt::format("{} {}{}", count, noun, count == 1 ? "" : "s");
}

void AppendDiagnostic(const Diagnostic& d, const Palette& p, std::string* out) {
  const Span span = Resolve(d.location);
  fmt::format_to(std::back_inserter(*out), "{}{}:{} {}{}:{} {} {}[{}]{}\n", p.bold, Where(span),
                 p.reset, SeverityColor(p, d.severity), SeverityName(d.severity), p.reset,
                 TerminalSafe(d.message), p.bold, TerminalSafe(d.rule_id), p.reset);
  if (!span.source->text().empty()) {
    const Snippet snippet = MakeSnippet(span);
    const std::string number = fmt::format("{:>5}", span.start.line);
    const std::string blank(number.size(), ' ');
    fmt::format_to(std::back_inserter(*out), "{}{} |{} {}\n", p.gutter, number, p.reset,
                   snippet.line);
    fmt::format_to(std::back_inserter(*out), "{}{} |{} {}{}{}\n", p.gutter, blank, p.reset,
                   p.caret, snippet.underline, p.reset);
  }
  for (const Note& note : d.notes) {
    fmt::format_to(std::back_inserter(*out), "{}{}:{} {}note:{} {}\n", p.bold,
                   Where(Resolve(note.location)), p.reset, p.note, p.reset,
                   TerminalSafe(note.message));
  }
  if (d.fix) {
    fmt::format_to(std::back_inserter(*out), "  {}{}{}{}{}\n", p.fix, FixLabel(*d.fix), p.reset,
                   d.fix->description.empty() ? "" : ": ", TerminalSafe(d.fix->description));
  }
}

}  // namespace

std::string RenderText(const ReportContext& context) {
  const Palette p = MakePalette(context.options->color);
  std::string out;
  std::array<size_t, 3> by_severity{};  // indexed by Severity
  size_t safe_fixes = 0, unsafe_fixes = 0;
  for (const Diagnostic* d : context.diagnostics) {
    AppendDiagnostic(*d, p, &out);
    out.push_back('\n');
    context.Flush(&out);
    ++by_severity[static_cast<size_t>(d->severity)];
    if (d->fix) ++(d->fix->applicability == Applicability::kSafe ? safe_fixes : unsafe_fixes);
  }
  if (context.diagnostics.empty()) {
    fmt::format_to(std::back_inserter(out), "{}no findings{}\n", p.bold, p.reset);
    return out;
  }
  std::string fixable;
  if (safe_fixes > 0 && unsafe_fixes > 0) {
    fixable = fmt::format(" ({} fixable with --fix, {} more with --unsafe-fixes)", safe_fixes,
                          unsafe_fixes);
  } else if (safe_fixes > 0) {
    fixable = fmt::format(" ({} fixable with --fix)", safe_fixes);
  } else if (unsafe_fixes > 0) {
    fixable = fmt::format(" ({} fixable with --fix --unsafe-fixes)", unsafe_fixes);
  }
  fmt::format_to(std::back_inserter(out), "{}{}, {}, {}{}{}\n", p.bold,
                 Counted(by_severity[static_cast<size_t>(Severity::kError)], "error"),
                 Counted(by_severity[static_cast<size_t>(Severity::kWarning)], "warning"),
                 Counted(by_severity[static_cast<size_t>(Severity::kInfo)], "info"), fixable,
                 p.reset);
  return out;
}

}  // namespace postvet::report
