// The text format, for people at a terminal: each finding as a gcc-style
// header line, the source line with the range underlined (`^~~~`), its
// located notes ("file:line:col: note: ..."), its detail notes
// ("  note: ..."), its fix hint; then a summary. Colour only when asked for.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "src/report/formats.hpp"
#include "src/base/printable.hpp"
#include "src/base/utf8.hpp"

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
// A long line is shown as a window: up to kContextBefore display columns
// before the range and kContextAfter from its start, cut ends marked with
// "…" (so a 700 KB line with thousands of findings prints a few hundred
// bytes per finding, not the whole line each time). Tabs in a window cut on
// the left expand from the window's start.
struct Snippet {
  std::string line;
  std::string underline;
};

constexpr unsigned kContextBefore = 60;
constexpr unsigned kContextAfter = 120;
// Bytes looked at on each side: enough for the columns above even when
// every unit is a 4-byte sequence, with room for zero-width ones.
constexpr size_t kLookBackBytes = 8 * kContextBefore;
constexpr size_t kLookAheadBytes = 8 * kContextAfter;
constexpr std::string_view kEllipsis = "\u2026";

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The display width of `unit` at `column`, and what to print for it.
unsigned UnitShown(std::string_view text, size_t pos, const Utf8Unit& unit, unsigned column, std::string* out) {
  if (unit.valid && unit.code_point == '\t') {
    const unsigned width = kTabWidth - column % kTabWidth;
    if (out != nullptr) out->append(width, ' ');
    return width;
  }
  if (std::string escape = EscapeForTerminal(unit); !escape.empty()) {
    if (out != nullptr) out->append(escape);
    return static_cast<unsigned>(escape.size());
  }
  if (out != nullptr) out->append(text.substr(pos, unit.length));
  return DisplayWidth(unit.code_point);
}

// Where the shown part of `text` starts so that at most kContextBefore
// columns precede the unit holding byte `mark`.
size_t WindowStart(std::string_view text, size_t mark) {
  size_t from = mark > kLookBackBytes ? mark - kLookBackBytes : 0;
  while (from > 0 && from < mark && IsContinuationByte(text[from])) ++from;
  std::vector<std::pair<size_t, unsigned>> units;  // (byte, width) before the mark
  unsigned column = 0;
  for (size_t pos = from; pos < text.size();) {
    const Utf8Unit unit = DecodeUtf8(text, pos);
    if (pos + unit.length > mark) break;  // the unit holding the mark
    const unsigned width = UnitShown(text, pos, unit, column, nullptr);
    units.emplace_back(pos, width);
    column += width;
    pos += unit.length;
  }
  size_t k = 0;
  while (column > kContextBefore && k < units.size()) column -= units[k++].second;
  if (k < units.size()) return units[k].first;
  return units.empty() ? from : units.back().first + DecodeUtf8(text, units.back().first).length;
}

Snippet MakeSnippet(const Span& span) {
  const Source& source = *span.source;
  const uint32_t line_begin = source.LineStart(span.start.line);
  std::string_view text = source.WrittenLineAt(span.begin);
  auto line_end = static_cast<uint32_t>(line_begin + text.size());
  // A CRLF file's CR is noise unless the range points at it.
  if (!text.empty() && text.back() == '\r') {
    const uint32_t cr = line_end - 1;
    const bool marks_cr = span.begin == cr || (span.begin < cr && span.end > cr);
    if (!marks_cr) text.remove_suffix(1), --line_end;
  }
  const uint32_t mark_begin = span.begin;
  const uint32_t mark_end = std::min(span.end, line_end);
  const size_t mark_pos = std::min<size_t>(mark_begin - line_begin, text.size());
  const size_t start = WindowStart(text, mark_pos);

  Snippet snippet;
  unsigned column = 0;           // display column of the next unit
  if (start > 0) {
    snippet.line.append(kEllipsis);
    column = 1;
  }
  unsigned caret_from = 0, caret_to = 0;
  bool from_set = false, to_set = false;
  size_t pos = start;
  while (pos < text.size()) {
    if (from_set && (column >= caret_from + kContextAfter || pos >= mark_pos + kLookAheadBytes)) break;
    const Utf8Unit unit = DecodeUtf8(text, pos);
    const auto unit_begin = static_cast<uint32_t>(line_begin + pos);
    const uint32_t unit_end = unit_begin + unit.length;
    if (!from_set && mark_begin < unit_end) caret_from = column, from_set = true;
    if (!to_set && mark_end <= unit_begin) caret_to = column, to_set = true;
    column += UnitShown(text, pos, unit, column, &snippet.line);
    pos += unit.length;
  }
  if (!from_set) caret_from = column;
  if (!to_set) caret_to = column;
  if (pos < text.size()) snippet.line.append(kEllipsis);
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
  // Located notes first, each at its place; then the detail notes, indented
  // under the finding like the fix line.
  for (const Note& note : d.notes) {
    if (IsDetail(note)) continue;
    fmt::format_to(std::back_inserter(*out), "{}{}:{} {}note:{} {}\n", p.bold,
                   Where(Resolve(note.location)), p.reset, p.note, p.reset,
                   TerminalSafe(note.message));
  }
  for (const Note& note : d.notes) {
    if (!IsDetail(note)) continue;
    fmt::format_to(std::back_inserter(*out), "  {}note:{} {}\n", p.note, p.reset,
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
