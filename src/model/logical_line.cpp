#include "src/model/logical_line.hpp"

#include "grammar/cst.hpp"

namespace postvet {

ByteRange LogicalLine::Range(size_t b, size_t e) const {
  if (b >= e) return ByteRange{offsets[b], offsets[b]};
  return ByteRange{offsets[b], offsets[e - 1] + 1};
}

LogicalLine JoinLogicalLine(const Source& source, uint32_t begin, uint32_t end) {
  LogicalLine out;
  out.line = source.Locate(begin).line;
  std::string_view text = source.text();
  out.text.reserve(end - begin);
  out.offsets.reserve(end - begin + 1);
  uint32_t pos = begin;
  while (pos < end) {
    if (text[pos] != '\n') {
      out.text += text[pos];
      out.offsets.push_back(pos);
      ++pos;
      continue;
    }
    // An LF: skip it and the dropped (blank or comment) lines after it; the
    // next physical line, if still inside the node, is a continuation.
    uint32_t next = pos + 1;
    for (;;) {
      uint32_t p = next;
      while (p < end && IsSpace(text[p])) ++p;
      if (p >= end || (text[p] != '\n' && text[p] != '#')) break;
      while (p < end && text[p] != '\n') ++p;
      if (p >= end) {
        next = end;
        break;
      }
      next = p + 1;
    }
    pos = next;
  }
  // The end offset: just past the last byte kept (or the line start when empty).
  out.offsets.push_back(out.offsets.empty() ? begin : out.offsets.back() + 1);
  return out;
}

}  // namespace postvet
