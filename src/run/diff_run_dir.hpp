// Internal to src/run: one directory's `postvet diff` (diff_run.cpp), used
// on its own and once per config dir of a fleet (diff_run_fleet.cpp).
//
// Contract: DiffOnce() loads OLD (none when `old_path` is empty: a config
// dir that is new since the revision, whose findings are then all new) and
// NEW (read from `new_path`, shown as `new_display`) with NEW's .postvet.cf (or --config), lists the changes, marks
// postvet's safe fixes, and keeps the findings NEW introduces. The result
// points into the files' Sources, which are kept until the process exits;
// with `keep_whole` the whole contexts are (one big configuration: freeing
// its compiled tables costs time), else their trees and models are freed.
// Reads OLD completely before returning, so a scratch directory holding it
// may go right after.
#pragma once

#include <string>
#include <vector>

#include "src/base/status.hpp"
#include "src/run/diff_report.hpp"
#include "src/run/diff_run.hpp"

namespace postvet::run {

struct DirDiff {
  DiffResult result;
  bool failing = false;  // a new finding at or above fail_on, or an unacknowledged risky change
  std::vector<Diagnostic> resolved;  // DeletedDirDiff(): OLD's findings, gone with the dir
};

Result<DirDiff> DiffOnce(const std::string& old_path, const std::string& old_display, const std::string& new_path,
                         const std::string& new_display, const DiffRequest& opt, bool keep_whole);

/// A config dir deleted since the revision: OLD (at `old_path`, shown as
/// `old_display`) is linted with the .postvet.cf that governs
/// `config_path` (or --config); no changes, no new findings, OLD's
/// findings in `resolved`; never failing. Sources kept until exit.
Result<DirDiff> DeletedDirDiff(const std::string& old_path, const std::string& old_display,
                               const std::string& config_path, const DiffRequest& opt);

/// `diff --git REV ROOT` where ROOT is a directory of config dirs: each
/// config dir below it compared with its version at REV; the exit code.
int RunFleetDiff(const DiffRequest& opt, const std::string& root);

}  // namespace postvet::run
