// JournalRecord (see journal_record.hpp). The JSON reader is a small
// scanner for the flat objects journalctl writes (string, number, null and
// array values; an array of byte values is a field in binary form); strings are unescaped by DecodeJsonString()
// (src/base/json_reader.hpp).
#include "src/tune/journal_record.hpp"

#include <fmt/format.h>

#include "src/base/json_reader.hpp"

namespace postvet::tune {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

// A decimal number of up to 18 digits, or -1.
int64_t Decimal(std::string_view s) {
  if (s.empty() || s.size() > 18) return -1;
  int64_t n = 0;
  for (char c : s) {
    if (!Digit(c)) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// A JSON string starting at the quote at `*pos`, unescaped into `out`
// (src/base/json_reader.hpp's decoder, as for every JSON postvet reads).
bool JsonString(std::string_view s, size_t* pos, std::string* out) {
  out->clear();
  return DecodeJsonString(s, pos, out) == nullptr;
}

void SkipSpace(std::string_view s, size_t* pos) {
  while (*pos < s.size() && (s[*pos] == ' ' || s[*pos] == '\t')) ++*pos;
}

// Skips a value that is not a string: number, literal or a flat array.
bool SkipValue(std::string_view s, size_t* pos) {
  size_t p = *pos;
  if (p < s.size() && s[p] == '[') {
    size_t close = s.find(']', p);
    if (close == std::string_view::npos) return false;
    *pos = close + 1;
    return true;
  }
  while (p < s.size() && s[p] != ',' && s[p] != '}') ++p;
  if (p == *pos) return false;
  *pos = p;
  return true;
}

// journald's binary form of a field (a value with bytes that are not
// printable UTF-8): an array of numbers 0..255 starting at the '[' at
// `*pos`, into `out`. False, with `*pos` unchanged, for any other value.
bool JsonByteArray(std::string_view s, size_t* pos, std::string* out) {
  out->clear();
  size_t p = *pos + 1;
  for (;;) {
    SkipSpace(s, &p);
    if (p < s.size() && s[p] == ']' && out->empty()) break;  // []
    int byte = 0;
    size_t digits = 0;
    while (p < s.size() && Digit(s[p]) && digits < 4) {
      byte = byte * 10 + (s[p] - '0');
      ++p;
      ++digits;
    }
    if (digits == 0 || byte > 255) return false;
    if (out->size() < kMaxLineBytes) out->push_back(static_cast<char>(byte));
    SkipSpace(s, &p);
    if (p < s.size() && s[p] == ',') {
      ++p;
      continue;
    }
    if (p < s.size() && s[p] == ']') break;
    return false;
  }
  *pos = p + 1;
  return true;
}

// Days since 1970-01-01 to a civil date (inverse of the arithmetic in
// log_line.cpp).
void CivilFromDays(int64_t z, int64_t* y, int* m, int* d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  *m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

}  // namespace

std::string UtcStamp(int64_t seconds) {
  int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  int64_t rest = seconds - days * 86400;
  int64_t y = 0;
  int m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rest / 3600, rest / 60 % 60, rest % 60);
}

void JournalRecord::Clear() {
  usec = -1;
  pid = -1;
  fallback_pid = -1;
  host.clear();
  tag.clear();
  message.clear();
  has_message = false;
}

void JournalRecord::SetField(std::string_view name, std::string_view value) {
  if (value.size() > kMaxLineBytes) value = value.substr(0, kMaxLineBytes);
  if (name == "__REALTIME_TIMESTAMP") {
    usec = Decimal(value);
  } else if (name == "_HOSTNAME") {
    host.assign(value);
  } else if (name == "SYSLOG_IDENTIFIER") {
    tag.assign(value);
  } else if (name == "SYSLOG_PID") {
    int64_t n = value.size() <= 10 ? Decimal(value) : -1;
    pid = static_cast<long>(n);
  } else if (name == "_PID") {
    int64_t n = value.size() <= 10 ? Decimal(value) : -1;
    fallback_pid = static_cast<long>(n);
  } else if (name == "MESSAGE") {
    message.assign(value);
    has_message = true;
  }
}

std::optional<LogLine> JournalRecord::View() {
  if (usec < 0 || tag.empty() || !has_message) return std::nullopt;
  LogLine line;
  line.form = StampForm::kJournal;
  line.time = usec / 1000000;
  line.micros = static_cast<int32_t>(usec % 1000000);
  stamp = UtcStamp(line.time);
  line.stamp = stamp;
  if (host.empty()) host = "-";
  line.host = host;
  line.tag = tag;
  line.pid = pid >= 0 ? pid : fallback_pid;
  line.message = message;
  std::string_view t = line.tag;
  size_t slash = t.rfind('/');
  line.program = slash == std::string_view::npos ? t : t.substr(slash + 1);
  return line;
}

bool ParseJournalJson(std::string_view s, JournalRecord* record) {
  record->Clear();
  size_t pos = 0;
  if (pos >= s.size() || s[pos] != '{') return false;
  ++pos;
  std::string key;
  std::string value;
  for (;;) {
    SkipSpace(s, &pos);
    if (pos < s.size() && s[pos] == '}') break;
    if (pos >= s.size() || s[pos] != '"' || !JsonString(s, &pos, &key)) return false;
    SkipSpace(s, &pos);
    if (pos >= s.size() || s[pos] != ':') return false;
    ++pos;
    SkipSpace(s, &pos);
    if (pos < s.size() && s[pos] == '"') {
      if (!JsonString(s, &pos, &value)) return false;
      record->SetField(key, value);
    } else if (pos < s.size() && s[pos] == '[' && JsonByteArray(s, &pos, &value)) {
      record->SetField(key, value);
    } else {
      size_t begin = pos;
      if (!SkipValue(s, &pos)) return false;
      std::string_view raw = s.substr(begin, pos - begin);
      while (!raw.empty() && raw.back() == ' ') raw.remove_suffix(1);
      // Numbers are fields too (some tools write them bare); other arrays
      // (a field journald holds more than once) are not read.
      if (!raw.empty() && Digit(raw[0])) record->SetField(key, raw);
    }
    SkipSpace(s, &pos);
    if (pos < s.size() && s[pos] == ',') {
      ++pos;
      continue;
    }
    if (pos < s.size() && s[pos] == '}') break;
    return false;
  }
  return record->usec >= 0;
}

bool StartsExportEntry(std::string_view line) {
  return line.substr(0, 9) == "__CURSOR=" || line.substr(0, 21) == "__REALTIME_TIMESTAMP=";
}

}  // namespace postvet::tune
