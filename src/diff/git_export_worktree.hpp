// What git knows about a work tree, for finding the config dirs of a
// repository (src/run/targets_discovery.hpp): where its top is, and which
// files in it are not ignored.
//
// Contract: git runs without a shell, with `-C DIR`, its stderr discarded,
// and core.fsmonitor off (no program named by the repository's config runs).
// WorkTreeTop() is nullopt outside a work tree (or inside .git, or when git
// is missing). WorkTreeFiles() lists the files below DIR that are tracked
// or untracked but not ignored (`git ls-files -co --exclude-standard -z`:
// .gitignore, .git/info/exclude and core.excludesFile all apply), as paths
// relative to DIR, each once; a tracked file deleted from disk may be
// listed (callers look at the disk). Bounded: at most kMaxWorkTreeListing
// bytes of names, else an error.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

inline constexpr size_t kMaxWorkTreeListing = size_t{64} << 20;

/// The absolute top directory of the git work tree holding `dir`.
std::optional<std::string> WorkTreeTop(const std::string& dir);

/// The files below `dir` that git does not ignore, relative to `dir`;
/// with `tracked_only`, only those in the index (`git ls-files -c`).
Result<std::vector<std::string>> WorkTreeFiles(const std::string& dir, bool tracked_only = false);

}  // namespace postvet
