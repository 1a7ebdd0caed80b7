// `postvet check [PATH...]`: lint config dirs or files, report, fix. The
// options become a run::CheckRequest; the pipeline (targets, load, probe,
// lint, fix loop, baseline, report) is src/run/check_run.hpp.
#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/cli/probe_options.hpp"
#include "rules/rule_selector.hpp"
#include "src/run/check_run.hpp"

namespace postvet {

void AddCheckCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<run::CheckRequest>();
  CLI::App* cmd = app.add_subcommand("check", "Lint config dirs or files (the default command)");
  cmd->add_option("paths", opt->paths,
                  "Config dirs, directories of them, or files (default: the git work tree here, else /etc/postfix)");
  cmd->add_option("--format", opt->format, "auto, text, gcc, json, sarif, github, gitlab, checkstyle")
      ->check(CLI::IsMember({"auto", "text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"}));
  cmd->add_option("--output", opt->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--select", opt->select, "Only these rules (IDs, prefixes such as PV2, or slugs)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(SelectorError, "RULE");
  cmd->add_option("--ignore", opt->ignore, "Skip these rules")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(SelectorError, "RULE");
  cmd->add_option("--fail-on", opt->fail_on,
                  "Lowest severity that makes the exit code 1 (default: fail_on in .postvet.cf, else warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--postfix-version", opt->postfix_version, "Target Postfix version (default 3.7, or what compatibility_level implies)")
      ->check(PostfixVersionError, "VERSION");
  cmd->add_flag("--diff", opt->diff, "Print the fixes as a unified diff; change nothing");
  cmd->add_flag("--fix", opt->fix, "Apply the safe fixes");
  cmd->add_flag("--unsafe-fixes", opt->unsafe_fixes, "Also apply fixes that change behaviour");
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--type", opt->type, "Kind of a lone file: main, master, regexp, pcre")
      ->check(CLI::IsMember({"main", "master", "regexp", "pcre"}));
  cmd->add_option("--template", opt->template_kind,
                  "Which files are templates: auto (by name and content), none, jinja, erb, go")
      ->check(CLI::IsMember({"auto", "none", "jinja", "erb", "go"}));
  cmd->add_option("--vars", opt->vars, "Render simple template expressions with the variables of this JSON or YAML file");
  cmd->add_option("--color", opt->color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  CLI::Option* baseline =
      cmd->add_option("--baseline", opt->baseline, "Report only findings this baseline file does not list");
  cmd->add_option("--generate-baseline", opt->generate_baseline,
                  "Record today's findings in FILE (for --baseline) and exit 0")
      ->excludes(baseline);
  cmd->add_flag("--baseline-report", opt->baseline_report,
                "With --baseline: list its entries no longer found (stale) on stderr")
      ->needs(baseline);
  cmd->add_flag("--probe", opt->probe, "Also query the DNS lists live (PV901-PV905; uses the network)");
  AddProbeOptions(cmd, &opt->probe_settings, /*all=*/false);
  cmd->add_flag("--statistics", opt->statistics, "Count the findings per rule instead of listing them");
  cmd->add_option("--stdin-filename", opt->stdin_filename,
                  "Name of standard input (path -): in messages, patches, and to tell its kind");
  cmd->add_flag("--show-settings", opt->show_settings,
                "Print the effective .postvet.cf settings for each path and where each comes from; lint nothing");
  cmd->add_option("-j,--jobs", opt->jobs,
                  "Lint this many config dirs at once (default: the number of online CPUs; 1: one after another)")
      ->check(CLI::Range(1U, 1024U));
  cmd->callback([opt, exit_code] { *exit_code = run::RunCheck(*opt); });
}

}  // namespace postvet
