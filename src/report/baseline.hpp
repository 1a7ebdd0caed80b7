// Baseline: adopting postvet on an existing configuration without fixing
// everything first. `check --generate-baseline FILE` records today's
// findings; `check --baseline FILE` hides them and reports only new ones.
//
// A finding is keyed on its file (as displayed, relative to the current
// directory: DisplayPath), its rule id and what it is about
// (Diagnostic::subject: the parameter, zone, service or pattern), never on a
// line number, so adding lines above a known finding does not make it new.
// A rule that sets no subject is keyed on the bytes it flags (at most
// kMaxFlaggedKeyBytes of them). Keys that occur several times are stored
// once with a count, and matching counts: an entry with count 3 hides at
// most 3 findings of its key, so a fourth copy of a known problem is new.
//
// The file is JSON, version 1, entries sorted by file, rule, subject:
//   {"version": 1, "entries": [{"file": "hosts/mx1/main.cf", "rule": "PV203",
//     "subject": "dnsbl.sorbs.net", "count": 1}]}
// Strings are UTF-8; invalid UTF-8 in a subject is keyed as U+FFFD on both
// sides so such findings still match after a round trip.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/base/status.hpp"

namespace postvet {

/// Version of the baseline file format written and accepted.
inline constexpr int kBaselineVersion = 1;
/// How many flagged bytes key a finding whose rule sets no subject.
inline constexpr size_t kMaxFlaggedKeyBytes = 200;

/// One key and how many findings of it the baseline accepts.
struct BaselineEntry {
  std::string file;
  std::string rule;
  std::string subject;
  uint32_t count = 1;
};

struct Baseline {
  std::vector<BaselineEntry> entries;  // sorted by (file, rule, subject), keys unique
};

/// What ApplyBaseline() leaves.
struct BaselineOutcome {
  std::vector<Diagnostic> kept;        // findings the baseline does not cover (new ones)
  size_t hidden = 0;                   // findings the baseline covered
  std::vector<BaselineEntry> stale;    // entries (count = how many unmatched) no longer found
};

/// How a file shown as `display` is named in the baseline (relative to `cwd`).
std::string BaselineFileKey(std::string_view display, std::string_view cwd);

/// The key of `d`: file shown relative to `cwd`, rule id, subject.
BaselineEntry BaselineKeyOf(const Diagnostic& d, std::string_view cwd);

/// The baseline that accepts exactly `diagnostics`.
Baseline MakeBaseline(const std::vector<Diagnostic>& diagnostics, std::string_view cwd);

/// The baseline file's text (ends with a newline).
std::string SerializeBaseline(const Baseline& baseline);
/// SerializeBaseline(), handed to `write` in pieces of about 64 KiB.
void SerializeBaselineTo(const Baseline& baseline, const std::function<void(std::string_view)>& write);

/// Parses a baseline file's text; `name` is used in error messages. Repeated
/// keys are merged (counts added).
Result<Baseline> ParseBaseline(std::string_view text, std::string_view name);

/// Reads and parses the baseline file at `path`.
Result<Baseline> ReadBaseline(const std::string& path);

/// Splits `diagnostics` into new findings and those the baseline covers.
/// Findings are matched in report order (ReportOrderLess), so when there are
/// more findings of a key than its count, the last ones are the new ones.
/// Stale entries are reported only for files in `checked_files` (as
/// BaselineFileKey names them): a run over part of a repository (pre-commit)
/// says nothing about the files it did not read.
BaselineOutcome ApplyBaseline(const Baseline& baseline, std::vector<Diagnostic> diagnostics,
                              const std::set<std::string>& checked_files, std::string_view cwd);

/// The --baseline-report text (for stderr): a count line naming
/// `baseline_name`, then one line per stale entry. File names and subjects
/// come from input, so the text is escaped for the terminal
/// (src/base/printable.hpp). Ends with a newline.
std::string RenderStaleReport(std::string_view baseline_name, const std::vector<BaselineEntry>& stale);

}  // namespace postvet
