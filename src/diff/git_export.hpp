// Exporting a directory as of a git revision, for `postvet diff --git REV`.
//
// Contract:
// - ScratchDir is a fresh private directory (mkdtemp(3), mode 0700) under
//   $TMPDIR or /tmp: never a guessable name, never one that existed before,
//   so nobody else can plant links or files in it. It is removed when the
//   object goes (and never followed into: entries are unlinked, not walked
//   through symbolic links). While it exists, SIGINT, SIGTERM, SIGHUP and
//   SIGQUIT are held (blocked in this process, not in the git children), so
//   an interrupted run removes it first and then ends by the signal.
// - ExportRevision writes every regular file of `dir` as of `rev`,
//   subdirectories included, into such a directory. Names come from
//   `git ls-tree -r -z` (never quoted, so non-ASCII and odd names work) and
//   contents from one `git cat-file --batch`. Files are created with
//   O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600. Symbolic links, submodules and
//   names with empty, "." or ".." components are skipped. Bounded: at most
//   kMaxExportFiles files and kMaxExportBytes bytes, else an error.
// - git runs without a shell; a revision starting with '-' is refused.
#pragma once

#include <string>

#include "src/base/status.hpp"

namespace postvet {

inline constexpr size_t kMaxExportFiles = 20000;
inline constexpr size_t kMaxExportBytes = size_t{256} << 20;

class ScratchDir {
 public:
  ScratchDir() = default;
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  /// Creates the directory; an error when mkdtemp fails.
  Status Create(const std::string& prefix);
  /// Removes it now (also done by the destructor).
  void Remove();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

/// Whether `rev` names a commit of the repository holding `dir`: an error
/// saying why not (not a work tree, no such revision, a leading '-').
Status CheckRevision(const std::string& rev, const std::string& dir);

/// Whether `dir` (inside a git work tree) exists as a directory at `rev`.
bool DirectoryAtRevision(const std::string& rev, const std::string& dir);

/// Writes the files of `dir` (inside a git work tree) as of `rev` into the
/// private directory `into` (a ScratchDir's path). With `below` (a
/// relative path), those of `dir`/`below` instead, which need not exist in
/// the work tree any more (a directory deleted since `rev`).
Status ExportRevision(const std::string& rev, const std::string& dir, const std::string& into,
                      const std::string& below = "");

}  // namespace postvet
