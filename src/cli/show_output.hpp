// Output helpers of `postvet show` for big main.cf files: text is gathered
// in a buffer and written in 64 KB pieces (the stream flushed, then one
// write(2) per piece, not one stdio call per message), and made
// terminal-safe in place the way Printable() does (every byte below 0x20 or
// from 0x7f up becomes '?'), 16 bytes at a time (8 without SSE2) where
// nothing needs replacing.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace postvet {

/// Printable() applied to `text[from, end)` in place.
void MakePrintableFrom(std::string& text, size_t from);

/// `value` with whitespace runs (SP, HT, CR, LF) as one space and none at
/// either end (NormalizeSpace(), pcf_print_line()), appended to `out`.
void AppendNormalizedSpace(std::string& out, std::string_view value);

/// Lines for one stdio stream, written in pieces of about 64 KB.
class ChunkedWriter {
 public:
  explicit ChunkedWriter(std::FILE* stream) : stream_(stream) {}
  ChunkedWriter(const ChunkedWriter&) = delete;
  ChunkedWriter& operator=(const ChunkedWriter&) = delete;
  ~ChunkedWriter() { Flush(); }

  /// The buffer to append one line to; call EndLine() after.
  std::string& buffer() { return buffer_; }
  /// Writes the buffer out when it has grown past the piece size.
  void EndLine() {
    if (buffer_.size() >= kPiece) Flush();
  }
  /// Writes what is buffered to the stream (no fflush).
  void Flush();

 private:
  static constexpr size_t kPiece = 1 << 16;
  std::FILE* stream_;
  std::string buffer_;
};

}  // namespace postvet
