#include "src/cli/cli.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "src/model/name_suggester.hpp"

#include "src/base/build_revision.hpp"

namespace postvet {
namespace {

/// `postvet chek`: a first word that is no file and one or two typos away
/// from a command name is a mistyped command, not a path to check. The
/// closest command, or empty.
std::string MistypedCommand(const CLI::App& app, const std::string& word) {
  std::error_code ec;
  if (word.empty() || word[0] == '-' || std::filesystem::exists(word, ec)) return {};
  std::vector<std::string_view> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.emplace_back(sub->get_name());
  NameSuggester suggester(std::move(names), {});
  return suggester.Nearest(word);
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App app{"postvet: lint and tune Postfix configuration (main.cf, master.cf, header_checks)", "postvet"};
  // Errors name the program, like every other postvet message.
  app.failure_message([](const CLI::App*, const CLI::Error& e) {
    return fmt::format("postvet: {}\nRun with --help for more information.\n", e.what());
  });
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
    if (!args.empty()) {
      if (std::string near = MistypedCommand(app, args[0]); !near.empty()) {
        fmt::print(stderr, "postvet: unknown command \"{}\" (did you mean \"{}\"?)\n", args[0], near);
        return kExitError;
      }
    }
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
