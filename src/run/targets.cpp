#include "src/run/targets.hpp"

#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "rules/rule_selector.hpp"
#include "src/base/printable.hpp"
#include "src/base/display_path.hpp"
#include "src/run/targets_discovery.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

// The config dir a file given on its own belongs to: its own directory for
// main.cf/master.cf, else the closest ancestor holding a configuration (a
// table below the config dir: maps/header_checks). "." is the current one.
// The walk is lexical and stops at a "..": the parent of "../x" is not ".".
std::optional<std::string> OwningConfigDir(const std::string& file) {
  fs::path dir = fs::path(file).lexically_normal().parent_path();
  const std::string name = fs::path(file).filename().string();
  const bool config_file = IsConfigFileName(name);
  for (;;) {
    const std::string d = dir.empty() ? "." : dir.string();
    if (IsConfigDir(d)) return d;
    if (config_file || dir.empty() || dir == dir.parent_path() || dir.filename() == "..") return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace

Result<ExcludeRules> ExcludeRulesFor(const std::string& dir, const std::string& config_file, bool tracked_only) {
  Result<ProjectConfig> config = ProjectConfigFor(dir, config_file);
  if (!config.ok()) return config.status();
  ExcludeRules rules{std::move(config->exclude), "", tracked_only};
  if (!config->path.empty()) {
    std::error_code ec;
    rules.base = fs::absolute(config->path, ec).lexically_normal().parent_path().string();
  }
  return rules;
}

Result<std::vector<std::string>> ExpandConfigDirs(const std::string& dir, const std::string& cwd,
                                                  const std::string& config_file, bool tracked_only) {
  if (IsConfigDir(dir)) return std::vector<std::string>{dir};
  Result<ExcludeRules> exclude = ExcludeRulesFor(dir, config_file, tracked_only);
  if (!exclude.ok()) return exclude.status();
  Result<std::vector<std::string>> found = DiscoverConfigDirs(dir, cwd, exclude.value());
  if (!found.ok()) return found.status();
  if (found->empty()) {
    return Status::Error(fmt::format("{}: neither main.cf nor master.cf found (nor in a directory below it)",
                                     report::TerminalSafe(dir.empty() ? "." : dir)));
  }
  return found;
}

Result<std::vector<Target>> PlanTargets(const std::vector<std::string>& paths, const std::string& cwd,
                                        const std::string& config_file) {
  std::vector<Target> targets;
  std::map<std::string, size_t> dir_index;  // display of a dir -> its target
  std::map<std::string, std::string> lone;  // display -> path of lone files
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::Error(fmt::format("{}: no such file or directory", p));
    if (!fs::is_directory(st)) {
      files.push_back(p);
      continue;
    }
    // A config dir as it is; any other directory: the config dirs below it.
    Result<std::vector<std::string>> dirs = ExpandConfigDirs(p, cwd, config_file, false);
    if (!dirs.ok()) return dirs.status();
    for (const std::string& d : dirs.value()) {
      std::string display = DisplayPath(d, cwd);
      if (dir_index.try_emplace(display, targets.size()).second) targets.push_back({d, display, true, false, {}});
    }
  }
  for (const std::string& p : files) {
    std::string display = DisplayPath(p, cwd);
    if (std::optional<std::string> dir = OwningConfigDir(p)) {
      auto [it, inserted] = dir_index.try_emplace(DisplayPath(*dir, cwd), targets.size());
      if (inserted) targets.push_back({*dir, it->first, true, true, {}});
      Target& t = targets[it->second];
      if (t.partial) t.only.emplace(display, p);
      continue;
    }
    lone.emplace(display, p);
  }
  for (const auto& [display, p] : lone) targets.push_back({p, display, false, false, {}});
  return targets;
}

// A lone file is read by its display path (the same file, named as shown).
// The current directory is read by its absolute name: the loader tells the
// config dir's own tables from --root ones by the directory's path prefix,
// and "." would be a prefix of "../maps/x" too.
Result<std::unique_ptr<LintContext>> LoadTarget(const Target& t, const std::string& cwd, const ProjectConfig& config,
                                                const LoadOptions& lo) {
  if (!t.is_dir) return LoadSingleFile(t.display, config, lo);
  return LoadConfigDir(t.display.empty() ? cwd : t.path, t.display, config, lo);
}

Result<std::unique_ptr<LintContext>> LoadPath(const std::string& path, const std::string& display,
                                              const ProjectConfig& config, const LoadOptions& lo) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return LoadConfigDir(path, display, config, lo);
  return LoadSingleFile(path, config, lo);
}

Result<ProjectConfig> ProjectConfigFor(const std::string& path, const std::string& config_file,
                                       const std::string& postfix_version) {
  std::optional<std::string> file = config_file.empty() ? FindProjectConfig(path) : std::optional(config_file);
  ProjectConfig config;
  if (file) {
    Result<ProjectConfig> read = ReadProjectConfig(*file);
    if (!read.ok()) return read.status();
    config = std::move(read.value());
  }
  if (!postfix_version.empty()) {
    config.postfix_version = postfix_version;
    config.postfix_version_given = true;
  }
  return config;
}

}  // namespace postvet::run
