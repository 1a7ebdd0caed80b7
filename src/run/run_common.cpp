#include "src/run/run_common.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/core.h>

#include "src/base/exit_codes.hpp"
#include "src/base/printable.hpp"

namespace postvet::run {

int ToolError(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(message));
  return kExitError;
}

int ToolErrorOneLine(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", report::TerminalSafe(message));
  return kExitError;
}

int ToolErrorRaw(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", message);
  return kExitError;
}

Severity FailOnFor(const std::string& cli_fail_on, const ProjectConfig& config) {
  if (!cli_fail_on.empty()) return SeverityFromName(cli_fail_on).value_or(Severity::kWarning);
  return config.fail_on.value_or(Severity::kWarning);
}

bool WantColor(const std::string& mode, const std::string& output) {
  if (mode == "always") return true;
  if (mode == "never" || !output.empty() || std::getenv("NO_COLOR") != nullptr) return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

}  // namespace postvet::run
