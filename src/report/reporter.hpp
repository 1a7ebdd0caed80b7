// Reporters: how postvet prints diagnostics, one output format per file
// behind this one entry point (DESIGN.md "report/"). Render() sorts the
// diagnostics (file, line, column, rule) and produces the complete output of
// one run as a string; RenderTo() hands the same bytes on in chunks as they
// are produced, which is how the CLI writes stdout and --output. Every format
// is deterministic: the same diagnostics give the same bytes, whatever order
// they come in. The unified diff of fixes is not a format here: --diff is
// src/fix/unified_diff.
//
// Positions: lines are 1-based everywhere. Columns are 1-based byte columns in
// text, gcc, json and checkstyle (DESIGN.md's JSON contract); SARIF and
// GitHub count code points (SARIF declares run.columnKind
// "unicodeCodePoints"). End positions are exclusive: the end column is the
// column just past the range, as in SARIF and ruff.
//
// Notes: a Note with a source is a located note ("first defined here"),
// printed at its place; a Note without one is a detail note (why it
// matters, what to do; docs/messages.md), which each format attaches to its
// finding: text as an indented "  note:" line, gcc as a note line at the
// finding's position, json as a note without file/line/column, SARIF,
// GitHub and GitLab as further sentences of the message, checkstyle not at
// all. Located notes come before detail notes.
//
// Every Location and Edit is expected to point into a live Source; a null
// source is printed as an empty, unnamed file at 1:1 rather than crash, and
// out-of-range offsets are clamped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/engine/rule_info.hpp"

namespace postvet {

/// The output formats of `postvet check --format`.
enum class Format { kText, kGcc, kJson, kSarif, kGithub, kGitlab, kCheckstyle };

/// Every format, in the order `--help` lists them.
inline constexpr Format kAllFormats[] = {Format::kText,   Format::kGcc,    Format::kJson,
                                         Format::kSarif,  Format::kGithub, Format::kGitlab,
                                         Format::kCheckstyle};

/// "text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle".
std::string_view FormatName(Format format);
/// The inverse of FormatName(); nullopt for an unknown name.
std::optional<Format> FormatFromName(std::string_view name);

/// What the caller knows about the run, beyond the diagnostics.
struct ReportOptions {
  /// ANSI colours in the text format (the CLI decides: tty, --color, NO_COLOR).
  bool color = false;
  /// Reported as tool.version (json, sarif).
  std::string_view tool_version = POSTVET_VERSION;
  /// SARIF tool.driver.informationUri; omitted when empty.
  std::string_view information_uri;
  /// Absolute directory the run started in (no trailing slash needed). When
  /// set, SARIF and GitLab report absolute paths below it relative to it, and
  /// SARIF names it as the %SRCROOT% base. Other formats print paths as given.
  std::string_view working_directory;
  /// Absolute directory holding the rule docs <ID>.md, for SARIF helpUri.
  /// Empty: those of the installed program (BINDIR/../share/doc/postvet/rules
  /// beside the running binary when it exists, else the build's
  /// CMAKE_INSTALL_FULL_DOCDIR/rules).
  std::string_view rule_doc_dir;
};

/// The complete output for `diagnostics` in `format`. `rules` is the rule
/// registry's metadata: SARIF lists it as tool.driver.rules (with each rule's
/// doc as help) and indexes results into it. Diagnostics whose rule is not in
/// `rules` are still printed.
std::string Render(Format format, const std::vector<Diagnostic>& diagnostics,
                   const std::vector<RuleInfo>& rules, const ReportOptions& options);

/// Render(), handing the output to `write` piece by piece: every format
/// streams as it goes, in chunks of about 64 KiB cut between findings (and
/// between SARIF's rule descriptors), so that a report of a million findings
/// never sits in memory whole. The bytes are those of Render(), whatever
/// the chunking; `write` is called at least once.
void RenderTo(Format format, const std::vector<Diagnostic>& diagnostics, const std::vector<RuleInfo>& rules,
              const ReportOptions& options, const std::function<void(std::string_view)>& write);

/// Whether `a` comes before `b` in every report: by file display name, line,
/// column, rule id, then end and message so that equal positions stay
/// deterministic.
bool ReportOrderLess(const Diagnostic& a, const Diagnostic& b);

}  // namespace postvet
