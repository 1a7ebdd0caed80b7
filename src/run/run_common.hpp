// Small pieces every command's run shares (src/run/*_run.hpp): the
// threshold that makes the exit code 1, whether to colour the report, and
// the one tool-error printer per escaping style.
//
// Contract: nothing here reads a configuration; each function is pure apart
// from the environment it names (NO_COLOR, whether stdout is a terminal)
// and the stderr line it prints.
#pragma once

#include <optional>
#include <string>

#include "src/base/severity.hpp"
#include "src/config/project_config.hpp"

namespace postvet::run {

/// Prints "postvet: MESSAGE" (escaped line by line) on stderr; the tool-error exit code.
int ToolError(const std::string& message);
/// The same with MESSAGE escaped as one string (diff, tune).
int ToolErrorOneLine(const std::string& message);
/// The same with MESSAGE printed as it is (probe).
int ToolErrorRaw(const std::string& message);

/// --fail-on when given (an unknown name counts as warning), else the
/// .postvet.cf's fail_on, else warning.
Severity FailOnFor(const std::string& cli_fail_on, const ProjectConfig& config);

/// --color: always, never, or auto (colour when stdout is a terminal, no
/// NO_COLOR is set and the report does not go to an --output file).
bool WantColor(const std::string& mode, const std::string& output = "");

}  // namespace postvet::run
