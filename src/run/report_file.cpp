#include "src/run/report_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include <fmt/core.h>

namespace postvet::run {
namespace {

// Writes all of `text` to `fd`; false on an error.
bool WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Replaces the regular file `path` (whose stat is `st`) by a temporary file
// holding the output, renamed over it. False, leaving `path` as it was, on
// any failure.
bool ReplaceAtomically(const std::string& path, const struct stat& st,
                       const std::function<void(const WriteFn&)>& render) {
  std::string tmp = path + ".postvet-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return false;
  bool ok = true;
  render([&](std::string_view text) { ok = ok && WriteAll(fd, text); });
  // Keep the owner when we may (root); owner first: chown() clears
  // setuid/setgid bits, so the mode comes after it.
  if (ok && (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) && ::geteuid() == 0) {
    ok = ::fchown(fd, st.st_uid, st.st_gid) == 0;
  }
  ok = ok && ::fchmod(fd, st.st_mode & 07777) == 0;
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  ok = ok && ::rename(tmp.c_str(), path.c_str()) == 0;
  if (!ok) ::unlink(tmp.c_str());
  return ok;
}

// Opens `path` for writing (created if missing, truncated) and writes the
// output into it.
bool WriteInPlace(const std::string& path, const std::function<void(const WriteFn&)>& render) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return false;
  bool ok = true;
  render([&](std::string_view text) { ok = ok && std::fwrite(text.data(), 1, text.size(), f) == text.size(); });
  return std::fclose(f) == 0 && ok;
}

}  // namespace

bool WriteReportFile(const std::string& path, const std::function<void(const WriteFn&)>& render) {
  struct stat st {};
  const bool regular = ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  if (regular && ReplaceAtomically(path, st, render)) return true;
  if (WriteInPlace(path, render)) return true;
  fmt::print(stderr, "postvet: {}: cannot write\n", path);
  return false;
}

}  // namespace postvet::run
