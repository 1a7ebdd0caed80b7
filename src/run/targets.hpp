// Targets of a `postvet check` run: which configurations to load for the
// paths given, and how to load one.
//
// Each path is a config dir, a directory of config dirs (every config dir
// below it, as src/run/targets_discovery.hpp finds them), or a file. Files whose directory holds a
// main.cf are linted together with that directory (so cross-file rules
// still see the whole configuration) but only their own findings are
// reported: this is what a pre-commit hook passing changed files needs.
// A table file is grouped with the closest directory above it that holds a
// main.cf or master.cf; one that configuration does not name is linted on
// its own, so no file given is ever silently skipped. Paths are shown
// relative to the current directory (DisplayPath).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"
#include "src/base/status.hpp"
#include "src/run/targets_discovery.hpp"

namespace postvet::run {

/// One unit of work: a config dir or a lone file, and which of its files to report on.
struct Target {
  std::string path;           // directory or file to load
  std::string display;        // its DisplayPath ("" for the current directory)
  bool is_dir = false;
  bool partial = false;       // only the files in `only` were given
  std::map<std::string, std::string> only;  // display path -> path as given, when partial
};

/// Directories first, so that a file inside a directory also given whole is
/// not linted twice; lone files last, so that one a configuration already
/// loaded (a --root table) can be skipped; each directory and lone file
/// once, however it was spelled. An error for a path that does not exist.
/// `config_file` is --config (else each directory's .postvet.cf): its
/// `exclude` applies to discovery.
Result<std::vector<Target>> PlanTargets(const std::vector<std::string>& paths, const std::string& cwd,
                                        const std::string& config_file = "");

/// `dir` itself when it is a config dir, else the config dirs below it
/// (src/run/targets_discovery.hpp) with the exclude globs of the
/// .postvet.cf governing it (or `config_file`); an error when there are
/// none. `tracked_only`: in a git work tree, only the files in its index.
Result<std::vector<std::string>> ExpandConfigDirs(const std::string& dir, const std::string& cwd,
                                                  const std::string& config_file, bool tracked_only);

/// The exclude globs of the .postvet.cf governing `dir` (or `config_file`),
/// for DiscoverConfigDirs() and DiscoverConfigDirsAtRevision().
Result<ExcludeRules> ExcludeRulesFor(const std::string& dir, const std::string& config_file, bool tracked_only);

/// Loads target `t` (a lone file by its display path; the current
/// directory by its absolute name `cwd`).
Result<std::unique_ptr<LintContext>> LoadTarget(const Target& t, const std::string& cwd, const ProjectConfig& config,
                                                const LoadOptions& lo);

/// Loads `path` as shown as `display`: a config dir, or one file on its own.
Result<std::unique_ptr<LintContext>> LoadPath(const std::string& path, const std::string& display,
                                              const ProjectConfig& config, const LoadOptions& lo);

/// The .postvet.cf settings for `path`: the file `config_file` when given,
/// else the one FindProjectConfig() finds for it (none: the defaults),
/// with a non-empty `postfix_version` (--postfix-version) applied.
Result<ProjectConfig> ProjectConfigFor(const std::string& path, const std::string& config_file,
                                       const std::string& postfix_version = "");

}  // namespace postvet::run
