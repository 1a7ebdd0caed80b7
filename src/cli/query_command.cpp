// Scaffolding, replaced by the table model work: registers `query`.
#include <cstdio>

#include <CLI/CLI.hpp>

#include "src/cli/cli.hpp"

namespace postvet {

void AddQueryCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("query", "Look a string up in a regexp/pcre table, like postmap -q");
  cmd->allow_extras();
  cmd->callback([exit_code] {
    std::fputs("postvet: query: not implemented yet\n", stderr);
    *exit_code = kExitError;
  });
}

}  // namespace postvet
