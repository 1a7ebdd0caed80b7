// Internal to src/report/: what every format renderer receives, the position
// helpers they share, and one Render<Format>() per format file. Only
// reporter.cpp calls the renderers; everything else uses reporter.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/report/reporter.hpp"
#include "src/engine/rule_info.hpp"
#include "src/base/source.hpp"

namespace postvet::report {

/// The input of one report: diagnostics already in report order.
struct ReportContext {
  std::vector<const Diagnostic*> diagnostics;
  const std::vector<RuleInfo>* rules = nullptr;
  const ReportOptions* options = nullptr;

  /// Set by RenderTo(): takes output as it is produced. Every format calls
  /// Flush() between findings; the rest of the output is returned.
  std::function<void(std::string_view)> write;

  /// Position of rule `id` in *rules, if it is there.
  std::optional<size_t> RuleIndex(std::string_view id) const;

  /// How much output Flush() lets build up before handing it on.
  static constexpr size_t kChunkBytes = 64 * 1024;

  /// Hands `*out` to `write` (and empties it) once it holds a sizeable chunk.
  /// A renderer calls it only where `*out` ends a piece it will not touch
  /// again (JsonWriter only appends, so mid-document is fine).
  void Flush(std::string* out) const {
    if (write && out->size() >= kChunkBytes) {
      write(*out);
      out->clear();
    }
  }
};

/// A byte range resolved to lines and columns. Offsets are clamped to the
/// source, so a buggy range prints instead of crashing.
struct Span {
  const Source* source = nullptr;  // never null
  uint32_t begin = 0;
  uint32_t end = 0;
  LineCol start;  // of begin
  LineCol stop;   // of end (exclusive)
};

/// Resolves [begin, end) of `source` (null: an empty unnamed source).
Span Resolve(const Source* source, uint32_t begin, uint32_t end);
inline Span Resolve(const Location& location) {
  return Resolve(location.source, location.begin, location.end);
}
/// An edit's span; an edit without its own source edits the diagnostic's.
inline Span Resolve(const Edit& edit, const Diagnostic& diagnostic) {
  return Resolve(edit.source != nullptr ? edit.source : diagnostic.location.source, edit.begin,
                 edit.end);
}

/// Whether `note` is a detail note: more text about the finding (why it
/// matters, what Postfix says, what to do) with no place of its own
/// (docs/messages.md). A located note ("first defined here") has a source.
inline bool IsDetail(const Note& note) { return note.location.source == nullptr; }

/// The message with the finding's detail notes appended as further
/// sentences ("message. Detail one. Detail two."), for the formats that
/// carry one text per finding (SARIF, GitHub, GitLab): the first sentence
/// stays the summary. Without detail notes, the message unchanged.
std::string MessageWithDetails(const Diagnostic& d);

/// "safe" or "unsafe".
std::string_view ApplicabilityName(Applicability applicability);

/// How a fix is announced to people: "fix (safe)" or
/// "fix (unsafe, use --unsafe-fixes)"; the description follows after ": ".
std::string_view FixLabel(const Fix& fix);

/// 1-based column of `offset` counted in code points (an invalid UTF-8 byte
/// counts as one), for SARIF and GitHub.
uint32_t CodePointColumn(const Source& source, uint32_t offset);

/// CodePointColumn() for many findings in report order: counts on from the
/// nearest earlier offset already counted on the same line (a few cursors,
/// so that ranges, fix regions and notes can interleave), so thousands of
/// findings on one long line cost linear time, not quadratic. One instance
/// per render (it remembers Sources by address).
class CodePointColumns {
 public:
  uint32_t operator()(const Source& source, uint32_t offset);

 private:
  struct Cursor {
    const Source* source = nullptr;
    uint32_t line_start = 0;
    uint32_t offset = 0;  // a unit boundary on that line
    uint32_t count = 0;   // code points in [line_start, offset)
  };
  Cursor cursors_[4];
  size_t next_victim_ = 0;
};

/// The file name CI services want: relative to `working_directory` when the
/// name is absolute and below it, without leading "./".
std::string CiPath(std::string_view display, std::string_view working_directory);

std::string RenderText(const ReportContext& context);
std::string RenderGcc(const ReportContext& context);
std::string RenderJson(const ReportContext& context);
std::string RenderSarif(const ReportContext& context);
std::string RenderGithub(const ReportContext& context);
std::string RenderGitlab(const ReportContext& context);
std::string RenderCheckstyle(const ReportContext& context);

}  // namespace postvet::report
