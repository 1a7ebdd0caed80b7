#include "src/base/source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "src/base/file_bytes.hpp"

namespace postvet {

Source::Source(std::string path, std::string display, std::string bytes)
    : path_(std::move(path)), display_(std::move(display)), bytes_(std::move(bytes)) {}

void Source::IndexLines() const {
  if (!line_starts_.empty()) return;
  const char* data = bytes_.data();
  const char* end = data + bytes_.size();
  // Exactly one allocation: growth by doubling would keep up to a third
  // more (a 100,000-line table: 512 KiB for 400 KB of offsets).
  line_starts_.reserve(static_cast<size_t>(std::count(data, end, '\n')) + 1);
  line_starts_.push_back(0);
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

std::string_view Source::WrittenLineAt(uint32_t offset) const {
  if (written_.size() != bytes_.size()) return LineAt(offset);
  uint32_t begin = LineStart(Locate(offset).line);
  std::string_view rest = std::string_view(written_).substr(begin);
  return rest.substr(0, rest.find('\n'));
}

namespace {

std::string_view FileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

}  // namespace

Status InputTooLarge(const std::string& display) {
  return Status::Error(fmt::format("{}: file is larger than {} bytes (postvet's limit for one input)", display,
                                   kMaxInputBytes));
}

Result<int> OpenRegularFile(const std::string& path, const std::string& display) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    return Status::Error(fmt::format("{}: cannot open: {}", display, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(err)));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    if (S_ISDIR(st.st_mode)) {
      return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(EISDIR)));
    }
    return Status::Error(fmt::format("{}: cannot read: {}, not a regular file", display, FileTypeName(st.st_mode)));
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

Result<OpenedInput> OpenInputFile(const std::string& path, const std::string& display) {
  Result<int> opened = OpenRegularFile(path, display);
  if (!opened.ok()) return opened.status();
  const int fd = opened.value();
  struct stat st {};
  if (::fstat(fd, &st) != 0) return OpenedInput{fd, 0};
  if (static_cast<uint64_t>(st.st_size) > kMaxInputBytes) {
    ::close(fd);
    return InputTooLarge(display);
  }
  return OpenedInput{fd, static_cast<size_t>(std::max<off_t>(st.st_size, 0))};
}

Result<size_t> ReadInput(int fd, char* buf, size_t want, const std::string& display) {
  for (;;) {
    ssize_t n = ::read(fd, buf, want);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(errno)));
  }
}

Result<std::string> ReadFileBytes(const std::string& path, const std::string& display) {
  Result<OpenedInput> opened = OpenInputFile(path, display);
  if (!opened.ok()) return opened.status();
  const int fd = opened.value().fd;
  std::string bytes;
  bytes.reserve(opened.value().size);
  char buf[1 << 16];
  for (;;) {
    // Never ask for more than one byte past the bound: a file that grows
    // while it is read is refused without reading the growth.
    size_t want = std::min(sizeof buf, static_cast<size_t>(kMaxInputBytes + 1 - bytes.size()));
    Result<size_t> n = ReadInput(fd, buf, want, display);
    if (!n.ok()) {
      ::close(fd);
      return n.status();
    }
    if (n.value() == 0) break;
    if (bytes.size() + n.value() > kMaxInputBytes) {
      ::close(fd);
      return InputTooLarge(display);
    }
    bytes.append(buf, n.value());
  }
  ::close(fd);
  return bytes;
}

Result<Source> ReadSource(const std::string& path, const std::string& display) {
  Result<std::string> bytes = ReadFileBytes(path, display);
  if (!bytes.ok()) return bytes.status();
  return Source(path, display, std::move(bytes.value()));
}

}  // namespace postvet
