#include "src/run/check_run.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/core.h>

#include "src/base/exit_codes.hpp"
#include "src/run/show_settings.hpp"
#include "src/base/display_path.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/base/printable.hpp"
#include "src/run/check_run_state.hpp"
#include "src/run/targets_discovery.hpp"

namespace postvet::run {

namespace fs = std::filesystem;

CheckRun::CheckRun(const CheckRequest& request, std::vector<Diagnostic>* all) : opt_(request), all_(*all) {}

Exit CheckRun::Plan() {
  std::error_code ec;
  cwd_ = fs::current_path(ec).string();
  // No path: the git work tree around the current directory, else /etc/postfix.
  paths_ = opt_.paths.empty() ? std::vector<std::string>{DefaultTarget(cwd_)} : opt_.paths;
  // `-`: standard input, linted alone as one file named --stdin-filename.
  Result<StdinPlan> stdin_plan = PlanStdin(paths_, opt_.stdin_filename, opt_.type, opt_.fix);
  if (!stdin_plan.ok()) return ToolError(stdin_plan.status().message());
  stdin_plan_ = *stdin_plan;
  if (stdin_plan_.used) {
    Result<std::string> bytes = ReadAllBounded(0, stdin_plan_.name);
    if (!bytes.ok()) return ToolError(bytes.status().message());
    stdin_overlay_.emplace(stdin_plan_.name, std::move(bytes.value()));
  }
  Result<std::vector<Target>> targets =
      stdin_plan_.used ? Result<std::vector<Target>>(std::vector<Target>{{stdin_plan_.name, stdin_plan_.name, false, false, {}}})
                       : PlanTargets(paths_, cwd_, opt_.config);
  if (!targets.ok()) return ToolError(targets.status().message());
  targets_ = std::move(targets.value());
  if (opt_.show_settings) return std::nullopt;
  std::string format_name = opt_.format;
  if (format_name == "auto") {
    const char* gha = std::getenv("GITHUB_ACTIONS");
    format_name = gha != nullptr && std::string_view(gha) == "true" ? "github" : "text";
  }
  std::optional<Format> format = FormatFromName(format_name);
  if (!format) {
    fmt::print(stderr, "postvet: unknown --format \"{}\"\n", opt_.format);
    return kExitError;
  }
  format_ = *format;
  if (!opt_.fail_on.empty()) cli_fail_on_ = SeverityFromName(opt_.fail_on);
  // Normalised like the paths given, so tables found through it are shown
  // relative to the current directory too ("." when it is that directory).
  load_options_.root = opt_.root.empty() ? "" : DisplayPath(opt_.root, cwd_);
  if (!opt_.root.empty() && load_options_.root.empty()) load_options_.root = ".";
  if (!opt_.type.empty()) load_options_.type = FileKindFromName(opt_.type);
  if (!opt_.template_kind.empty()) load_options_.template_setting = tmpl::ParseTemplateSetting(opt_.template_kind);
  if (!opt_.vars.empty()) {
    Result<std::shared_ptr<const tmpl::Vars>> vars = tmpl::ReadVars(opt_.vars, opt_.vars);
    if (!vars.ok()) return ToolError(vars.status().message());
    load_options_.vars = std::move(vars.value());
  }
  if (stdin_plan_.used) load_options_.type = stdin_plan_.kind;

  // --fix: one run at a time per directory given, from reading to writing.
  if (opt_.fix) {
    std::vector<std::string> dirs;
    for (const std::string& p : paths_) {
      std::error_code dir_ec;
      dirs.push_back(fs::is_directory(p, dir_ec) ? p : fs::path(p).parent_path().string());
      if (dirs.back().empty()) dirs.back() = ".";
    }
    Status locked = fix_locks_.Acquire(dirs, FixLockWait(), [](const std::string& dir) {
      fmt::print(stderr, "postvet: {}: waiting for another postvet --fix to finish\n", dir);
    });
    if (!locked.ok()) return ToolError(locked.message());
  }
  if (opt_.probe) {
    Result<probe::ProbeOptions> po = probe::MakeProbeOptions(opt_.probe_settings);
    if (!po.ok()) return ToolError(po.status().message());
    probe_options_ = po.value();
  }
  for (const Target& t : targets_) {
    for (const auto& [display, path] : t.only) given_.insert(display);
    if (!t.is_dir) given_.insert(t.display);
  }
  return std::nullopt;
}

int CheckRun::ShowSettings() const {
  std::string out;
  for (const Target& t : targets_) {
    Result<ProjectConfig> config = ProjectConfigFor(t.path, opt_.config, opt_.postfix_version);
    if (!config.ok()) return ToolError(config.status().message());
    const std::string shown = config->path.empty() ? "" : DisplayPath(config->path, cwd_);
    out += RenderSettings(t.display, *config, shown, {opt_.postfix_version, opt_.select, opt_.ignore, opt_.fail_on, opt_.template_kind, opt_.vars});
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

int RunCheck(const CheckRequest& request) {
  std::vector<Diagnostic>& all = *KeepUntilExit(std::make_unique<std::vector<Diagnostic>>());
  CheckRun run(request, &all);
  if (Exit e = run.Plan()) return *e;
  if (run.show_settings()) return run.ShowSettings();
  if (Exit e = run.LintTargets()) return *e;
  return run.Finish();
}

}  // namespace postvet::run
