// ReadFileBytes(): the bytes of an input file, for a caller that needs them
// writable rather than wrapped in a Source (`show` joins main.cf's continued
// values in place). Same checks and messages as ReadSource(), which uses it.
// ReadFileBuffer(): the same bytes in memory of their own, for big files
// (`show` of a main.cf of tens of megabytes): read straight into pages
// mapped for them (no copy through a read buffer), mapped in one step, with
// transparent huge pages where the kernel offers them on request, so that
// the pages cost a few faults rather than one per 4 KiB.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "src/base/status.hpp"

namespace postvet {

/// The bytes ReadSource() would read: a regular file of at most
/// kMaxInputBytes, or a Status naming `display`.
Result<std::string> ReadFileBytes(const std::string& path, const std::string& display);

/// The error for a file past kMaxInputBytes, naming `display`.
Status InputTooLarge(const std::string& display);

/// An input opened for reading: OpenRegularFile()'s descriptor (the caller
/// closes it) and the size fstat() gave (0 if it gave none).
struct OpenedInput {
  int fd = -1;
  size_t size = 0;
};

/// OpenRegularFile(), then refused with InputTooLarge() when the file is
/// already past kMaxInputBytes (the readers also stop at the bound, for a
/// file that grows while it is read).
Result<OpenedInput> OpenInputFile(const std::string& path, const std::string& display);

/// One read(2) of at most `want` bytes into `buf`, retried on EINTR: the
/// count (0 at the end of the file) or the "cannot read" error naming
/// `display`. Leaves `fd` open.
Result<size_t> ReadInput(int fd, char* buf, size_t want, const std::string& display);

/// Writable bytes of a file in an anonymous mapping of their own.
class FileBuffer {
 public:
  FileBuffer() = default;
  FileBuffer(FileBuffer&& other) noexcept { *this = std::move(other); }
  FileBuffer& operator=(FileBuffer&& other) noexcept;
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;
  ~FileBuffer();

  char* data() { return data_; }
  size_t size() const { return size_; }
  std::string_view view() const { return std::string_view(data_, size_); }

 private:
  friend Result<FileBuffer> ReadFileBuffer(const std::string& path, const std::string& display);
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t mapped_ = 0;  // bytes mapped at data_ (0: nothing mapped)
};

/// The bytes ReadFileBytes() would read (same checks, same messages), in a
/// FileBuffer.
Result<FileBuffer> ReadFileBuffer(const std::string& path, const std::string& display);

}  // namespace postvet
