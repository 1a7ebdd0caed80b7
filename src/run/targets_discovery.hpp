// Discovery: the config dirs below a directory that is not one itself (a
// repository of host dirs such as hosts/mx1, hosts/mx2, and Ansible-style
// roles/postfix/templates), for `postvet check`, `diff --git` and `probe`.
//
// A config dir is a directory holding, as a regular file, main.cf or
// master.cf, or a template of one (main.cf.j2, .jinja, .jinja2, .erb, .tmpl, .tpl;
// src/template/ reads those). Discovery lists every such directory below
// the one given, the given one excluded (the caller lints a config dir
// given as it is, without looking below it):
// - inside a git work tree, only the files git does not ignore are looked
//   at (.gitignore, .git/info/exclude, core.excludesFile;
//   src/diff/git_export_worktree.hpp; with tracked_only, only the files
//   in the index);
// - outside one, every directory is walked (symbolic links not followed,
//   .git directories skipped), at most kMaxDiscoveryEntries entries;
// - in both, a directory matching one of the `exclude` globs of the
//   .postvet.cf that governs the directory given (relative to that file's
//   directory; fnmatch(3), `*` also matches `/`), or lying below one that
//   matches, is left out.
// The dirs come sorted, each as `root` joined with its relative path; when
// `root` is relative, re-expressed relative to the current directory
// ("../mx2", "." for the current directory itself).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet::run {

inline constexpr size_t kMaxDiscoveryEntries = 500000;

/// main.cf, master.cf, or one of their template names.
bool IsConfigFileName(std::string_view name);

/// `dir` holds a file named so (a regular file, not a directory of that name).
bool IsConfigDir(const std::string& dir);

/// Where the `exclude` globs come from and what they are relative to.
struct ExcludeRules {
  std::vector<std::string> globs;
  std::string base;  // absolute directory of their .postvet.cf ("" when none)
  // In a git work tree, only files in the index count (`diff --git`: under
  // pre-commit, untracked files are not part of the commit).
  bool tracked_only = false;
};

/// The config dirs below `root` (see above); an error when git fails on a
/// work tree or the walk meets more than kMaxDiscoveryEntries entries.
Result<std::vector<std::string>> DiscoverConfigDirs(const std::string& root, const std::string& cwd,
                                                    const ExcludeRules& exclude);

/// The config dirs below `root` as of git revision `rev` (the files of its
/// tree there, not the work tree), named and sorted as DiscoverConfigDirs()
/// names them, with the same exclude globs; empty when `root` did not
/// exist at `rev`. For `diff --git`: a host dir deleted since `rev`.
Result<std::vector<std::string>> DiscoverConfigDirsAtRevision(const std::string& rev, const std::string& root,
                                                              const std::string& cwd, const ExcludeRules& exclude);

/// What a command lints when given no path: the top of the git work tree
/// holding `cwd` (relative to it: "." or "../.."), else /etc/postfix.
std::string DefaultTarget(const std::string& cwd);

}  // namespace postvet::run
