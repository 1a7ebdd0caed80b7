#include "src/run/targets_discovery.hpp"

#include <fnmatch.h>

#include <filesystem>
#include <set>

#include <fmt/core.h>

#include "src/base/printable.hpp"
#include "src/config/project_config.hpp"
#include "src/diff/git_export_process.hpp"
#include "src/diff/git_export_worktree.hpp"
#include "src/template/template_kind.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

// `dir` (as shown), relative to the globs' base, or one of its ancestors
// below that base, matches a glob.
bool Excluded(const std::string& dir, const ExcludeRules& rules) {
  if (rules.globs.empty()) return false;
  const std::string rel = RelativeToBase(dir, rules.base);
  for (std::string glob : rules.globs) {
    while (glob.size() > 1 && glob.back() == '/') glob.pop_back();
    std::string_view prefix = rel;
    while (!prefix.empty()) {
      if (::fnmatch(glob.c_str(), std::string(prefix).c_str(), 0) == 0) return true;
      size_t slash = prefix.rfind('/');
      if (slash == std::string_view::npos) break;
      prefix = prefix.substr(0, slash);
    }
  }
  return false;
}

// `root` joined with `rel`, as the user will see it: relative to the
// current directory when `root` is relative.
std::string Joined(const std::string& root, const std::string& rel, const std::string& cwd) {
  fs::path p = (fs::path(root) / rel).lexically_normal();
  if (p.is_absolute() || cwd.empty()) return p.generic_string();
  fs::path again = (fs::path(cwd) / p).lexically_normal().lexically_relative(fs::path(cwd).lexically_normal());
  std::string out = again.empty() ? p.generic_string() : again.generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// The directories (relative to `root`) of the config files git lists.
Result<std::set<std::string>> FromGit(const std::string& root, bool tracked_only) {
  Result<std::vector<std::string>> files = WorkTreeFiles(root, tracked_only);
  if (!files.ok()) return files.status();
  std::set<std::string> dirs;
  for (const std::string& f : files.value()) {
    size_t slash = f.rfind('/');
    if (!IsConfigFileName(slash == std::string::npos ? f : std::string_view(f).substr(slash + 1))) continue;
    if (slash != std::string::npos) dirs.insert(f.substr(0, slash));  // root itself is not "below"
  }
  return dirs;
}

// The same by walking the directory tree.
Result<std::set<std::string>> FromWalk(const std::string& root, const std::string& cwd, const ExcludeRules& rules) {
  std::set<std::string> dirs;
  std::error_code ec;
  fs::path top = fs::path(root).lexically_normal();
  if (!top.has_filename() && top.has_parent_path() && top != top.root_path()) top = top.parent_path();  // "a/" -> "a"
  fs::recursive_directory_iterator it(top, fs::directory_options::skip_permission_denied, ec);
  if (ec) return Status::Error(fmt::format("{}: cannot read: {}", report::TerminalSafe(root), ec.message()));
  size_t entries = 0;
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (++entries > kMaxDiscoveryEntries) {
      return Status::Error(fmt::format("{}: more than {} files and directories below it; give a smaller path or "
                                       "set exclude in .postvet.cf",
                                       report::TerminalSafe(root), kMaxDiscoveryEntries));
    }
    const fs::directory_entry& e = *it;
    std::error_code type_ec;
    const std::string name = e.path().filename().string();
    if (e.is_directory(type_ec) && !e.is_symlink(type_ec)) {
      if (name == ".git" || Excluded(Joined(root, e.path().lexically_relative(top).string(), cwd), rules)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!IsConfigFileName(name)) continue;
    fs::path rel = e.path().parent_path().lexically_relative(top);
    if (!rel.empty() && rel != ".") dirs.insert(rel.generic_string());
  }
  if (ec) return Status::Error(fmt::format("{}: cannot read: {}", report::TerminalSafe(root), ec.message()));
  return dirs;
}

}  // namespace

bool IsConfigFileName(std::string_view name) {
  for (std::string_view base : {std::string_view("main.cf"), std::string_view("master.cf")}) {
    if (name.substr(0, base.size()) != base) continue;
    std::string_view rest = name.substr(base.size());
    if (rest.empty()) return true;
    for (std::string_view suffix : tmpl::kTemplateSuffixes) {
      if (rest == suffix) return true;
    }
  }
  return false;
}

bool IsConfigDir(const std::string& dir) {
  std::error_code ec;
  const fs::path d = dir.empty() ? fs::path(".") : fs::path(dir);
  for (std::string_view base : {"main.cf", "master.cf"}) {
    if (fs::is_regular_file(d / base, ec)) return true;
    for (std::string_view suffix : tmpl::kTemplateSuffixes) {
      if (fs::is_regular_file(d / (std::string(base) + std::string(suffix)), ec)) return true;
    }
  }
  return false;
}

Result<std::vector<std::string>> DiscoverConfigDirs(const std::string& root, const std::string& cwd,
                                                    const ExcludeRules& exclude) {
  Result<std::set<std::string>> found =
      WorkTreeTop(root) ? FromGit(root, exclude.tracked_only) : FromWalk(root, cwd, exclude);
  if (!found.ok()) return found.status();
  std::vector<std::string> dirs;
  for (const std::string& rel : found.value()) {
    std::string dir = Joined(root, rel, cwd);
    if (!Excluded(dir, exclude) && IsConfigDir(dir)) dirs.push_back(std::move(dir));
  }
  return dirs;
}

Result<std::vector<std::string>> DiscoverConfigDirsAtRevision(const std::string& rev, const std::string& root,
                                                              const std::string& cwd, const ExcludeRules& exclude) {
  if (rev.empty() || rev.front() == '-') {
    return Status::Error(fmt::format("--git: not a revision: \"{}\"", report::TerminalSafe(rev)));
  }
  std::optional<std::string> prefix = CaptureOutput({"git", "-C", root, "rev-parse", "--show-prefix"}, 1 << 20);
  if (!prefix) return Status::Error(fmt::format("{}: not inside a git repository", report::TerminalSafe(root)));
  while (!prefix->empty() && prefix->back() == '\n') prefix->pop_back();
  // "REV:PREFIX" is root's tree at REV; ls-tree names its files relative to it
  // (--full-tree: not limited to the directory it runs in, as it is by default).
  std::optional<std::string> listing =
      CaptureOutput({"git", "-C", root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", rev + ":" + *prefix},
                    kMaxWorkTreeListing);
  if (!listing) return std::vector<std::string>{};  // root is new since rev
  std::set<std::string> rels;
  for (size_t pos = 0; pos < listing->size();) {
    size_t end = listing->find('\0', pos);
    if (end == std::string::npos) end = listing->size();
    std::string_view f = std::string_view(*listing).substr(pos, end - pos);
    pos = end + 1;
    size_t slash = f.rfind('/');
    if (slash == std::string_view::npos || !IsConfigFileName(f.substr(slash + 1))) continue;
    rels.emplace(f.substr(0, slash));
  }
  std::vector<std::string> dirs;
  for (const std::string& rel : rels) {
    std::string dir = Joined(root, rel, cwd);
    if (!Excluded(dir, exclude)) dirs.push_back(std::move(dir));
  }
  return dirs;
}

std::string DefaultTarget(const std::string& cwd) {
  std::optional<std::string> top = cwd.empty() ? std::nullopt : WorkTreeTop(cwd);
  if (!top) return "/etc/postfix";
  fs::path rel = fs::path(*top).lexically_normal().lexically_relative(fs::path(cwd).lexically_normal());
  // A top that is not an ancestor of cwd in its spelling (a symbolic link
  // on the way): its absolute name.
  if (rel.empty()) return *top;
  return rel.generic_string();
}

}  // namespace postvet::run
