#include "src/run/targets.hpp"

#include <filesystem>
#include <optional>

#include <fmt/core.h>

#include "rules/rule_selector.hpp"
#include "src/base/display_path.hpp"
#include "src/template/template_kind.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// Holds a main.cf or master.cf file (not a directory of that name, as in a
// corpus), or a template of one (main.cf.j2, ...: docs/templates.md).
bool IsConfigDir(const std::string& dir) {
  std::error_code ec;
  for (std::string_view name : {"main.cf", "master.cf"}) {
    if (fs::is_regular_file(Join(dir, std::string(name)), ec)) return true;
    for (std::string_view suffix : tmpl::kTemplateSuffixes) {
      if (fs::is_regular_file(Join(dir, std::string(name) + std::string(suffix)), ec)) return true;
    }
  }
  return false;
}

// The config dir a file given on its own belongs to: its own directory for
// main.cf/master.cf, else the closest ancestor holding a configuration (a
// table below the config dir: maps/header_checks). "." is the current one.
// The walk is lexical and stops at a "..": the parent of "../x" is not ".".
std::optional<std::string> OwningConfigDir(const std::string& file) {
  fs::path dir = fs::path(file).lexically_normal().parent_path();
  const std::string name(tmpl::WithoutTemplateSuffix(fs::path(file).filename().string()));
  const bool config_file = name == "main.cf" || name == "master.cf";
  for (;;) {
    const std::string d = dir.empty() ? "." : dir.string();
    if (IsConfigDir(d)) return d;
    if (config_file || dir.empty() || dir == dir.parent_path() || dir.filename() == "..") return std::nullopt;
    dir = dir.parent_path();
  }
}

}  // namespace

Result<std::vector<Target>> PlanTargets(const std::vector<std::string>& paths, const std::string& cwd) {
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
    std::string display = DisplayPath(p, cwd);
    if (dir_index.try_emplace(display, targets.size()).second) targets.push_back({p, display, true, false, {}});
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
  if (!postfix_version.empty()) config.postfix_version = postfix_version;
  return config;
}

}  // namespace postvet::run
