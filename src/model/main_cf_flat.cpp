// MainCf::BuildInPlace(): main.cf's definitions read straight from the
// bytes, for `show` of big files, where the Cst (about 68,000 nodes per MB)
// and a copy of every continued value were most of the memory and time.
//
// The scanner follows grammar/main_cf.hpp and grammar/line_layer.hpp rule by
// rule (tests/main_cf_flat_test.cpp compares both builders on fixtures and
// random inputs): at the start of each physical line, a dropped line (blank,
// all whitespace, or '#' after optional whitespace) is skipped; a line that
// starts with whitespace is a bad_leading line; otherwise a name (bytes other
// than whitespace, LF, '=' and NUL), whitespace or joins, and '=' make a
// parameter, and anything else is a bad_line. A logical line ends at the
// first LF that is not a join (JoinLength()).
#include <array>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "grammar/line_layer.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/main_cf_internal.hpp"

namespace postvet {
namespace {

// Bytes a name may hold (main_cf::name_byte), as a table: the name scan
// runs over every definition's first bytes.
constexpr auto kNameBytes = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) t[static_cast<size_t>(c)] = true;
  for (char c : {' ', '\t', '\v', '\f', '\r', '\n', '=', '\0'}) t[static_cast<unsigned char>(c)] = false;
  return t;
}();

inline bool IsNameByte(char c) { return kNameBytes[static_cast<unsigned char>(c)]; }

// The end of the run of name bytes at `p`: 16 bytes at a time where SSE2
// is there, the bytes up to 0x20 and '=' being the only candidates for an
// end (the table decides which of them are).
const char* NameEnd(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i equals = _mm_set1_epi8('=');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(v, space), v);  // v <= 0x20, unsigned
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(v, equals))));
    for (; mask != 0; mask &= mask - 1) {
      const char* c = p + __builtin_ctz(mask);
      if (!IsNameByte(*c)) return c;
    }
    p += 16;
  }
#endif
  while (p != end && IsNameByte(*p)) ++p;
  return p;
}

// Walks one buffer; `line` is the number of the physical line at `pos`.
class Scanner {
 public:
  Scanner(char* data, size_t size) : base_(data), end_(data + size) {}

  const char* base() const { return base_; }
  const char* end() const { return end_; }
  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - base_); }

  // Length of the join at `p` (an LF or not), counting its LFs into line_:
  // grammar::JoinLength(), with the comment lines skipped by memchr() and
  // the lines counted on the way.
  size_t Join(const char* p) {
    if (p == end_ || *p != '\n') return 0;
    const char* q = p + 1;
    uint32_t lines = 1;
    for (;;) {  // skip dropped lines
      const char* r = q;
      while (r != end_ && IsSpace(*r)) ++r;
      if (r == end_) return 0;
      if (*r == '\n' || *r == '#') {
        const auto* lf = *r == '\n' ? r : static_cast<const char*>(std::memchr(r, '\n', static_cast<size_t>(end_ - r)));
        if (lf == nullptr) return 0;
        q = lf + 1;
        ++lines;
        continue;
      }
      if (r == q) return 0;  // continuation must start with space
      line_ += lines;
      return static_cast<size_t>(q - p);
    }
  }

  // Skips whitespace and joins (main_cf::space).
  const char* SkipSpace(const char* p) {
    for (;;) {
      if (p != end_ && IsSpace(*p)) {
        ++p;
      } else if (size_t n = Join(p); n > 0) {
        p += n;
      } else {
        return p;
      }
    }
  }

  // The end of the logical line holding `p`: its final LF, or the buffer's
  // end. The joins crossed are left in joins().
  const char* LogicalEnd(const char* p) {
    joins_.clear();
    for (;;) {
      const auto* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<size_t>(end_ - p)));
      if (lf == nullptr) return end_;
      size_t n = Join(lf);
      if (n == 0) return lf;
      joins_.emplace_back(Offset(lf), static_cast<uint32_t>(n));
      p = lf + n;
    }
  }

  // The joins (offset, length) the last LogicalEnd() crossed, in order.
  const std::vector<std::pair<uint32_t, uint32_t>>& joins() const { return joins_; }

  uint32_t line() const { return line_; }
  void set_line(uint32_t line) { line_ = line; }
  void NextLine() { ++line_; }
  char* mutable_base() { return base_; }

 private:
  char* base_;
  const char* end_;
  uint32_t line_ = 1;
  std::vector<std::pair<uint32_t, uint32_t>> joins_;
};

// Squeezes `joins` (offset from `base`, length; all inside [b, e), in
// order) out of [b, e) in place (JoinedText()); returns the new end.
char* JoinInPlace(char* base, char* b, char* e, const std::vector<std::pair<uint32_t, uint32_t>>& joins) {
  char* out = b;
  const char* p = b;
  for (const auto& [offset, length] : joins) {
    const char* join = base + offset;
    if (out != p) std::memmove(out, p, static_cast<size_t>(join - p));
    out += join - p;
    p = join + length;
  }
  std::memmove(out, p, static_cast<size_t>(e - p));
  return out + (e - p);
}

std::string_view TrimRightCSpace(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || IsSpace(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

MainCf MainCf::BuildInPlace(char* data, size_t size) {
  MainCf m;
  // Reserved, not touched: pages past the real count are never faulted in.
  // Real files average well over 32 bytes per definition (counting them
  // first, a memchr() per line, cost more than the rare growth).
  m.definitions_.reserve(size / 32 + 16);
  // Most files hold no NUL at all: then no value needs cutting at one.
  const bool has_nul = std::memchr(data, '\0', size) != nullptr;
  Scanner s(data, size);
  const char* p = s.base();
  while (p != s.end()) {
    const char* q = p;
    while (q != s.end() && IsSpace(*q)) ++q;
    if (q == s.end()) break;  // whitespace up to the end: a blank line
    if (*q == '\n' || *q == '#') {  // blank or comment line
      const auto* lf = static_cast<const char*>(std::memchr(q, '\n', static_cast<size_t>(s.end() - q)));
      if (lf == nullptr) break;
      p = lf + 1;
      s.NextLine();
      continue;
    }
    const uint32_t line = s.line();
    const char* name_end = NameEnd(p, s.end());
    const char* eq = q == p && name_end != p ? s.SkipSpace(name_end) : nullptr;
    if (eq == nullptr || eq == s.end() || *eq != '=') {
      // bad_leading (starts with whitespace) or bad_line: the whole logical
      // line, from its start again.
      s.set_line(line);
      const char* stop = s.LogicalEnd(p);
      const char* after = stop == s.end() ? stop : stop + 1;
      m.bad_lines_.push_back(MakeBadLine(q != p, JoinedText(std::string_view(p, static_cast<size_t>(after - p))),
                                         Cst::kNone, line, s.Offset(p), s.Offset(after)));
      p = after;
      if (stop != s.end()) s.NextLine();
      continue;
    }
    MainCfDefinition d;
    d.node = Cst::kNone;
    d.line = line;
    d.name_begin = s.Offset(p);
    d.name_end = s.Offset(name_end);
    d.name = std::string_view(p, static_cast<size_t>(name_end - p));
    const char* value = s.SkipSpace(eq + 1);
    const char* stop = value != s.end() && *value == '\n' ? value : s.LogicalEnd(value);
    if (value == stop) {  // no value
      d.value_begin = d.value_end = s.Offset(eq + 1);
    } else {
      // The value ends at the last non-space byte of the logical line (the
      // last physical line has one: a name or a continuation's text).
      const char* value_end = stop;
      while (IsSpace(value_end[-1])) --value_end;
      d.value_begin = s.Offset(value);
      d.value_end = s.Offset(value_end);
      char* b = s.mutable_base() + d.value_begin;
      char* e = s.mutable_base() + d.value_end;
      if (!s.joins().empty()) e = JoinInPlace(s.mutable_base(), b, e, s.joins());
      std::string_view v(b, static_cast<size_t>(e - b));
      d.value = TrimRightCSpace(has_nul ? CutAtNul(v) : v);
    }
    m.definitions_.push_back(d);
    p = stop == s.end() ? stop : stop + 1;
    if (stop != s.end()) s.NextLine();
  }
  m.IndexDefinitions();
  return m;
}

}  // namespace postvet
