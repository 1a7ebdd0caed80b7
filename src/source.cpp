#include "src/source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace postvet {

Source::Source(std::string path, std::string display, std::string bytes)
    : path_(std::move(path)), display_(std::move(display)), bytes_(std::move(bytes)) {}

void Source::IndexLines() const {
  if (!line_starts_.empty()) return;
  line_starts_.push_back(0);
  const char* data = bytes_.data();
  const char* end = data + bytes_.size();
  for (const char* p = data; (p = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end - p)))) != nullptr;) {
    ++p;
    line_starts_.push_back(static_cast<uint32_t>(p - data));
  }
}

LineCol Source::Locate(uint32_t offset) const {
  IndexLines();
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line = static_cast<uint32_t>(it - line_starts_.begin());  // >= 1
  return {line, offset - line_starts_[line - 1] + 1};
}

uint32_t Source::LineStart(uint32_t line) const {
  IndexLines();
  if (line == 0) return 0;
  if (line > line_starts_.size()) return size();
  return line_starts_[line - 1];
}

std::string_view Source::LineAt(uint32_t offset) const {
  uint32_t begin = LineStart(Locate(offset).line);
  std::string_view rest = text().substr(begin);
  return rest.substr(0, rest.find('\n'));
}

Result<Source> ReadSource(const std::string& path, const std::string& display) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Status::Error(fmt::format("{}: cannot open: {}", display, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    ::close(fd);
    return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(err)));
  }
  if (static_cast<uint64_t>(st.st_size) > kMaxInputBytes) {
    ::close(fd);
    return Status::Error(fmt::format("{}: file is larger than {} bytes", display, kMaxInputBytes));
  }
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(err)));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > kMaxInputBytes) {
      ::close(fd);
      return Status::Error(fmt::format("{}: file is larger than {} bytes", display, kMaxInputBytes));
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return Source(path, display, std::move(bytes));
}

}  // namespace postvet
