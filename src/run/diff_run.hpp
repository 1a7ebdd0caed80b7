// The `postvet diff` pipeline: load OLD and NEW (or NEW and its version at a
// git revision, exported to a scratch directory), list what changed in the
// effective configuration (src/diff/config_diff.hpp), mark the changes that
// are exactly postvet's safe fixes of OLD, lint both versions and keep the
// findings NEW introduces, then render (src/run/diff_report.hpp).
// src/cli/diff_command.cpp parses the options into a DiffRequest and calls
// RunDiff().
//
// Contract: RunDiff() returns the exit code: 1 when the change introduces a
// finding at or above --fail-on (else .postvet.cf's fail_on, else warning)
// or makes a risky change no `# postvet: expect-change=SUBJECT` in NEW
// acknowledges; 2 for a tool error (its message, escaped, on stderr); else
// 0. The scratch directory is gone before anything is printed.
#pragma once

#include <string>
#include <vector>

namespace postvet::run {

/// What `postvet diff` was asked to do (its options).
struct DiffRequest {
  std::vector<std::string> paths;
  std::string git_rev;
  std::string format = "text";
  std::string fail_on;  // empty: .postvet.cf's fail_on, else warning
  std::string config;
};

/// Runs the whole diff; the exit code.
int RunDiff(const DiffRequest& request);

}  // namespace postvet::run
