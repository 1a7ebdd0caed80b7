// LogicalLine: the text Postfix's readllines() (util/readlline.c; format
// spec 1.1) makes of one logical line, together with the Source offset of
// every byte of it, so that whatever a model finds in the joined text can be
// reported at its place in the file. Continuation joins (LF plus any blank
// and comment lines before the continuation) contribute no bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "src/base/source.hpp"

namespace postvet {

/// A byte range [begin, end) of a Source.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool empty() const { return begin == end; }
};

/// One logical line as Postfix reads it.
struct LogicalLine {
  /// The joined bytes (not yet cut at NUL or trimmed).
  std::string text;
  /// offsets[i] is the Source offset of text[i]; offsets[text.size()] is the
  /// offset just past the last byte (before the line's LF).
  std::vector<uint32_t> offsets;
  /// Number of the first physical line (Postfix's line numbers).
  uint32_t line = 0;

  /// The Source range covering text[b, e).
  ByteRange Range(size_t b, size_t e) const;
};

/// Joins the logical line stored in Source bytes [begin, end) (a top-level
/// CST line node; a final LF is left out).
LogicalLine JoinLogicalLine(const Source& source, uint32_t begin, uint32_t end);

}  // namespace postvet
