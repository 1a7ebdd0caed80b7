// `postvet probe [PATH]`: live health of the DNS lists a configuration uses.
// Loads the config dir (or file) like `check`, asks every zone its RFC 5782
// test points through c-ares (src/probe/), and reports the verdicts as the
// PV9xx rules' diagnostics at the places the zones are written, followed in
// the text format by a table of every zone (verdict, median and p95 answer
// time) and the worst-case time the lists add to an SMTP connection; the
// json format carries the same table as a "probe" member. A resolver unfit
// to judge lists (probe_session.hpp) is one error message and exit 2.
// This command and `check --probe` are the only ones that use the network.
// The options become a run::ProbeRequest; the pipeline is src/run/probe_run.hpp.
#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"
#include "src/cli/probe_options.hpp"
#include "src/run/probe_run.hpp"

namespace postvet {

void AddProbeCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<run::ProbeRequest>();
  CLI::App* cmd = app.add_subcommand("probe", "Live DNSBL health of the zones a configuration uses (network)");
  cmd->add_option("path", opt->path, "Config directory or main.cf/master.cf (default: /etc/postfix)");
  AddProbeOptions(cmd, &opt->settings, /*all=*/true);
  cmd->add_option("--format", opt->format, "text, gcc, json, sarif, github, gitlab, checkstyle (table: text only)")
      ->check(CLI::IsMember({"text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"}));
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--color", opt->color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([opt, exit_code] { *exit_code = run::RunProbe(*opt); });
}

}  // namespace postvet
