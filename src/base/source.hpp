// Source: the bytes of one input file, owned once and viewed everywhere else.
// Every later stage (CST, model, diagnostics) refers to the input through
// byte offsets into a Source, so nothing copies the text. Line and column
// numbers are computed only when something is printed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

/// A 1-based line and a 1-based byte column.
struct LineCol {
  uint32_t line = 1;
  uint32_t column = 1;
};

/// One file's bytes and names. Offsets are uint32_t: inputs over
/// kMaxInputBytes are refused when read.
class Source {
 public:
  /// `path` is where the bytes came from; `display` is how to name the file
  /// to the user (as the user gave it).
  Source(std::string path, std::string display, std::string bytes);

  const std::string& path() const { return path_; }
  const std::string& display() const { return display_; }
  std::string_view text() const { return bytes_; }
  uint32_t size() const { return static_cast<uint32_t>(bytes_.size()); }
  std::string_view Slice(uint32_t begin, uint32_t end) const {
    return std::string_view(bytes_).substr(begin, end - begin);
  }

  /// Line and column of `offset` (offset == size() is allowed).
  LineCol Locate(uint32_t offset) const;
  /// Offset of the first byte of 1-based `line` (size() past the last line).
  uint32_t LineStart(uint32_t line) const;
  /// The physical line containing `offset`, without its LF.
  std::string_view LineAt(uint32_t offset) const;

  /// For a file linted through a rewritten view of the same length and the
  /// same newlines (a template's static text, src/template/): the bytes as
  /// written, which reports quote. Unset: text().
  void set_written(std::string bytes) { written_ = std::move(bytes); }
  /// LineAt() in the bytes as written.
  std::string_view WrittenLineAt(uint32_t offset) const;

 private:
  void IndexLines() const;

  std::string path_;
  std::string display_;
  std::string bytes_;
  std::string written_;  // see set_written(); empty when unset
  mutable std::vector<uint32_t> line_starts_;  // built on first Locate()
};

/// Largest input file postvet reads (256 MiB): configuration files and
/// tables are kilobytes to a few megabytes; a larger file is refused with a
/// Status before (or, if it grows while read, as soon as) that many bytes
/// are read.
inline constexpr uint64_t kMaxInputBytes = uint64_t{256} << 20;

/// Opens `path` for reading as Postfix's inputs must be: a regular file.
/// The open itself never blocks (O_NONBLOCK, so a FIFO without a writer or
/// a device cannot hang it); the descriptor is then checked with fstat()
/// and anything but a regular file (FIFO, socket, device, directory) is
/// refused with a message naming `display` and what it is. On success the
/// descriptor is in blocking mode again; the caller closes it.
Result<int> OpenRegularFile(const std::string& path, const std::string& display);

/// Reads `path` into a Source shown as `display`. Fails (with a message naming
/// the file) when the path is missing, not a regular file (OpenRegularFile()),
/// unreadable, or larger than kMaxInputBytes; reads never go past that bound.
/// NUL bytes and invalid UTF-8 are read as they are: Postfix reads them too.
Result<Source> ReadSource(const std::string& path, const std::string& display);

}  // namespace postvet
