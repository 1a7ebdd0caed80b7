#include "src/cli/cli.hpp"

#include <cstdio>

#include <CLI/CLI.hpp>

namespace postvet {

int RunCli(int argc, char** argv) {
  CLI::App app{"postvet: lint and tune Postfix configuration (main.cf, master.cf, header_checks)"};
  app.set_version_flag("--version", std::string("postvet ") + POSTVET_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddParseCommand(app, &exit_code);
  AddShowCommand(app, &exit_code);
  AddQueryCommand(app, &exit_code);
  AddRulesCommand(app, &exit_code);
  AddExplainCommand(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  std::fflush(stdout);
  return exit_code;
}

}  // namespace postvet
