// ReadFileBuffer() (file_bytes.hpp): reads a regular file straight into an
// anonymous mapping sized from fstat() (OpenInputFile()), growing it
// (mremap) only if the file grows while it is read.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "src/base/file_bytes.hpp"
#include "src/base/source.hpp"

namespace postvet {
namespace {

constexpr size_t kPage = 4096;
// Below this, huge pages are not worth asking for.
constexpr size_t kHugeFrom = size_t{4} << 20;

size_t RoundUp(size_t n, size_t to) { return (n + to - 1) / to * to; }

// Maps `bytes` (a multiple of kPage) of zeroed, writable memory; nullptr on failure.
char* MapBytes(size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  if (bytes >= kHugeFrom) {
    // Both are hints: an old kernel or THP "never" just says no.
    ::madvise(p, bytes, MADV_HUGEPAGE);
#ifdef MADV_POPULATE_WRITE
    ::madvise(p, bytes, MADV_POPULATE_WRITE);
#endif
  }
  return static_cast<char*>(p);
}

}  // namespace

FileBuffer& FileBuffer::operator=(FileBuffer&& other) noexcept {
  if (this != &other) {
    if (mapped_ != 0) ::munmap(data_, mapped_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, 0);
  }
  return *this;
}

FileBuffer::~FileBuffer() {
  if (mapped_ != 0) ::munmap(data_, mapped_);
}

Result<FileBuffer> ReadFileBuffer(const std::string& path, const std::string& display) {
  Result<OpenedInput> opened = OpenInputFile(path, display);
  if (!opened.ok()) return opened.status();
  const int fd = opened.value().fd;
  FileBuffer out;
  // One byte more than the file: reading it shows whether the file grew.
  out.mapped_ = RoundUp(opened.value().size + 1, kPage);
  out.data_ = MapBytes(out.mapped_);
  if (out.data_ == nullptr) {
    out.mapped_ = 0;
    ::close(fd);
    return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(ENOMEM)));
  }
  for (;;) {
    if (out.size_ == out.mapped_) {
      // The file grew while it was read: more room, up to one byte past the bound.
      size_t bigger = RoundUp(std::min<size_t>(out.mapped_ * 2, kMaxInputBytes + 1), kPage);
      void* p = ::mremap(out.data_, out.mapped_, bigger, MREMAP_MAYMOVE);
      if (p == MAP_FAILED) {
        ::close(fd);
        return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(ENOMEM)));
      }
      out.data_ = static_cast<char*>(p);
      out.mapped_ = bigger;
    }
    // Never ask for more than one byte past the bound (as ReadFileBytes()).
    size_t want = std::min(out.mapped_ - out.size_, static_cast<size_t>(kMaxInputBytes + 1 - out.size_));
    Result<size_t> n = ReadInput(fd, out.data_ + out.size_, want, display);
    if (!n.ok()) {
      ::close(fd);
      return n.status();
    }
    if (n.value() == 0) break;
    out.size_ += n.value();
    if (out.size_ > kMaxInputBytes) {
      ::close(fd);
      return InputTooLarge(display);
    }
  }
  ::close(fd);
  return out;
}

}  // namespace postvet
