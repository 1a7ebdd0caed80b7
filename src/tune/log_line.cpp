// ParseLogLine() (see log_evidence.hpp): the syslog envelope of a line, in
// every timestamp form, with the stamp cache of a stream's lines.
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<int, 12> kDaysBefore = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

bool Digit(char c) { return c >= '0' && c <= '9'; }

// The characters of a syslog tag that matter: 0 most, kTagSlash for '/',
// kTagEnd for what ends it ('[', ':', ' ').
constexpr uint8_t kTagSlash = 1;
constexpr uint8_t kTagEnd = 2;
constexpr std::array<uint8_t, 256> kTagChar = [] {
  std::array<uint8_t, 256> t{};
  t['/'] = kTagSlash;
  t['['] = t[':'] = t[' '] = kTagEnd;
  return t;
}();

// Reads exactly `n` digits at `*pos`.
bool Number(std::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[*pos + i];
    if (!Digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(std::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// "HH:MM:SS" plus an optional fraction; seconds of the day, and the
// fraction in microseconds (digits past the sixth ignored).
bool ClockTime(std::string_view s, size_t* pos, int64_t* seconds, int32_t* micros) {
  if (*pos + 8 > s.size()) return false;
  const char* c = s.data() + *pos;
  auto digit = [c](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(c[i])) - unsigned{'0'}; };
  unsigned h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4), s1 = digit(6), s2 = digit(7);
  if (((h1 > 9) | (h2 > 9) | (m1 > 9) | (m2 > 9) | (s1 > 9) | (s2 > 9) | (c[2] != ':') | (c[5] != ':')) != 0) {
    return false;
  }
  int h = static_cast<int>(h1 * 10 + h2), m = static_cast<int>(m1 * 10 + m2), sec = static_cast<int>(s1 * 10 + s2);
  *pos += 8;
  if (h > 23 || m > 59 || sec > 60) return false;
  if (*pos < s.size() && s[*pos] == '.') {
    ++*pos;
    size_t start = *pos;
    int32_t us = 0;
    while (*pos < s.size() && Digit(s[*pos])) {
      if (*pos - start < 6) us = us * 10 + (s[*pos] - '0');
      ++*pos;
    }
    if (*pos == start) return false;
    for (size_t n = *pos - start; n < 6; ++n) us *= 10;
    *micros = us;
  }
  *seconds = h * 3600 + m * 60 + sec;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// well-known civil-date arithmetic, written out here).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// 0 for "Jan" .. 11 for "Dec", -1 otherwise; a switch on the first letter
// keeps this off the profile of a 1 GB log.
int MonthIndex(std::string_view m) {
  auto is = [&](size_t i) { return m == kMonths[i] ? static_cast<int>(i) : -1; };
  switch (m[0]) {
    case 'J': return m[1] == 'a' ? is(0) : (m[2] == 'n' ? is(5) : is(6));
    case 'F': return is(1);
    case 'M': return m[2] == 'r' ? is(2) : is(4);
    case 'A': return m[1] == 'p' ? is(3) : is(7);
    case 'S': return is(8);
    case 'O': return is(9);
    case 'N': return is(10);
    case 'D': return is(11);
    default: return -1;
  }
}

// `Nov 20 10:00:01`, `Nov  5 ...`, `Nov 05 ...` (postlogd), optional fraction.
bool Traditional(std::string_view s, size_t* pos, int64_t* time, int32_t* micros) {
  if (s.size() < 15) return false;
  int month = MonthIndex(s.substr(0, 3));
  if (month < 0 || s[3] != ' ') return false;
  size_t p = 4;
  int day = 0;
  if (s[p] == ' ') {
    ++p;
    if (!Number(s, &p, 1, &day)) return false;
  } else if (!Number(s, &p, 2, &day)) {
    return false;
  }
  if (day < 1 || day > 31 || !Expect(s, &p, ' ')) return false;
  int64_t clock = 0;
  if (!ClockTime(s, &p, &clock, micros)) return false;
  *time = (kDaysBefore[static_cast<size_t>(month)] + day - 1) * int64_t{86400} + clock;
  *pos = p;
  return true;
}

// `2024-11-20T10:00:01.123456+01:00` (also `Z`, and `+0100` as journalctl's
// short-iso writes it).
bool Rfc3339(std::string_view s, size_t* pos, int64_t* time, int32_t* micros) {
  size_t p = 0;
  int y = 0, mo = 0, d = 0;
  if (!Number(s, &p, 4, &y) || !Expect(s, &p, '-') || !Number(s, &p, 2, &mo) || !Expect(s, &p, '-') ||
      !Number(s, &p, 2, &d)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return false;
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't')) return false;
  ++p;
  int64_t clock = 0;
  if (!ClockTime(s, &p, &clock, micros)) return false;
  int64_t offset = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    // `+01:00` (RFC 3339) or `+0100` (journalctl -o short-iso).
    if (!Number(s, &p, 2, &oh)) return false;
    if (p < s.size() && s[p] == ':') ++p;
    if (!Number(s, &p, 2, &om)) return false;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return false;
  }
  *time = DaysFromCivil(y, mo, d) * 86400 + clock - offset;
  *pos = p;
  return true;
}

[[gnu::always_inline]] inline std::string_view Word(std::string_view s, size_t* pos) {
  size_t b = *pos;
  while (*pos < s.size() && s[*pos] != ' ') ++*pos;
  return s.substr(b, *pos - b);
}

// Word() for the host of a syslog line: 16 bytes at a time where SSE2 is
// there (a host name is mostly shorter).
[[gnu::always_inline]] inline std::string_view HostWord(std::string_view s, size_t* pos) {
#if defined(__SSE2__)
  size_t b = *pos;
  if (s.size() - b >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + b));
    auto bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(' '))));
    if (bits != 0) {
      *pos = b + static_cast<size_t>(__builtin_ctz(bits));
      return s.substr(b, *pos - b);
    }
  }
#endif
  return Word(s, pos);
}

// RFC 5424: `<PRI>1 STAMP HOST APP PROCID MSGID SD MSG`; nullopt when `s`
// is not one.
std::optional<LogLine> ParseRfc5424(std::string_view s) {
  size_t pos = 1;
  while (pos < s.size() && pos < 5 && Digit(s[pos])) ++pos;
  if (pos == 1 || !Expect(s, &pos, '>') || !Expect(s, &pos, '1') || !Expect(s, &pos, ' ')) return std::nullopt;
  s.remove_prefix(pos);
  LogLine line;
  line.form = StampForm::kRfc3339;
  pos = 0;
  if (!Rfc3339(s, &pos, &line.time, &line.micros)) return std::nullopt;
  line.stamp = s.substr(0, pos);
  if (!Expect(s, &pos, ' ')) return std::nullopt;
  line.host = Word(s, &pos);
  if (!Expect(s, &pos, ' ')) return std::nullopt;
  line.tag = Word(s, &pos);
  if (!Expect(s, &pos, ' ')) return std::nullopt;
  std::string_view procid = Word(s, &pos);
  if (!Expect(s, &pos, ' ')) return std::nullopt;
  Word(s, &pos);  // MSGID
  if (!Expect(s, &pos, ' ')) return std::nullopt;
  if (pos < s.size() && s[pos] == '[') {
    // Structured data: elements up to a `]` outside quoted values (where
    // `\\` escapes the next character), repeated.
    while (pos < s.size() && s[pos] == '[') {
      ++pos;
      bool quoted = false;
      while (pos < s.size() && (quoted || s[pos] != ']')) {
        if (quoted && s[pos] == '\\') {
          ++pos;
        } else if (s[pos] == '"') {
          quoted = !quoted;
        }
        ++pos;
      }
      if (pos >= s.size()) return std::nullopt;
      ++pos;
    }
  } else if (!Expect(s, &pos, '-')) {
    return std::nullopt;
  }
  if (pos < s.size() && s[pos] == ' ') ++pos;
  line.message = s.substr(pos);
  // A UTF-8 BOM may start the message.
  if (line.message.substr(0, 3) == "\xEF\xBB\xBF") line.message.remove_prefix(3);
  if (line.host.empty() || line.tag.empty() || line.tag == "-") return std::nullopt;
  if (!procid.empty() && procid.size() <= 10 && procid != "-") {
    long pid = 0;
    for (char c : procid) {
      if (!Digit(c)) return std::nullopt;
      pid = pid * 10 + (c - '0');
    }
    line.pid = pid;
  }
  size_t slash = line.tag.rfind('/');
  line.program = slash == std::string_view::npos ? line.tag : line.tag.substr(slash + 1);
  return line;
}

// True when `s` starts with the cached start of the line before (and has
// more after it): 16-byte compares where SSE2 is there.
[[gnu::always_inline]] inline bool SameStart(std::string_view s, const StampCache& cache) {
  size_t n = cache.start_size;
  if (n == 0 || s.size() <= n) return false;
#if defined(__SSE2__)
  if (n >= 16 && n <= 32) {
    __m128i a = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data())),
                               _mm_loadu_si128(reinterpret_cast<const __m128i*>(cache.start.data())));
    __m128i b = _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + n - 16)),
                               _mm_loadu_si128(reinterpret_cast<const __m128i*>(cache.start.data() + n - 16)));
    return _mm_movemask_epi8(_mm_and_si128(a, b)) == 0xFFFF;
  }
#endif
  return std::memcmp(s.data(), cache.start.data(), n) == 0;
}

// The stamp and the host of a syslog line, and the spaces after them
// (`*pos` past them); the start of the line kept in `cache` for the next.
bool StampAndHost(std::string_view s, size_t* at, LogLine* out, StampCache* cache) {
  LogLine& line = *out;
  size_t pos = 0;
  if (cache != nullptr && cache->Matches(s)) {
    // The stamp of the line before (most lines share their second).
    pos = cache->size;
    line.time = cache->time;
    line.micros = cache->micros;
    line.form = cache->form;
  } else {
    if (Traditional(s, &pos, &line.time, &line.micros)) {
      line.form = StampForm::kTraditional;
    } else if (Rfc3339(s, &pos, &line.time, &line.micros)) {
      line.form = StampForm::kRfc3339;
    } else {
      return false;
    }
    if (cache != nullptr) cache->Keep(s.substr(0, pos), line);
  }
  line.stamp = s.substr(0, pos);
  if (!Expect(s, &pos, ' ')) return false;
  line.host = HostWord(s, &pos);
  if (line.host.empty() || !Expect(s, &pos, ' ')) return false;
  if (cache != nullptr) {
    cache->start_size = 0;
    if (cache->size == line.stamp.size() && pos <= cache->start.size()) {
      std::memcpy(cache->start.data(), s.data(), pos);
      cache->start_size = pos;
    }
  }
  *at = pos;
  return true;
}

}  // namespace

bool ParseLogLine(std::string_view s, LogLine* out, StampCache* cache) {
  if (!s.empty() && s[0] == '<') {
    std::optional<LogLine> line = ParseRfc5424(s);
    if (line) *out = *line;
    return line.has_value();
  }
  LogLine& line = *out;
  line.pid = -1;  // the other fields are all set below
  line.micros = 0;
  size_t pos = 0;
  if (cache != nullptr && SameStart(s, *cache)) {
    // The stamp and host of the line before, and the spaces after them.
    line.time = cache->time;
    line.micros = cache->micros;
    line.form = cache->form;
    line.stamp = std::string_view(s.data(), cache->size);  // within s: SameStart()
    line.host = std::string_view(s.data() + cache->size + 1, cache->start_size - cache->size - 2);
    pos = cache->start_size;
  } else if (!StampAndHost(s, &pos, &line, cache)) {
    return false;
  }
  // The tag ends at '[', ':' or ' '; the program is its part after the last '/'.
  size_t tag_begin = pos;
  size_t program_begin = pos;
  if (s.size() - pos > 8 && std::memcmp(s.data() + pos, "postfix/", 8) == 0) {
    pos += 8;  // no end of the tag in it, and its last '/'
    program_begin = pos;
  }
#if defined(__SSE2__)
  // 16 bytes at once: the first end of the tag, and the last '/' before it.
  if (s.size() - pos >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + pos));
    __m128i ends = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('[')),
                                             _mm_cmpeq_epi8(chunk, _mm_set1_epi8(':'))),
                                _mm_cmpeq_epi8(chunk, _mm_set1_epi8(' ')));
    auto end_bits = static_cast<unsigned>(_mm_movemask_epi8(ends));
    if (end_bits != 0) {
      auto end = static_cast<unsigned>(__builtin_ctz(end_bits));
      auto slash_bits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('/'))));
      slash_bits &= (1u << end) - 1;
      if (slash_bits != 0) program_begin = pos + 32 - static_cast<size_t>(__builtin_clz(slash_bits));
      pos += end;
    }
  }
#endif
  for (; pos < s.size(); ++pos) {
    uint8_t kind = kTagChar[static_cast<unsigned char>(s[pos])];
    if (kind == 0) continue;
    if (kind == kTagEnd) break;
    program_begin = pos + 1;
  }
  line.tag = s.substr(tag_begin, pos - tag_begin);
  if (line.tag.empty() || pos >= s.size()) return false;
#if defined(__SSE2__)
  if (s[pos] == '[' && s.size() - pos > 16) {
    // The pid's digits and the ']' after them in one 16-byte look: the
    // first byte that is not a digit must be the ']' after 1 to 10 digits
    // (as the loop below reads them).
    const char* p = s.data() + pos + 1;
    __m128i d = _mm_sub_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), _mm_set1_epi8('0'));
    __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
    auto other = static_cast<unsigned>(~_mm_movemask_epi8(digit)) & 0xFFFFu;
    if (other == 0) return false;  // 16 digits
    auto n = static_cast<size_t>(__builtin_ctz(other));
    if (n == 0 || n > 10 || p[n] != ']') return false;
    long pid = 0;
    for (size_t i = 0; i < n; ++i) pid = pid * 10 + (p[i] - '0');
    line.pid = pid;
    pos += n + 2;
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    if (pos < s.size() && s[pos] == ' ') ++pos;
    line.message = std::string_view(s.data() + pos, s.size() - pos);
    line.program = std::string_view(s.data() + program_begin, tag_begin + line.tag.size() - program_begin);
    return true;
  }
#endif
  if (s[pos] == '[') {
    ++pos;
    long pid = 0;
    size_t first = pos;
    size_t last = std::min(s.size(), pos + 10);  // at most 10 digits
    for (; pos < last; ++pos) {
      auto d = static_cast<unsigned>(static_cast<unsigned char>(s[pos])) - unsigned{'0'};
      if (d > 9) break;
      pid = pid * 10 + static_cast<long>(d);
    }
    if (pos == first || !Expect(s, &pos, ']')) return false;
    line.pid = pid;
  }
  if (!Expect(s, &pos, ':')) return false;
  if (pos < s.size() && s[pos] == ' ') ++pos;
  line.message = s.substr(pos);
  line.program = s.substr(program_begin, tag_begin + line.tag.size() - program_begin);
  return true;
}

std::optional<LogLine> ParseLogLine(std::string_view s) {
  LogLine line;
  if (!ParseLogLine(s, &line, nullptr)) return std::nullopt;
  return line;
}

bool StampCache::Matches(std::string_view s) const {
  // The same bytes up to the stamp's end and a space after them: the stamp
  // parses the same (it is read from those bytes alone).
  if (size == 0 || s.size() <= size || s[size] != ' ') return false;
  if (size < 8 || size > 16) return std::memcmp(s.data(), bytes.data(), size) == 0;
  // Two 8-byte words, overlapping for a stamp shorter than 16 bytes.
  uint64_t a = 0, b = 0, c = 0, d = 0;
  std::memcpy(&a, s.data(), 8);
  std::memcpy(&b, bytes.data(), 8);
  std::memcpy(&c, s.data() + size - 8, 8);
  std::memcpy(&d, bytes.data() + size - 8, 8);
  return a == b && c == d;
}

void StampCache::Keep(std::string_view stamp, const LogLine& line) {
  start_size = 0;  // the start kept was of the stamp before
  if (stamp.size() > bytes.size()) {
    size = 0;
    return;
  }
  std::memcpy(bytes.data(), stamp.data(), stamp.size());
  size = stamp.size();
  time = line.time;
  micros = line.micros;
  form = line.form;
}

}  // namespace postvet::tune
