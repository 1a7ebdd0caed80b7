// `postvet diff OLD NEW` and `postvet diff --git REV [PATH]`: review a
// configuration change. Reports what changed in the effective configuration
// (src/diff/config_diff.hpp), classified risky / notable / cosmetic, and the
// findings the change introduces (rules run on both versions; a finding of
// NEW whose rule, file and subject OLD does not have is new). Exit 1 when
// the change introduces findings at or above --fail-on, or makes a risky
// change that no `# postvet: expect-change=SUBJECT` comment in NEW
// acknowledges; 2 when it cannot do its job. Changes that are exactly
// postvet's safe fixes of OLD are reported as "safe-fix" and need no
// acknowledgement. Input-derived text is escaped (src/base/printable.hpp).
// The options become a run::DiffRequest; the pipeline is src/run/diff_run.hpp.
#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"
#include "src/run/diff_run.hpp"

namespace postvet {

void AddDiffCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<run::DiffRequest>();
  CLI::App* cmd = app.add_subcommand("diff", "Review a change: what the effective configuration gains or loses between two versions");
  cmd->add_option("paths", opt->paths, "OLD NEW (config dirs or files), or with --git: PATH (default .)");
  cmd->add_option("--git", opt->git_rev, "Compare PATH as of this git revision with the working tree");
  cmd->add_option("--format", opt->format, "text, json, or a CI format for the new findings (sarif, github, gitlab, checkstyle, gcc)");
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity of a new finding that makes the exit code 1 (default: fail_on in .postvet.cf, else warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->callback([opt, exit_code] { *exit_code = run::RunDiff(*opt); });
}

}  // namespace postvet
