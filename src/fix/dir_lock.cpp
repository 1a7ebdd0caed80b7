#include "src/fix/dir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <thread>

#include <fmt/format.h>

namespace postvet {

DirLocks::~DirLocks() {
  for (int fd : fds_) ::close(fd);
}

Status DirLocks::Acquire(const std::vector<std::string>& dirs, std::chrono::milliseconds wait,
                         const std::function<void(const std::string&)>& on_wait) {
  // By device and inode: the same directory named twice is locked once,
  // and every run takes its locks in the same order.
  std::map<std::pair<dev_t, ino_t>, std::string> order;
  for (const std::string& d : dirs) {
    struct stat st {};
    if (::stat(d.c_str(), &st) != 0) return Status::Error(fmt::format("{}: cannot stat: {}", d, std::strerror(errno)));
    order.try_emplace({st.st_dev, st.st_ino}, d);
  }
  for (const auto& [id, dir] : order) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Status::Error(fmt::format("{}: cannot open to lock: {}", dir, std::strerror(errno)));
    fds_.push_back(fd);
    const auto deadline = std::chrono::steady_clock::now() + wait;
    bool told = false;
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EINTR) continue;
      if (errno != EWOULDBLOCK) return Status::Error(fmt::format("{}: cannot lock: {}", dir, std::strerror(errno)));
      if (std::chrono::steady_clock::now() >= deadline) {
        return Status::Error(fmt::format(
            "{}: another postvet --fix is still working on this directory after {} s; nothing written", dir,
            std::chrono::duration_cast<std::chrono::seconds>(wait).count()));
      }
      if (!told && on_wait) on_wait(dir);
      told = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  return Status();
}

std::chrono::milliseconds FixLockWait() {
  const char* env = std::getenv("POSTVET_LOCK_WAIT_SECONDS");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    long s = std::strtol(env, &end, 10);
    if (end != nullptr && *end == '\0' && s >= 0 && s <= 3600) return std::chrono::seconds(s);
  }
  return std::chrono::seconds(30);
}

}  // namespace postvet
