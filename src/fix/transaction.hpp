// FixTransaction: writes the files `postvet check --fix` changed so that no
// byte is lost: either every file gets its new contents or (as far as the
// file system allows) none does, and a file someone else edited meanwhile
// is never overwritten.
//
// Contract of Commit():
//  1. Resolve: a symlink is followed to its target (the link stays a link);
//     each file is identified by device and inode, so one file reached by
//     two names is written once (two different new contents for it are an
//     error).
//  2. Refuse (nothing written) a file that is not a regular file, has no
//     write bit at all (0444: read-only on purpose, even for root), is not
//     writable by the caller, or whose bytes differ from those postvet read.
//  3. Prepare every file before touching any: a temporary file
//     NAME.postvet-XXXXXX next to the target holding the new bytes, and one
//     holding the original bytes (the undo copy), each owner first, then
//     mode (so setuid/setgid bits survive), then fsync.
//  4. Just before replacing, check again that each target is unchanged
//     (device, inode, size, link count, mtime, ctime, and its bytes), then
//     replace them all with SIGINT/SIGTERM/SIGHUP held back: rename() the
//     temporary file onto the target, or, for a file with several hard
//     links or whose owner cannot be kept, rewrite it in place (same inode;
//     the undo copy is the safety net). If one replacement fails, the ones
//     done are put back from their undo copies and the report says which
//     files changed. (An edit landing between this check and the rename
//     cannot be seen: no lock binds other editors.)
//  5. Until the replacement starts, SIGINT/SIGTERM/SIGHUP remove every
//     temporary file and then end the process as the signal would have.
//
// Test hook: when POSTVET_TEST_PAUSE_BEFORE_RENAME names a FIFO, Commit()
// opens it for reading after step 3 and waits for end of file before step
// 4, so a test can edit a file or send a signal at exactly that point. The
// variable is read here only.
#pragma once

#include <string>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

/// What happened to the files of one Commit().
struct CommitReport {
  std::vector<std::string> changed;    // names as given to Add(), now holding the new bytes
  std::vector<std::string> unchanged;  // names still holding their original bytes
  /// Files that changed although the commit failed and could not be put
  /// back, with where their original bytes are kept.
  std::vector<std::string> stranded;
};

class FixTransaction {
 public:
  /// Plans to replace `path` (which held `original` when read) by `contents`.
  void Add(std::string path, std::string original, std::string contents);

  /// Writes everything added (see the contract above). On failure the
  /// Status says why and what was and was not changed; `report` (optional)
  /// receives the lists either way.
  Status Commit(CommitReport* report = nullptr);

 private:
  struct Entry {
    std::string path;
    std::string original;
    std::string contents;
  };
  std::vector<Entry> entries_;
};

/// `path` with every symlink of its last component followed (not the
/// directories above it): where a write through the link must land. Fails
/// on a link loop.
Result<std::string> ResolveFinalSymlinks(const std::string& path);

}  // namespace postvet
