// DirLocks: one `postvet check --fix` at a time per config directory. The
// lock is flock() on the directory itself (opened O_RDONLY|O_DIRECTORY), so
// no lock file is left in the user's directory; it is released when the
// process ends, however it ends. A second run waits a bounded time for the
// first, then gives up with a message (exit 2 in the caller).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

class DirLocks {
 public:
  DirLocks() = default;
  ~DirLocks();
  DirLocks(const DirLocks&) = delete;
  DirLocks& operator=(const DirLocks&) = delete;

  /// Locks every directory of `dirs` (each once, however named, in a fixed
  /// order), waiting at most `wait` for each. `on_wait` is called once per
  /// directory another process holds. Fails naming the directory.
  Status Acquire(const std::vector<std::string>& dirs, std::chrono::milliseconds wait,
                 const std::function<void(const std::string&)>& on_wait);

 private:
  std::vector<int> fds_;
};

/// How long a fix run waits for another one: 30 s, or
/// POSTVET_LOCK_WAIT_SECONDS (whole seconds; meant for tests).
std::chrono::milliseconds FixLockWait();

}  // namespace postvet
