// LogInput: the bytes of one mail log, decompressed. The compression is told
// by the first bytes, never by the name: gzip (1f 8b, members one after the
// other; bytes after the last member are ignored, as gzip(1) does), xz
// (fd 37 7a 58 5a 00, streams one after the other), zstd (28 b5 2f fd,
// frames one after the other); anything else is read as it is. A named log
// must be a regular file (OpenRegularFile(): a FIFO or /dev/zero would block
// or never end); "-" reads standard input, whatever it is, as asked.
//
// Contract: Read() fills a caller's buffer; memory is fixed per input (an
// input buffer, the decoder's state: xz and zstd windows are capped at
// kMaxWindowBytes, a stream asking for more is an error). Corrupt or
// truncated data is an error naming the file, never a crash. Internal to
// src/tune.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "src/base/status.hpp"

namespace postvet::tune {

/// Largest xz dictionary / zstd window a log may need (xz -9 uses 64 MiB).
inline constexpr size_t kMaxWindowBytes = size_t{1} << 27;

class LogInput {
 public:
  /// Turns the raw bytes of `in` (ReadRaw()) into the log's bytes.
  struct Decoder {
    virtual ~Decoder() = default;
    /// Up to `n` bytes into `buf`; 0 at the end of the data.
    virtual Result<size_t> Decode(LogInput& in, char* buf, size_t n) = 0;
  };

  /// Opens `path` ("-": standard input) and looks at its first bytes.
  static Result<std::unique_ptr<LogInput>> Open(const std::string& path);
  ~LogInput();
  LogInput(const LogInput&) = delete;
  LogInput& operator=(const LogInput&) = delete;

  /// Up to `n` bytes of the log into `buf`; 0 at its end.
  Result<size_t> Read(char* buf, size_t n);
  /// Up to `n` raw (maybe compressed) bytes: what the first look kept,
  /// then the file's; 0 at its end.
  Result<size_t> ReadRaw(char* buf, size_t n);
  /// The name used in messages ("standard input" for "-").
  const std::string& shown() const { return shown_; }
  /// "shown: cannot read: what".
  Status Error(const std::string& what) const;

 private:
  LogInput(int fd, std::string shown) : fd_(fd), shown_(std::move(shown)) {}
  int fd_;
  std::string shown_;
  char head_[8] = {};
  size_t head_size_ = 0;
  size_t head_pos_ = 0;
  std::unique_ptr<Decoder> decoder_;  // null: plain
};

/// The decoders of log_codecs.cpp (zlib, liblzma, libzstd).
std::unique_ptr<LogInput::Decoder> MakeGzipDecoder();
std::unique_ptr<LogInput::Decoder> MakeXzDecoder();
std::unique_ptr<LogInput::Decoder> MakeZstdDecoder();

}  // namespace postvet::tune
