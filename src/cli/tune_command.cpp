// `postvet tune [PATH] [--log FILE]... [--memory SIZE|auto] [--peak-clients N] [--diff]
// [--format text|json]`:
// the tuning advisor. Reads the config dir (default /etc/postfix) and the
// mail logs, prints each service's effective process limit and stress
// behaviour, the log evidence and the advice, then the findings of the
// tuning rules (PV5xx, and the stress rules PV104, PV401, PV402, PV411).
// With --diff it prints the fixes of those findings (unsafe ones included:
// raising a limit changes behaviour, which is the point) as a unified diff
// of master.cf/main.cf instead, and changes nothing. --format json prints
// the same report as one JSON document (src/tune/tune_json.hpp). A
// directory of config dirs: each one tuned in turn (src/run/tune_run.hpp).
//
// The options become a run::TuneRequest; the pipeline is src/run/tune_run.hpp.
#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/run/tune_run.hpp"

namespace postvet {

void AddTuneCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<run::TuneRequest>();
  CLI::App* cmd = app.add_subcommand("tune", "Process limits, stress behaviour and memory: advice from config and logs");
  cmd->add_option("path", opt->path, "Config directory, or a directory of them (default: /etc/postfix)");
  cmd->add_option("--log", opt->logs,
                  "Mail log to read (syslog, RFC 3339/5424, journalctl short-iso/short-precise/json/export, postlog; "
                  "plain, gzip, xz or zstd; - for stdin); may be repeated: a rotated set is read oldest first, several "
                  "logs are merged in time order")
      ->allow_extra_args(false);
  cmd->add_option("--memory", opt->memory, "Memory of the machine (4G, 512M) or auto (/proc/meminfo)");
  cmd->add_option("--peak-clients", opt->peak_clients,
                  "Expected peak of concurrent SMTP clients (with --log, the higher of it and the log's peak)");
  cmd->add_flag("--diff", opt->diff, "Print the suggested master.cf/main.cf changes as a unified diff");
  cmd->add_option("--format", opt->format, "Report format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--postfix-version", opt->postfix_version, "Target Postfix version (default 3.7, or what compatibility_level implies)")
      ->check(PostfixVersionError, "VERSION");
  cmd->callback([opt, exit_code] { *exit_code = run::RunTune(*opt); });
}

}  // namespace postvet
