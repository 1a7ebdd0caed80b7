// LogInput (see log_input.hpp): opening, the first look at the bytes, and
// the raw reads the decoders of log_codecs.cpp build on.
#include "src/tune/log_input.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "src/base/source.hpp"

namespace postvet::tune {
namespace {

bool StartsWith(const char* head, size_t size, std::string_view magic) {
  return size >= magic.size() && std::memcmp(head, magic.data(), magic.size()) == 0;
}

}  // namespace

Result<std::unique_ptr<LogInput>> LogInput::Open(const std::string& path) {
  std::string shown = path == "-" ? std::string("standard input") : path;
  int fd = -1;
  if (path == "-") {
    fd = ::dup(STDIN_FILENO);
    if (fd < 0) return Status::Error(shown + ": cannot open: " + std::strerror(errno));
  } else {
    Result<int> opened = OpenRegularFile(path, shown);
    if (!opened.ok()) return opened.status();
    fd = opened.value();
  }
  std::unique_ptr<LogInput> in(new LogInput(fd, std::move(shown)));
  // The first look: up to 6 bytes (a pipe may give them in pieces).
  while (in->head_size_ < 6) {
    ssize_t n = ::read(fd, in->head_ + in->head_size_, 6 - in->head_size_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return in->Error(std::strerror(errno));
    if (n == 0) break;
    in->head_size_ += static_cast<size_t>(n);
  }
  const char* h = in->head_;
  size_t hs = in->head_size_;
  if (StartsWith(h, hs, "\x1f\x8b")) {
    in->decoder_ = MakeGzipDecoder();
  } else if (StartsWith(h, hs, std::string_view("\xfd" "7zXZ\0", 6))) {
    in->decoder_ = MakeXzDecoder();
  } else if (StartsWith(h, hs, "\x28\xb5\x2f\xfd")) {
    in->decoder_ = MakeZstdDecoder();
  }
  return in;
}

LogInput::~LogInput() { ::close(fd_); }

Status LogInput::Error(const std::string& what) const { return Status::Error(shown_ + ": cannot read: " + what); }

Result<size_t> LogInput::ReadRaw(char* buf, size_t n) {
  if (head_pos_ < head_size_) {
    size_t k = std::min(n, head_size_ - head_pos_);
    std::memcpy(buf, head_ + head_pos_, k);
    head_pos_ += k;
    return k;
  }
  for (;;) {
    ssize_t got = ::read(fd_, buf, n);
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return Error(std::strerror(errno));
  }
}

Result<size_t> LogInput::Read(char* buf, size_t n) {
  if (decoder_ == nullptr) return ReadRaw(buf, n);
  return decoder_->Decode(*this, buf, n);
}

}  // namespace postvet::tune
