#include "src/cli/show_output.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// True when no byte of the 16 at `p` is below 0x20 or from 0x7f up.
#if defined(__SSE2__)
bool AllPrintable16(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // A signed compare: bytes from 0x80 up are negative, so "below 0x20" too.
  const __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
  return _mm_movemask_epi8(bad) == 0;
}
#endif

}  // namespace

void MakePrintableFrom(std::string& text, size_t from) {
  char* p = text.data() + from;
  char* end = text.data() + text.size();
#if defined(__SSE2__)
  if (end - p >= 16) {
    for (; end - p >= 16; p += 16) {
      if (AllPrintable16(p)) continue;
      for (int i = 0; i < 16; ++i) MakePrintableByte(p[i]);
    }
    // The last 16 bytes (overlapping what was done: replacing is idempotent).
    p = end - 16;
    if (!AllPrintable16(p)) {
      for (int i = 0; i < 16; ++i) MakePrintableByte(p[i]);
    }
    return;
  }
#endif
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
  // Straight to the descriptor, after what stdio holds: fwrite() would copy
  // each piece through the stream's own buffer first. Errors are ignored as
  // fwrite()'s were.
  std::fflush(stream_);
  const int fd = fileno(stream_);
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace postvet
