#include "src/cli/show_output.hpp"

#include <cstdint>
#include <cstring>

namespace postvet {
namespace {

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

// True when no byte of `w` is below 0x20 or from 0x7f up. Borrows and
// carries can only make it report a printable word as not printable,
// never the reverse (the bytewise loop then decides).
bool AllPrintable(uint64_t w) {
  uint64_t below_space = (w - kOnes * 0x20) & ~w & kHighs;
  uint64_t high_or_del = (w | (w + kOnes)) & kHighs;
  return (below_space | high_or_del) == 0;
}

void MakePrintableByte(char& c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u >= 0x7f) c = '?';
}

}  // namespace

void MakePrintableFrom(std::string& text, size_t from) {
  char* p = text.data() + from;
  char* end = text.data() + text.size();
  for (; end - p >= 8; p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    if (AllPrintable(w)) continue;
    for (int i = 0; i < 8; ++i) MakePrintableByte(p[i]);
  }
  for (; p != end; ++p) MakePrintableByte(*p);
}

void AppendNormalizedSpace(std::string& out, std::string_view value) {
  auto sep = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t p = 0;
  bool first = true;
  while (p < value.size()) {
    while (p < value.size() && sep(value[p])) ++p;
    if (p >= value.size()) break;
    size_t start = p;
    while (p < value.size() && !sep(value[p])) ++p;
    if (!first) out += ' ';
    first = false;
    out.append(value.substr(start, p - start));
  }
}

void ChunkedWriter::Flush() {
  if (buffer_.empty()) return;
  std::fwrite(buffer_.data(), 1, buffer_.size(), stream_);
  buffer_.clear();
}

}  // namespace postvet
