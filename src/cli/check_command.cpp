// `postvet check [PATH...]`: lint config dirs or files, report, fix.
//
// Each PATH is a config dir, or a file. Files whose directory holds a
// main.cf are linted together with that directory (so cross-file rules
// still see the whole configuration) but only their own findings are
// reported: this is what a pre-commit hook passing changed files needs.
// With --fix/--diff, fixing repeats on the fixed text until nothing changes
// (at most kMaxFixPasses), then the files are written atomically (--fix) or
// the patch is printed (--diff). The findings reported are those left after
// fixing.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/cli/cli.hpp"
#include "src/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/loader.hpp"
#include "src/report/reporter.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxFixPasses = 5;

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string output;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string fail_on;
  std::string postfix_version;
  bool diff = false;
  bool fix = false;
  bool unsafe_fixes = false;
  std::string config;
  std::string root;
  std::string type;
  std::string color = "auto";
};

// One unit of work: a config dir or a lone file, and which of its files to report on.
struct Target {
  std::string path;           // directory or file to load
  bool is_dir = false;
  std::set<std::string> only; // display paths to report on; empty = all
};

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

Result<std::vector<Target>> PlanTargets(const std::vector<std::string>& paths) {
  std::vector<Target> targets;
  std::map<std::string, size_t> dir_index;  // dir -> target, for grouped files
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::Error(fmt::format("{}: no such file or directory", p));
    if (fs::is_directory(st)) {
      targets.push_back({p, true, {}});
      continue;
    }
    std::string dir = fs::path(p).parent_path().string();
    if (fs::exists(Join(dir.empty() ? "." : dir, "main.cf"), ec)) {
      auto [it, inserted] = dir_index.try_emplace(dir, targets.size());
      if (inserted) targets.push_back({dir.empty() ? "." : dir, true, {}});
      targets[it->second].only.insert(p);
      continue;
    }
    targets.push_back({p, false, {}});
  }
  return targets;
}

Result<ProjectConfig> ConfigFor(const CheckOptions& opt, const std::string& path) {
  std::optional<std::string> file = opt.config.empty() ? FindProjectConfig(path) : std::optional(opt.config);
  ProjectConfig config;
  if (file) {
    Result<ProjectConfig> read = ReadProjectConfig(*file);
    if (!read.ok()) return read.status();
    config = std::move(read.value());
  }
  if (!opt.postfix_version.empty()) config.postfix_version = opt.postfix_version;
  return config;
}

Result<std::unique_ptr<LintContext>> Load(const Target& t, const ProjectConfig& config, const LoadOptions& lo) {
  return t.is_dir ? LoadConfigDir(t.path, t.path, config, lo) : LoadSingleFile(t.path, config, lo);
}

bool WantColor(const std::string& mode, const std::string& output) {
  if (mode == "always") return true;
  if (mode == "never" || !output.empty() || std::getenv("NO_COLOR") != nullptr) return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

int RunCheck(const CheckOptions& opt) {
  std::vector<std::string> paths = opt.paths.empty() ? std::vector<std::string>{"/etc/postfix"} : opt.paths;
  Result<std::vector<Target>> targets = PlanTargets(paths);
  if (!targets.ok()) {
    fmt::print(stderr, "postvet: {}\n", targets.status().message());
    return kExitError;
  }
  std::string format_name = opt.format;
  if (format_name == "auto") {
    const char* gha = std::getenv("GITHUB_ACTIONS");
    format_name = gha != nullptr && std::string_view(gha) == "true" ? "github" : "text";
  }
  std::optional<Format> format = FormatFromName(format_name);
  if (!format) {
    fmt::print(stderr, "postvet: unknown --format \"{}\"\n", opt.format);
    return kExitError;
  }
  std::optional<Severity> cli_fail_on;
  if (!opt.fail_on.empty()) cli_fail_on = SeverityFromName(opt.fail_on);
  LoadOptions load_options;
  load_options.root = opt.root;
  if (!opt.type.empty()) load_options.type = FileKindFromName(opt.type);

  // Contexts stay alive until the report is printed: diagnostics point into them.
  std::vector<std::unique_ptr<LintContext>> contexts;
  std::vector<Diagnostic> all;
  std::string patch;
  Severity fail_on = cli_fail_on.value_or(Severity::kWarning);
  for (const Target& t : targets.value()) {
    Result<ProjectConfig> config = ConfigFor(opt, t.path);
    if (!config.ok()) {
      fmt::print(stderr, "postvet: {}\n", config.status().message());
      return kExitError;
    }
    if (!cli_fail_on && config->fail_on) fail_on = std::min(fail_on, *config->fail_on);
    RuleFilter filter(config.value(), opt.select, opt.ignore);

    std::map<std::string, std::string> originals;  // path -> bytes before fixing
    std::map<std::string, std::string> overlay;    // path -> fixed bytes
    load_options.overlay = &overlay;
    Result<std::unique_ptr<LintContext>> ctx = Load(t, config.value(), load_options);
    if (!ctx.ok()) {
      fmt::print(stderr, "postvet: {}\n", ctx.status().message());
      return kExitError;
    }
    std::vector<Diagnostic> found = Lint(**ctx, filter);
    if (opt.fix || opt.diff) {
      for (int pass = 0; pass < kMaxFixPasses; ++pass) {
        std::vector<FileFix> plan = PlanFixes(found, FixPolicy{opt.unsafe_fixes});
        bool changed = false;
        for (const FileFix& f : plan) {
          if (f.edits.empty()) continue;
          const std::string& path = f.source->path();
          originals.try_emplace(path, std::string(f.source->text()));
          overlay[path] = ApplyEdits(f.source->text(), f.edits);
          changed = true;
        }
        if (!changed) break;
        contexts.push_back(std::move(ctx.value()));
        ctx = Load(t, config.value(), load_options);
        if (!ctx.ok()) {
          fmt::print(stderr, "postvet: {}\n", ctx.status().message());
          return kExitError;
        }
        found = Lint(**ctx, filter);
      }
      for (const auto& [path, before] : originals) {
        const std::string& after = overlay[path];
        if (before == after) continue;
        if (opt.diff) {
          std::string shown = path;
          if (shown.rfind("./", 0) == 0) shown = shown.substr(2);
          patch += UnifiedDiff(shown, before, after);
        }
        if (opt.fix) {
          Status st = WriteFileAtomically(path, after);
          if (!st.ok()) {
            fmt::print(stderr, "postvet: {}\n", st.message());
            return kExitError;
          }
        }
      }
    }
    for (Diagnostic& d : found) {
      if (!t.only.empty() && d.location.source != nullptr && t.only.count(d.location.source->display()) == 0) continue;
      all.push_back(std::move(d));
    }
    contexts.push_back(std::move(ctx.value()));
  }

  bool failing = false;
  for (const Diagnostic& d : all) failing = failing || d.severity >= fail_on;

  if (opt.diff) {
    std::fwrite(patch.data(), 1, patch.size(), stdout);
    return failing ? kExitFindings : kExitOk;
  }
  ReportOptions ro;
  ro.color = WantColor(opt.color, opt.output);
  std::error_code ec;
  std::string cwd = fs::current_path(ec).string();
  ro.working_directory = cwd;
  std::string out = Render(*format, all, AllRuleInfos(), ro);
  if (opt.output.empty()) {
    std::fwrite(out.data(), 1, out.size(), stdout);
  } else {
    Status st = WriteFileAtomically(opt.output, out);
    if (!st.ok()) {
      // A new file: WriteFileAtomically replaces existing files only.
      FILE* f = std::fopen(opt.output.c_str(), "wb");
      if (f == nullptr || std::fwrite(out.data(), 1, out.size(), f) != out.size()) {
        if (f != nullptr) std::fclose(f);
        fmt::print(stderr, "postvet: {}: cannot write\n", opt.output);
        return kExitError;
      }
      std::fclose(f);
    }
  }
  return failing ? kExitFindings : kExitOk;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Lint config dirs or files (the default command)");
  cmd->add_option("paths", opt->paths, "Config directories or files (default: /etc/postfix)");
  cmd->add_option("--format", opt->format, "auto, text, gcc, json, sarif, github, gitlab, checkstyle")
      ->check(CLI::IsMember({"auto", "text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"}));
  cmd->add_option("--output", opt->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--select", opt->select, "Only these rules (IDs, prefixes such as PV2, or slugs)")->delimiter(',');
  cmd->add_option("--ignore", opt->ignore, "Skip these rules")->delimiter(',');
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--postfix-version", opt->postfix_version, "Target Postfix version (default 3.7)");
  cmd->add_flag("--diff", opt->diff, "Print the fixes as a unified diff; change nothing");
  cmd->add_flag("--fix", opt->fix, "Apply the safe fixes");
  cmd->add_flag("--unsafe-fixes", opt->unsafe_fixes, "Also apply fixes that change behaviour");
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--type", opt->type, "Kind of a lone file: main, master, regexp, pcre")
      ->check(CLI::IsMember({"main", "master", "regexp", "pcre"}));
  cmd->add_option("--color", opt->color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([opt, exit_code] { *exit_code = RunCheck(*opt); });
}

}  // namespace postvet
