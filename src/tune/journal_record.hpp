// JournalRecord: one journald entry as `journalctl -o json` (one JSON object
// per line) or `-o export` (KEY=value lines, a blank line after each entry)
// writes it, reduced to what the log analyzer reads: the time
// (__REALTIME_TIMESTAMP, microseconds since the epoch), the host
// (_HOSTNAME), the syslog tag (SYSLOG_IDENTIFIER, "postfix/smtpd"), the pid
// (SYSLOG_PID, else _PID) and MESSAGE.
//
// Contract: the record owns its strings; View() gives a LogLine of views
// into them (valid until the record changes), with the stamp written as
// RFC 3339 UTC. A field `-o json` writes as bytes (a JSON array of numbers
// 0..255, journald's form for values that are not printable UTF-8) is read
// as those bytes; a field held more than once (an array of values) is not
// read. An export field in binary form
// (LineDecoder: its name alone on a line, then a length and raw bytes) is
// read by the stream (log_reader.cpp) and set like any other.
// Values are cut at kMaxLineBytes. Internal to src/tune.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

struct JournalRecord {
  int64_t usec = -1;
  long pid = -1;
  long fallback_pid = -1;  ///< _PID, used when SYSLOG_PID is absent
  std::string host;
  std::string tag;
  std::string message;
  bool has_message = false;
  std::string stamp;  ///< filled by View()

  void Clear();
  /// One field, by its journald name; others are ignored.
  void SetField(std::string_view name, std::string_view value);
  /// The entry as a syslog line; nullopt without time, tag or message.
  std::optional<LogLine> View();
};

/// Fills `record` from a `journalctl -o json` line; false when the line is
/// not a JSON object with a __REALTIME_TIMESTAMP.
bool ParseJournalJson(std::string_view line, JournalRecord* record);

/// True for the first line of a `journalctl -o export` entry.
bool StartsExportEntry(std::string_view line);

/// "2024-11-20T08:00:00Z" for seconds since the epoch.
std::string UtcStamp(int64_t seconds);

}  // namespace postvet::tune
