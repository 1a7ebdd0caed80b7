#include "src/report/reporter.hpp"

#include <algorithm>
#include <iterator>
#include <tuple>

#include "src/report/formats.hpp"
#include "src/base/utf8.hpp"

namespace postvet {

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kText: return "text";
    case Format::kGcc: return "gcc";
    case Format::kJson: return "json";
    case Format::kSarif: return "sarif";
    case Format::kGithub: return "github";
    case Format::kGitlab: return "gitlab";
    case Format::kCheckstyle: return "checkstyle";
  }
  return "?";
}

std::optional<Format> FormatFromName(std::string_view name) {
  for (Format format : kAllFormats) {
    if (FormatName(format) == name) return format;
  }
  return std::nullopt;
}

namespace {

const Source& EmptySource() {
  static const Source* const kEmpty = new Source("", "", "");
  return *kEmpty;
}

const Source& SourceOf(const Source* source) { return source != nullptr ? *source : EmptySource(); }

}  // namespace

bool ReportOrderLess(const Diagnostic& a, const Diagnostic& b) {
  const Source& sa = SourceOf(a.location.source);
  const Source& sb = SourceOf(b.location.source);
  // Within one file, byte order is line-then-column order. Offsets are
  // clamped as Resolve() clamps them, so the order matches what is printed.
  const uint32_t a_begin = std::min(a.location.begin, sa.size());
  const uint32_t b_begin = std::min(b.location.begin, sb.size());
  return std::tie(sa.display(), sa.path(), a_begin, a.rule_id, a.location.end, a.message) <
         std::tie(sb.display(), sb.path(), b_begin, b.rule_id, b.location.end, b.message);
}

namespace {

std::string RenderWith(Format format, const std::vector<Diagnostic>& diagnostics, const std::vector<RuleInfo>& rules,
                       const ReportOptions& options, const std::function<void(std::string_view)>& write) {
  report::ReportContext context;
  context.write = write;
  context.rules = &rules;
  context.options = &options;
  context.diagnostics.reserve(diagnostics.size());
  for (const Diagnostic& d : diagnostics) context.diagnostics.push_back(&d);
  // The one place report order is decided; stable so that full ties keep
  // the caller's order.
  std::stable_sort(context.diagnostics.begin(), context.diagnostics.end(),
                   [](const Diagnostic* a, const Diagnostic* b) { return ReportOrderLess(*a, *b); });
  switch (format) {
    case Format::kText: return report::RenderText(context);
    case Format::kGcc: return report::RenderGcc(context);
    case Format::kJson: return report::RenderJson(context);
    case Format::kSarif: return report::RenderSarif(context);
    case Format::kGithub: return report::RenderGithub(context);
    case Format::kGitlab: return report::RenderGitlab(context);
    case Format::kCheckstyle: return report::RenderCheckstyle(context);
  }
  return {};
}

}  // namespace

std::string Render(Format format, const std::vector<Diagnostic>& diagnostics,
                   const std::vector<RuleInfo>& rules, const ReportOptions& options) {
  return RenderWith(format, diagnostics, rules, options, nullptr);
}

void RenderTo(Format format, const std::vector<Diagnostic>& diagnostics, const std::vector<RuleInfo>& rules,
              const ReportOptions& options, const std::function<void(std::string_view)>& write) {
  write(RenderWith(format, diagnostics, rules, options, write));
}

namespace report {

std::optional<size_t> ReportContext::RuleIndex(std::string_view id) const {
  for (size_t i = 0; i < rules->size(); ++i) {
    if ((*rules)[i].id == id) return i;
  }
  return std::nullopt;
}

Span Resolve(const Source* source, uint32_t begin, uint32_t end) {
  Span span;
  span.source = &SourceOf(source);
  span.begin = std::min(begin, span.source->size());
  span.end = std::clamp(end, span.begin, span.source->size());
  span.start = span.source->Locate(span.begin);
  span.stop = span.source->Locate(span.end);
  return span;
}

std::string MessageWithDetails(const Diagnostic& d) {
  std::string text = d.message;
  const auto end_sentence = [&text] {
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') {
      text.push_back('.');
    }
  };
  bool any = false;
  for (const Note& note : d.notes) {
    if (!IsDetail(note) || note.message.empty()) continue;
    end_sentence();
    if (!text.empty()) text.push_back(' ');
    text.append(note.message);
    any = true;
  }
  if (any) end_sentence();
  return text;
}

std::string_view ApplicabilityName(Applicability applicability) {
  return applicability == Applicability::kSafe ? "safe" : "unsafe";
}

std::string_view FixLabel(const Fix& fix) {
  return fix.applicability == Applicability::kSafe ? "fix (safe)"
                                                   : "fix (unsafe, use --unsafe-fixes)";
}

uint32_t CodePointColumn(const Source& source, uint32_t offset) {
  const uint32_t line_start = source.LineStart(source.Locate(offset).line);
  return CountCodePoints(source.Slice(line_start, offset)) + 1;
}

uint32_t CodePointColumns::operator()(const Source& source, uint32_t offset) {
  const uint32_t line_start = source.LineStart(source.Locate(offset).line);
  Cursor* best = nullptr;
  for (Cursor& c : cursors_) {
    if (c.source == &source && c.line_start == line_start && c.offset <= offset &&
        (best == nullptr || c.offset > best->offset)) {
      best = &c;
    }
  }
  if (best == nullptr) {
    best = &cursors_[next_victim_];
    next_victim_ = (next_victim_ + 1) % std::size(cursors_);
    *best = Cursor{&source, line_start, line_start, 0};
  }
  // Whole units up to `offset`; a unit cut by `offset` is counted as the
  // bytes of the cut slice are, exactly as CodePointColumn() does.
  const std::string_view text = source.text();
  while (best->offset < offset) {
    const Utf8Unit unit = DecodeUtf8(text, best->offset);
    if (best->offset + unit.length > offset) break;
    best->offset += unit.length;
    ++best->count;
  }
  return best->count + CountCodePoints(source.Slice(best->offset, offset)) + 1;
}

std::string CiPath(std::string_view display, std::string_view working_directory) {
  if (!working_directory.empty() && !display.empty() && display.front() == '/') {
    std::string_view dir = working_directory;
    while (!dir.empty() && dir.back() == '/') dir.remove_suffix(1);
    if (display.size() > dir.size() + 1 && display.substr(0, dir.size()) == dir &&
        display[dir.size()] == '/') {
      display.remove_prefix(dir.size() + 1);
    }
  }
  while (display.substr(0, 2) == "./") display.remove_prefix(2);
  return std::string(display);
}

}  // namespace report
}  // namespace postvet
