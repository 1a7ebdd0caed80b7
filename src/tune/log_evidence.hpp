// LogEvidence: what Postfix's own log says about load, for the tuning
// advisor. Reads syslog lines in the traditional form
// (`Nov 20 10:00:01 host postfix/smtpd[123]: ...`), the RFC 3339 form of
// rsyslog's file format (`2024-11-20T10:00:01.123456+01:00 host ...`), and
// postlogd files (maillog_file; Postfix writes `%b %d %H:%M:%S` stamps, so a
// day may be zero-padded), RFC 5424 (`<22>1 2024-11-20T10:00:01Z host tag
// pid - - msg`), and journald's exports: `journalctl -o short` and
// `-o short-precise` (traditional stamps, with a fraction), `-o short-iso`
// (`2024-11-20T09:00:00+0100`), `-o json` and `-o export`
// (journal_record.hpp), plain or compressed (log_input.hpp), and extracts:
// * the master's process-limit warnings per service and the limit they
//   name (`service "smtp" (25) has reached its process limit "100"`);
// * postscreen refusing clients because the smtpd processes behind it are
//   all busy ("all server ports busy") or its own queue is full ("all
//   screening ports busy"), and its STRESS mode entries;
// * per log tag (`postfix/smtpd`), the peak number of concurrent sessions:
//   each smtpd process serves one client at a time, so the sessions open
//   between a process's `connect from` and `disconnect from` (or the master's
//   note that the process exited) are the processes busy at that moment;
// * `lost connection after CONNECT` (clients that leave before saying
//   anything, mostly bots) and its share of all connections;
// * DNS list trouble: smtpd `RBL lookup error`, dnsblog `lookup error for DNS
//   query`, postscreen `dnsblog reply timeout`;
// * DNS list effect: which lists listed which client (dnsblog `addr %s
//   listed by domain %s as %s`), which rejects a list caused (smtpd and
//   postscreen `blocked using %s`), postscreen `DNSBL rank %d` lines; per
//   list, how many of its clients no other list caught.
//
// A file in which not one line is in a known form is an error (EndFile()):
// the advice would otherwise rest on nothing without saying so.
//
// Contract: the lines of one log are taken in the order given; several logs
// (ReadLogFiles()) are merged by time, each rotated set read oldest first
// (GroupLogFiles()), so that the sessions of one host logged in two files
// pair up as they happened; sessions of different hosts never pair. Anything
// that is not a Postfix line is counted and skipped; no
// input makes this fail, hang or grow without bound (lines are cut at
// kMaxLineBytes, open sessions and keys are capped). Traditional stamps have
// no year: times are seconds in an assumed year, bumped when the month goes
// backwards, which is enough for spans and rates.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet::tune {

/// Longest line looked at; the rest of a longer line is ignored.
inline constexpr size_t kMaxLineBytes = 64 * 1024;

/// Distinct names kept with their details: master.cf service names with
/// process-limit warnings, log tags with sessions, DNS list zones with
/// errors. A real system has tens; a log (or an attacker feeding one) can
/// have millions, so names past these caps are only counted (Untracked).
inline constexpr size_t kMaxTrackedServices = 256;
inline constexpr size_t kMaxTrackedTags = 256;
inline constexpr size_t kMaxTrackedZones = 1024;
/// Distinct untracked names are counted exactly up to this many (a set of
/// 64-bit hashes, about 40 MB at most); past it the count is a lower bound.
inline constexpr size_t kMaxCountedNames = 1'000'000;

/// Names seen beyond a tracking cap.
struct Untracked {
  size_t names = 0;     ///< distinct names (at least, when `saturated`)
  size_t lines = 0;     ///< lines about them
  bool saturated = false;
};

/// The timestamp forms a line can have.
enum class StampForm : uint8_t { kTraditional, kRfc3339, kJournal };

/// One log line split into its syslog parts (views into the line).
struct LogLine {
  StampForm form = StampForm::kTraditional;
  int64_t time = 0;            ///< seconds (see the header for the year of traditional stamps)
  int32_t micros = 0;          ///< the stamp's fraction of a second, for ordering only
  std::string_view stamp;      ///< the timestamp as written
  std::string_view host;
  std::string_view tag;        ///< "postfix/submission/smtpd"
  std::string_view program;    ///< "smtpd": the last part of the tag
  long pid = -1;               ///< -1 when the tag has no [pid]
  std::string_view message;    ///< after "tag[pid]: "
};

/// Splits a syslog line; nullopt when it has no recognisable stamp and tag.
std::optional<LogLine> ParseLogLine(std::string_view line);
/// The stamp of the last line ParseLogLine() read, so that the next line
/// with the same stamp bytes need not parse them again.
struct StampCache {
  std::array<char, 40> bytes{};
  size_t size = 0;  ///< 0: none
  int64_t time = 0;
  int32_t micros = 0;
  StampForm form = StampForm::kTraditional;
  /// The start of the last line up to its host and the space after it
  /// ("Nov 20 10:00:01 mx1 "), when its stamp is the one above.
  std::array<char, 64> start{};
  size_t start_size = 0;  ///< 0: none

  /// True when `line` starts with these stamp bytes and a space.
  bool Matches(std::string_view line) const;
  void Keep(std::string_view stamp, const LogLine& line);
};

/// The same into `*out` (overwritten, meaningless when false), with the
/// stamps of a stream's lines cached in `cache` (may be null).
bool ParseLogLine(std::string_view line, LogLine* out, StampCache* cache);

/// The master's "has reached its process limit" warnings for one service.
struct LimitHits {
  std::string service;   ///< master.cf service name ("smtp", "smtpd")
  std::string endpoint;  ///< what the master listens on ("25", "private/smtpd")
  long limit = 0;        ///< the limit the last warning names
  size_t count = 0;
  std::string first_stamp;
  std::string last_stamp;
};

/// Session counts for the processes of one log tag.
struct SessionStats {
  std::string tag;
  size_t connections = 0;          ///< "connect from" lines
  size_t lost_after_connect = 0;   ///< "lost connection after CONNECT"
  long peak = 0;                   ///< most sessions open at once (on one host)
  std::string peak_stamp;          ///< when the peak was first reached
  std::string peak_host;
};

/// What one DNS list did, from the logs. "Caught" is a client that the list
/// listed (dnsblog) or that a reject names it for; clients are told apart by
/// the bracketed address (or domain, for RHSBL rejects).
struct DnsblEffect {
  std::string zone;
  size_t listed = 0;   ///< dnsblog "listed by domain" lines
  size_t rejects = 0;  ///< reject lines "blocked using" it
  size_t caught = 0;   ///< distinct clients it caught
  size_t also_caught_by_other = 0;  ///< of those, caught by another list too
  size_t only_this = 0;             ///< caught by no other list
};

/// Distinct clients remembered for the overlap of DNS lists, and lists whose
/// overlap is computed (the rest are counted without it).
inline constexpr size_t kMaxDnsblClients = 1u << 18;
inline constexpr size_t kMaxOverlapLists = 64;

/// Everything extracted from the logs.
struct LogEvidence {
  size_t lines = 0;            ///< lines read
  size_t syslog_lines = 0;     ///< lines with a stamp and a tag (any program)
  size_t files = 0;
  std::optional<int64_t> first_time;
  std::optional<int64_t> last_time;
  std::string first_stamp;
  std::string last_stamp;
  bool traditional_stamps = false;
  bool rfc3339_stamps = false;
  bool journal_records = false;  ///< journalctl -o json / -o export

  /// By master.cf service name.
  std::map<std::string, LimitHits> limit_hits;
  /// By log tag ("postfix/smtpd").
  std::map<std::string, SessionStats> sessions;

  size_t server_ports_busy = 0;     ///< postscreen: smtpd all busy
  size_t screening_ports_busy = 0;  ///< postscreen: pre-queue full
  size_t postscreen_connections = 0;
  size_t stress_entered = 0;        ///< postscreen "entering STRESS mode"
  size_t stress_left = 0;
  long stress_max_connections = 0;  ///< largest N in those entries

  /// DNS list lookup errors and timeouts, by zone (or query when the zone
  /// cannot be told apart).
  std::map<std::string, size_t> dnsbl_errors;
  size_t dnsbl_error_total = 0;

  /// What each DNS list caught, by zone (see DnsblEffect).
  std::map<std::string, DnsblEffect> dnsbl_effect;
  size_t postscreen_dnsbl_ranks = 0;    ///< postscreen "DNSBL rank N for ..."
  size_t postscreen_dnsbl_rejects = 0;  ///< postscreen rejects "blocked using"
  size_t smtpd_dnsbl_rejects = 0;       ///< smtpd rejects "blocked using"

  /// Bounds hit: sessions or keys beyond the caps were not tracked.
  bool truncated = false;
  /// What the caps left out of limit_hits, sessions and dnsbl_errors.
  Untracked untracked_services;
  Untracked untracked_tags;
  Untracked untracked_zones;

  /// Seconds between the first and the last stamp (0 when unknown).
  int64_t SpanSeconds() const;
};

class PidSet;

/// Feeds lines and keeps the state needed across them (open sessions).
class LogAnalyzer {
 public:
  LogAnalyzer();
  ~LogAnalyzer();
  LogAnalyzer(const LogAnalyzer&) = delete;
  LogAnalyzer& operator=(const LogAnalyzer&) = delete;

  /// Starts a new file (year bookkeeping for traditional stamps restarts).
  void BeginFile();
  /// One line, without its LF.
  void AddLine(std::string_view line);
  /// Ends the file begun last: an error naming `shown` and the first line
  /// that is in no known form when not one line of the file was.
  Status EndFile(std::string_view shown);
  /// One record decoded by a LineDecoder (line_decoder.hpp: times of
  /// traditional stamps already carry their year).
  void AddRecord(const LogLine& line);
  /// The evidence so far (the DNS list overlaps computed on each call).
  const LogEvidence& evidence();

 private:
  friend class LogStream;  // decodes into evidence_'s line and file counts
  struct State;
  void CountZone(std::string_view zone);
  SessionStats* TagStats(std::string_view tag);
  PidSet* OpenPids(std::string_view host, std::string_view program, std::string_view tag);
  void Caught(std::string_view zone, std::string_view client, bool reject);
  LogEvidence evidence_;
  std::unique_ptr<State> state_;
};

/// Reads the logs `paths` ("-": standard input), plain or compressed with
/// gzip, xz or zstd (told by their bytes, so names do not matter), into
/// `analyzer`: the rotated sets of GroupLogFiles() are streams, each read
/// file after file, and the streams are merged by time (a k-way merge of
/// their next records; equal times in the order the sets were given).
/// Memory is one buffer per stream. Fails, naming the file, when one cannot
/// be opened, its compressed data is corrupt or cut short, a journal export
/// field is malformed, or no line of it is in a known form.
Status ReadLogFiles(const std::vector<std::string>& paths, LogAnalyzer* analyzer);
/// ReadLogFiles() of one file.
Status ReadLogFile(const std::string& path, LogAnalyzer* analyzer);

/// The streams of `paths`: the files of one rotated set (`mail.log
/// mail.log.1 mail.log.2.gz`, in any order) oldest first, one stream per
/// set, sets in the order their first file was given. Only names are looked
/// at; OrderLogFiles() is the same, flattened.
std::vector<std::vector<std::string>> GroupLogFiles(const std::vector<std::string>& paths);
std::vector<std::string> OrderLogFiles(const std::vector<std::string>& paths);

/// The zone of a DNS list query: the query minus a reversed IPv4 address
/// (4 decimal labels) or IPv6 address (32 hex nibbles); the whole query
/// otherwise (a domain list query cannot be split).
std::string ZoneOfQuery(std::string_view query);

}  // namespace postvet::tune
