// The `postvet check` pipeline as one object: plan the targets (paths,
// stdin), then for each configuration read its .postvet.cf, load it, probe
// it (--probe), lint it and repeat fixing on the fixed text (--fix/--diff,
// at most kMaxFixPasses), then write the fixes in one transaction, apply or
// record the baseline and render the report. src/cli/check_command.cpp
// parses the options into a CheckRequest and calls RunCheck().
//
// Contract: RunCheck() returns the exit code (0, 1 for findings at or
// above fail_on, 2 for a tool error, whose message is printed on stderr).
// With --fix, the directories given are locked against a second --fix
// from reading to writing (src/fix/dir_lock.hpp), every changed file of
// every target is written together (src/fix/transaction.hpp), and a
// one-line summary ends on stderr. The findings reported are those left
// after fixing, minus those a --baseline accepts (src/baseline.hpp).
#pragma once

#include <string>
#include <vector>

#include "src/probe/probe_session.hpp"

namespace postvet::run {

/// What `postvet check` was asked to do (its options).
struct CheckRequest {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string output;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string fail_on;
  std::string postfix_version;
  bool diff = false;
  bool fix = false;
  bool unsafe_fixes = false;
  std::string config;
  std::string root;
  std::string type;
  std::string template_kind;  // --template: auto, none, jinja, erb, go (docs/templates.md)
  std::string vars;           // --vars: JSON or YAML file of template variables (docs/templates.md)
  std::string color = "auto";
  std::string baseline;
  std::string generate_baseline;
  bool baseline_report = false;
  bool probe = false;                    // --probe: query the DNS lists live (PV9xx)
  probe::ProbeSettings probe_settings;
  bool statistics = false;     // --statistics: counts per rule instead of the findings
  bool show_settings = false;  // --show-settings: effective .postvet.cf settings; no lint
  std::string stdin_filename;  // --stdin-filename: the name of `-` (src/run/stdin_input.hpp)
  unsigned jobs = 0;           // --jobs: worker threads for many config dirs (0: the online CPUs)
};

/// Runs the whole check; the exit code.
int RunCheck(const CheckRequest& request);

}  // namespace postvet::run
