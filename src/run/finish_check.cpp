// The last stage of the check pipeline (src/run/check_run.hpp): write the
// fixes, record or apply the baseline, decide the exit code and render the
// report (or the patch, or the statistics).
#include <cstdio>
#include <cstdlib>

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/report/baseline.hpp"
#include "src/run/check_statistics.hpp"
#include "src/base/exit_codes.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/summary.hpp"
#include "src/base/printable.hpp"
#include "src/run/check_run_state.hpp"
#include "src/run/report_file.hpp"
#include "src/run/run_common.hpp"

namespace postvet::run {
namespace {

// Writes a report or baseline file, creating it when it does not exist yet.
bool WriteOutputFile(const std::string& path, const std::string& text) {
  return WriteReportFile(path, [&text](const WriteFn& write) { write(text); });
}

}  // namespace

// --baseline: drops the findings the baseline accepts; lists its stale
// entries on stderr with --baseline-report. False when it cannot be read.
bool CheckRun::FilterByBaseline() {
  Result<Baseline> baseline = ReadBaseline(opt_.baseline);
  if (!baseline.ok()) {
    fmt::print(stderr, "postvet: {}\n", report::TerminalSafe(baseline.status().message()));
    return false;
  }
  BaselineOutcome outcome = ApplyBaseline(baseline.value(), std::move(all_), checked_, cwd_);
  all_ = std::move(outcome.kept);
  if (!opt_.baseline_report) return true;
  const std::string stale_report = RenderStaleReport(opt_.baseline, outcome.stale);  // escaped
  std::fwrite(stale_report.data(), 1, stale_report.size(), stderr);
  return true;
}

bool CheckRun::Failing() const {
  bool failing = false;
  for (const Diagnostic& d : all_) {
    Severity threshold = lowest_fail_on_.value_or(Severity::kWarning);
    if (d.location.source != nullptr) {
      auto it = fail_on_by_file_.find(d.location.source->display());
      if (it != fail_on_by_file_.end()) threshold = it->second;
    }
    failing = failing || d.severity >= threshold;
  }
  return failing;
}

int CheckRun::Finish() {
  size_t files_fixed = 0;
  if (opt_.fix) {
    CommitReport written;
    Status st = fix_writes_.Commit(&written);
    if (!st.ok()) return ToolError(st.message());
    files_fixed = written.changed.size();
  }
  if (!opt_.generate_baseline.empty()) {
    const Baseline baseline = MakeBaseline(all_, cwd_);
    const bool written = WriteReportFile(opt_.generate_baseline,
                                         [&baseline](const WriteFn& write) { SerializeBaselineTo(baseline, write); });
    if (!written) return kExitError;
    fmt::print(stderr, "postvet: {}: recorded {} finding{} as {} baseline entr{}\n", opt_.generate_baseline,
               all_.size(), all_.size() == 1 ? "" : "s", baseline.entries.size(),
               baseline.entries.size() == 1 ? "y" : "ies");
    return kExitOk;
  }
  if (!opt_.baseline.empty() && !FilterByBaseline()) return kExitError;
  const int findings_exit = Failing() ? kExitFindings : kExitOk;
  // --fix ends with one line saying what it did and what is left.
  auto fix_summary = [&] {
    if (opt_.fix) {
      fmt::print(stderr, "postvet: {}\n", FixSummary(fixes_applied_, files_fixed, all_, opt_.unsafe_fixes));
    }
  };
  if (opt_.diff) {
    std::fwrite(patch_.data(), 1, patch_.size(), stdout);
    fix_summary();
    return findings_exit;
  }
  if (opt_.statistics) {
    const std::string stats = RenderStatistics(all_, format_ == Format::kJson);
    if (opt_.output.empty()) {
      std::fwrite(stats.data(), 1, stats.size(), stdout);
    } else if (!WriteOutputFile(opt_.output, stats)) {
      return kExitError;
    }
    return findings_exit;
  }
  ReportOptions ro;
  ro.color = WantColor(opt_.color, opt_.output);
  ro.working_directory = cwd_;
  if (opt_.output.empty()) {
    auto write = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
    RenderTo(format_, all_, AllRuleInfos(), ro, write);
    if (format_ == Format::kText) write(probe_tables_);
    std::fflush(stdout);
    fix_summary();
    return findings_exit;
  }
  const bool written = WriteReportFile(opt_.output, [&](const WriteFn& write) {
    RenderTo(format_, all_, AllRuleInfos(), ro, write);
    if (format_ == Format::kText) write(probe_tables_);
  });
  if (!written) return kExitError;
  fix_summary();
  return findings_exit;
}

}  // namespace postvet::run
