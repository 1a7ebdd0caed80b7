// Scaffolding, replaced by the main.cf model work: registers `show`.
#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"
#include "src/cli/show_master.hpp"

namespace postvet {

void AddShowCommand(CLI::App& app, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto fields = std::make_shared<bool>(false);
  auto params = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("show", "Print a file as Postfix reads it (postconf -n/-x/-F/-P)");
  cmd->add_option("file", *file, "main.cf or master.cf")->required();
  cmd->add_flag("--fields", *fields, "master.cf as postconf -F prints it");
  cmd->add_flag("--params", *params, "master.cf -o overrides as postconf -P prints it");
  cmd->callback([=] {
    if (*fields) *exit_code = ShowMasterFields(*file);
    else if (*params) *exit_code = ShowMasterParams(*file);
    else *exit_code = kExitError;
  });
}

}  // namespace postvet
