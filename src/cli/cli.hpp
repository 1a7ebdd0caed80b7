// The command line: subcommands, options, exit codes (DESIGN.md "Command
// line"). Each subcommand lives in its own file and registers itself here.
#pragma once

#include "src/base/exit_codes.hpp"

namespace CLI {
class App;
}

namespace postvet {

/// Exit codes: src/base/exit_codes.hpp.

/// Parses argv, runs the chosen subcommand, returns the exit code.
int RunCli(int argc, char** argv);

/// Subcommand registration; each adds itself to `app` and sets its callback.
/// The int* receives the subcommand's exit code.
void AddCheckCommand(CLI::App& app, int* exit_code);
void AddDiffCommand(CLI::App& app, int* exit_code);
void AddParseCommand(CLI::App& app, int* exit_code);
void AddProbeCommand(CLI::App& app, int* exit_code);
void AddShowCommand(CLI::App& app, int* exit_code);
void AddQueryCommand(CLI::App& app, int* exit_code);
void AddRulesCommand(CLI::App& app, int* exit_code);
void AddExplainCommand(CLI::App& app, int* exit_code);
void AddTuneCommand(CLI::App& app, int* exit_code);

}  // namespace postvet
