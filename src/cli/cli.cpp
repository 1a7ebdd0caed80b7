#include "src/cli/cli.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "src/build_revision.hpp"

namespace postvet {

int RunCli(int argc, char** argv) {
  CLI::App app{"postvet: lint and tune Postfix configuration (main.cf, master.cf, header_checks)"};
  app.set_version_flag("--version",
                       std::string("postvet ") + POSTVET_VERSION + " (revision " + BuildRevision() + ")");
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddCheckCommand(app, &exit_code);
  AddDiffCommand(app, &exit_code);
  AddParseCommand(app, &exit_code);
  AddProbeCommand(app, &exit_code);
  AddShowCommand(app, &exit_code);
  AddQueryCommand(app, &exit_code);
  AddRulesCommand(app, &exit_code);
  AddExplainCommand(app, &exit_code);
  AddTuneCommand(app, &exit_code);
  // `check` is the default command: `postvet DIR` means `postvet check DIR`.
  std::vector<std::string> args(argv + 1, argv + argc);
  auto is_command = [&](const std::string& word) {
    for (const CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == word) return true;
    }
    return false;
  };
  if (args.empty() || (!is_command(args[0]) && args[0] != "--help" && args[0] != "-h" && args[0] != "--version")) {
    args.insert(args.begin(), "check");
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes them last-first
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace postvet
