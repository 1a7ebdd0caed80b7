// `postvet parse --echo|--tree FILE`: shows the syntax tree of a file, or
// prints the file back from it (for grammar bug reports and round-trip tests).
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "grammar/cst_builder.hpp"
#include "src/cli/cli.hpp"
#include "src/base/file_kind.hpp"

namespace postvet {
namespace {

struct ParseOptions {
  std::string file;
  std::string type;
  bool echo = false;
  bool tree = false;
};

int RunParse(const ParseOptions& opt) {
  std::optional<FileKind> kind =
      opt.type.empty() ? FileKindFromPath(opt.file) : FileKindFromName(opt.type);
  if (!kind) {
    fmt::print(stderr, "postvet: {}: cannot tell the file type from its name; use --type\n", opt.file);
    return kExitError;
  }
  Result<Source> source = ReadSource(opt.file, opt.file);
  if (!source.ok()) {
    fmt::print(stderr, "postvet: {}\n", source.status().message());
    return kExitError;
  }
  Cst cst = *kind == FileKind::kMainCf     ? ParseMainCf(*source)
            : *kind == FileKind::kMasterCf ? ParseMasterCf(*source)
            : ParseTable(*source, *kind == FileKind::kPcreTable ? TableType::kPcre : TableType::kRegexp);
  std::string out = opt.tree ? cst.Dump() : cst.Echo();
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

void AddParseCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ParseOptions>();
  CLI::App* cmd = app.add_subcommand("parse", "Print a file's syntax tree (--tree) or echo it back from the tree (--echo)");
  cmd->add_option("file", opt->file, "File to parse")->required();
  cmd->add_option("--type", opt->type, "main, master, regexp or pcre (default: from the file name)")
      ->check(CLI::IsMember({"main", "master", "regexp", "pcre"}));
  auto* echo = cmd->add_flag("--echo", opt->echo, "Print the file back from the syntax tree");
  cmd->add_flag("--tree", opt->tree, "Print the syntax tree")->excludes(echo);
  cmd->callback([opt, exit_code] { *exit_code = RunParse(*opt); });
}

}  // namespace postvet
