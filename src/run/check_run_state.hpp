// CheckRun: the state of one `postvet check` run between its stages
// (src/run/check_run.hpp describes the pipeline). Internal to src/run:
// Plan() in check_run.cpp, LintTarget() in lint_target.cpp (on worker
// threads: lint_parallel.cpp), Finish() in finish_check.cpp.
//
// Contract: every stage returns std::nullopt to go on, or the exit code to
// stop with (a tool error's message already printed). Diagnostics point
// into the loaded contexts, so those outlive the report: they and the
// findings are kept until the process exits (src/keep_until_exit.hpp).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "src/run/stdin_input.hpp"
#include "src/engine/diagnostic.hpp"
#include "src/fix/dir_lock.hpp"
#include "src/fix/transaction.hpp"
#include "src/config/loader.hpp"
#include "src/probe/probe_report.hpp"
#include "src/report/reporter.hpp"
#include "src/run/check_run.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"
#include "src/template/static_view.hpp"

namespace postvet::run {

using Exit = std::optional<int>;

/// A file --fix rewrites: its bytes before and after.
struct FixWrite {
  std::string path;
  std::string before;
  std::string after;
};

/// What linting one target gave (CheckRun::LintAlone), for Merge() to fold
/// into the run: nothing in it points into the run's state.
struct TargetOutcome {
  std::optional<std::string> error;  // a tool error: the run stops with it
  std::set<std::string> reported;    // displays of the files whose findings count
  std::vector<std::pair<std::string, std::string>> template_notices;  // display, notice line
  std::vector<Diagnostic> found;
  std::unique_ptr<probe::ProbeResults> probe;  // --probe: what the findings point into
  std::string probe_table;
  size_t fixes_applied = 0;
  std::string patch;                          // --diff
  std::vector<FixWrite> writes;               // --fix
  std::vector<std::unique_ptr<Source>> sources;        // what the findings point into
  std::vector<std::shared_ptr<const tmpl::TemplateInfo>> templates;  // and the templates rendered with vars
  std::vector<std::unique_ptr<LintContext>> whole;     // a lone target's contexts, kept whole
};

class CheckRun {
 public:
  CheckRun(const CheckRequest& request, std::vector<Diagnostic>* all);

  /// Targets, stdin, format, load options, --fix locks, probe options.
  Exit Plan();
  /// --show-settings: each target's effective settings; lint nothing.
  int ShowSettings() const;
  bool show_settings() const { return opt_.show_settings; }
  /// Loads, probes, lints and fixes every target in turn.
  Exit LintTargets();
  /// Writes the fixes, the baseline or the report; the exit code.
  int Finish();

 private:
  Exit LintTarget(const Target& t);
  /// --fail-on, else the target's fail_on, else warning (and the lowest so far).
  Severity TargetFailOn(const ProjectConfig& config);
  /// Loads, probes, lints and fixes `t`; reads the run's settings only
  /// (safe on several threads at once).
  TargetOutcome LintAlone(const Target& t, const ProjectConfig& config) const;
  /// Folds `out` into the run (prints its template notices, its error).
  Exit Merge(const Target& t, Severity target_fail_on, TargetOutcome out);
  /// Whether LintTargets() uses worker threads (src/run/lint_parallel.cpp).
  bool Parallel() const;
  Exit LintTargetsInParallel();
  bool FilterByBaseline();
  bool Failing() const;

  const CheckRequest& opt_;
  std::string cwd_;
  std::vector<std::string> paths_;
  StdinPlan stdin_plan_;
  std::map<std::string, std::string> stdin_overlay_;  // its name -> its bytes
  std::vector<Target> targets_;
  Format format_ = Format::kText;
  std::optional<Severity> cli_fail_on_;
  LoadOptions load_options_;
  DirLocks fix_locks_;        // --fix: one run at a time per directory given
  FixTransaction fix_writes_;  // every file --fix changes, written together after linting
  size_t fixes_applied_ = 0;
  std::optional<probe::ProbeOptions> probe_options_;
  std::vector<std::unique_ptr<probe::ProbeResults>> probes_;  // live as long as the contexts
  std::string probe_tables_;                                  // appended to the text report
  std::vector<Diagnostic>& all_;
  std::set<std::string> checked_;  // baseline keys of the files reported on
  std::string patch_;
  // --fail-on, else the target's .postvet.cf fail_on, else warning; each
  // finding is judged by the threshold of the configuration it comes from.
  std::map<std::string, Severity> fail_on_by_file_;  // display -> threshold
  std::optional<Severity> lowest_fail_on_;           // for findings without a file
  // Files given one by one (pre-commit): a configuration loaded for some of
  // them reports on all of them it reads; the rest are linted alone.
  std::set<std::string> given_;    // their display paths
  std::set<std::string> covered_;  // display paths some context reported on
  std::set<std::string> templates_said_;  // template files whose notice is printed (template_notice.hpp)
};

}  // namespace postvet::run
