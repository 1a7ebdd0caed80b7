#include "src/diff/git_export_worktree.hpp"

#include <fmt/format.h>

#include "src/base/printable.hpp"
#include "src/diff/git_export_process.hpp"

namespace postvet {

std::optional<std::string> WorkTreeTop(const std::string& dir) {
  std::optional<std::string> inside =
      CaptureOutput({"git", "-C", dir, "rev-parse", "--is-inside-work-tree"}, 1 << 10);
  if (!inside || inside->rfind("true", 0) != 0) return std::nullopt;
  std::optional<std::string> top = CaptureOutput({"git", "-C", dir, "rev-parse", "--show-toplevel"}, 1 << 20);
  if (!top) return std::nullopt;
  while (!top->empty() && (top->back() == '\n' || top->back() == '\r')) top->pop_back();
  if (top->empty()) return std::nullopt;
  return top;
}

Result<std::vector<std::string>> WorkTreeFiles(const std::string& dir, bool tracked_only) {
  // --deduplicate: a file in conflict (several index stages) is listed once.
  // core.fsmonitor off: a repository's own config must not make listing
  // its files run a program of its choosing.
  std::vector<std::string> argv = {"git", "-C", dir, "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached",
                                   "--deduplicate"};
  if (!tracked_only) argv.insert(argv.end(), {"--others", "--exclude-standard"});
  argv.insert(argv.end(), {"--", "."});
  std::optional<std::string> listing = CaptureOutput(argv, kMaxWorkTreeListing);
  if (!listing) {
    return Status::Error(fmt::format("{}: cannot list the files of the git work tree (or more than {} MiB of names)",
                                     report::TerminalSafe(dir), kMaxWorkTreeListing >> 20));
  }
  std::vector<std::string> files;
  for (size_t pos = 0; pos < listing->size();) {
    size_t end = listing->find('\0', pos);
    if (end == std::string::npos) end = listing->size();
    if (end > pos) files.emplace_back(listing->substr(pos, end - pos));
    pos = end + 1;
  }
  return files;
}

}  // namespace postvet
