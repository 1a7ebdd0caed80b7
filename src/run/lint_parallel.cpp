// `check -j N` (src/run/check_run.hpp): the config dirs of a run linted on
// N worker threads, folded into the run in target order, so the report,
// the fixes, the template notices and the exit code are those of the
// serial run (src/run/ordered_pool.hpp).
//
// Used only where that order is all that matters: several targets, every
// one a whole config dir (no files given one by one, whose coverage
// depends on the targets before them), no standard input, no --probe (the
// live probe's network traffic stays one configuration at a time). The
// .postvet.cf of every target is read first, on the calling thread, in
// order (its warnings are printed once each, from one thread); a target
// whose .postvet.cf cannot be read ends the run there, after the targets
// before it, as in the serial run. Each worker frees a target's trees and
// models before it takes the next: at most N configurations are loaded at
// once.
#include <unistd.h>

#include <algorithm>

#include "src/run/check_run_state.hpp"
#include "src/run/ordered_pool.hpp"

namespace postvet::run {

unsigned OnlineCpus() {
  const long n = ::sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1U : static_cast<unsigned>(std::min(n, 1024L));
}

bool CheckRun::Parallel() const {
  const unsigned jobs = opt_.jobs == 0 ? OnlineCpus() : opt_.jobs;
  if (jobs < 2 || targets_.size() < 2 || stdin_plan_.used || probe_options_) return false;
  return std::all_of(targets_.begin(), targets_.end(), [](const Target& t) { return t.is_dir && !t.partial; });
}

Exit CheckRun::LintTargetsInParallel() {
  std::vector<ProjectConfig> configs;
  std::optional<std::string> config_error;  // of targets_[configs.size()]
  for (const Target& t : targets_) {
    Result<ProjectConfig> config = ProjectConfigFor(t.path, opt_.config, opt_.postfix_version);
    if (!config.ok()) {
      config_error = config.status().message();
      break;
    }
    configs.push_back(std::move(config.value()));
  }
  const unsigned jobs = opt_.jobs == 0 ? OnlineCpus() : opt_.jobs;
  Exit exit;
  RunOrdered<TargetOutcome>(
      configs.size(), jobs, [&](size_t i) { return LintAlone(targets_[i], configs[i]); },
      [&](size_t i, TargetOutcome out) {
        exit = Merge(targets_[i], TargetFailOn(configs[i]), std::move(out));
        return !exit.has_value();
      });
  if (exit) return exit;
  if (config_error) return ToolError(*config_error);
  return std::nullopt;
}

}  // namespace postvet::run
