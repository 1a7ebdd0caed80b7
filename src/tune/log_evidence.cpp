// LogAnalyzer (see log_evidence.hpp), reading: each line's form (syslog,
// RFC 3339/5424, journalctl export/json, postlog), the stamps' years and the
// span, and the messages it recognises, with the Postfix source that writes
// them (what the DNS list messages add up to is log_dnsbl_count.cpp):
//   master   `warning: service "%s" (%s) has reached its process limit "%d": ...`
//            (master_avail.c), `warning: process %s pid %d exit status %d` /
//            `... killed by signal %d` (master_spawn.c: a session that never
//            logged its disconnect ends here)
//   smtpd    `connect from %s`, `disconnect from %s ...`,
//            `lost connection after %s from %s` (smtpd.c),
//            `warning: %s: RBL lookup error: %s` (smtpd_check.c)
//   postscreen `CONNECT from [%s]:%s to ...`,
//            `NOQUEUE: reject: CONNECT from ...: all server ports busy`,
//            `reject: connect from ...: all screening ports busy`,
//            `entering STRESS mode with %d connections`, `leaving ...`
//            (postscreen.c, postscreen_state.c),
//            `warning: dnsblog reply timeout %ds for %s` (postscreen_dnsbl.c)
//            `DNSBL rank %d for [%s]:%s` (postscreen_early.c), its reject
//            `... Service unavailable; client [%s] blocked using %s`
//   smtpd    `reject: ... Client host [%s] blocked using %s` (smtpd_check.c)
//   dnsblog  `warning: dnsblog_query: lookup error for DNS query %s: %s`,
//            `addr %s listed by domain %s as %s` (dnsblog.c)
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "src/tune/log_analyzer_state.hpp"
#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

using log_state::Tracked;

namespace {

// Bounds on the state kept across lines (header contract).
constexpr size_t kMaxSessionKeys = 4096;       // distinct host + tag pairs
constexpr size_t kMaxOpenPerKey = 1u << 16;    // sessions open at once on one host

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// The same for a literal: a memcmp of known length, which compiles inline
// (these run on every line of a log).
template <size_t N>
bool StartsWith(std::string_view s, const char (&prefix)[N]) {
  return s.size() >= N - 1 && std::memcmp(s.data(), prefix, N - 1) == 0;
}

// a == b, for short strings (stamps) without a call to memcmp.
bool SameBytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.size() < 8 || a.size() > 16) return a == b;
  uint64_t w[4];
  std::memcpy(&w[0], a.data(), 8);
  std::memcpy(&w[1], b.data(), 8);
  std::memcpy(&w[2], a.data() + a.size() - 8, 8);
  std::memcpy(&w[3], b.data() + b.size() - 8, 8);
  return w[0] == w[1] && w[2] == w[3];
}

// a == b for the short names of the session caches (hosts, tags,
// programs): whole words compared, no call to memcmp.
[[gnu::always_inline]] inline bool SameName(std::string_view a, std::string_view b) {
  size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  uint64_t w[4];
  if (n >= 8 && n <= 16) {
    std::memcpy(&w[0], x, 8);
    std::memcpy(&w[1], y, 8);
    std::memcpy(&w[2], x + n - 8, 8);
    std::memcpy(&w[3], y + n - 8, 8);
    return w[0] == w[1] && w[2] == w[3];
  }
  if (n >= 4 && n < 8) {
    uint32_t v[4];
    std::memcpy(&v[0], x, 4);
    std::memcpy(&v[1], y, 4);
    std::memcpy(&v[2], x + n - 4, 4);
    std::memcpy(&v[3], y + n - 4, 4);
    return v[0] == v[1] && v[2] == v[3];
  }
  if (n < 4) {
    for (size_t i = 0; i < n; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  }
  return a == b;
}

// The first " word..." (a space, then `word`) at or after `from`, or npos.
// Found through `word`, whose first letter is rarer than a space.
size_t FindAfterSpace(std::string_view s, std::string_view word, size_t from) {
  for (size_t at = from + 1;; ++at) {
    at = s.find(word, at);
    if (at == std::string_view::npos) return at;
    if (s[at - 1] == ' ') return at - 1;
  }
}

template <size_t N>
bool Is(std::string_view s, const char (&word)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), word, N - 1) == 0;
}

bool Contains(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// Contains(s, " ports "), through FindAfterSpace().
bool HasPorts(std::string_view s) { return FindAfterSpace(s, "ports ", 0) != std::string_view::npos; }

// The number at the start of `s`, or -1.
long LeadingNumber(std::string_view s) {
  long n = 0;
  size_t i = 0;
  while (i < s.size() && i < 10 && s[i] >= '0' && s[i] <= '9') {
    n = n * 10 + (s[i] - '0');
    ++i;
  }
  return i == 0 ? -1 : n;
}

// msg.substr(0, 24).find(": "): 32 bytes at once where SSE2 is there.
size_t FirstColonSpace(std::string_view msg) {
#if defined(__SSE2__)
  if (msg.size() >= 32) {
    const auto* p = reinterpret_cast<const __m128i*>(msg.data());
    __m128i a = _mm_loadu_si128(p);
    __m128i b = _mm_loadu_si128(p + 1);
    auto colons = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_set1_epi8(':')))) |
                  (static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(':')))) << 16);
    auto spaces = static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, _mm_set1_epi8(' ')))) |
                  (static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, _mm_set1_epi8(' ')))) << 16);
    // A colon at i < 23 with a space at i + 1 (both in the first 24 bytes).
    uint32_t pairs = colons & (spaces >> 1) & ((1u << 23) - 1);
    return pairs == 0 ? std::string_view::npos : static_cast<size_t>(__builtin_ctz(pairs));
  }
#endif
  return msg.substr(0, 24).find(": ");
}

// The list a reject names (`... [client] blocked using zone; ...`) and the
// bracketed client before it; empty when the message names none.
std::string_view BlockedUsing(std::string_view msg, std::string_view* client) {
  // Only "NOQUEUE: reject: ..." or "<queue id>: reject: ...": a look at
  // the first word keeps other lines from being scanned.
  size_t colon = FirstColonSpace(msg);
  if (colon == std::string_view::npos || msg.substr(colon + 2, 8) != "reject: ") return {};
  constexpr std::string_view kBlocked = " blocked using ";
  size_t at = FindAfterSpace(msg, kBlocked.substr(1), colon);
  if (at == std::string_view::npos) return {};
  std::string_view zone = msg.substr(at + kBlocked.size());
  size_t end = 0;  // zone.find_first_of(";, =") without its inner loop
  while (end < zone.size() && zone[end] != ';' && zone[end] != ',' && zone[end] != ' ' && zone[end] != '=') ++end;
  zone = zone.substr(0, end);
  std::string_view before = msg.substr(0, at);
  size_t close = before.rfind(']');
  size_t open = close == std::string_view::npos ? close : before.rfind('[', close);
  *client = open == std::string_view::npos ? std::string_view() : before.substr(open + 1, close - open - 1);
  return zone;
}

}  // namespace

int64_t LogEvidence::SpanSeconds() const {
  if (!first_time || !last_time || *last_time < *first_time) return 0;
  return *last_time - *first_time;
}

LogAnalyzer::LogAnalyzer() : state_(std::make_unique<State>(&evidence_)) {}
LogAnalyzer::~LogAnalyzer() = default;

void LogAnalyzer::BeginFile() { state_->decoder.BeginFile(); }

Status LogAnalyzer::EndFile(std::string_view shown) {
  LogLine line;
  if (state_->decoder.FlushFile(&line)) AddRecord(line);
  return state_->decoder.CheckFile(shown);
}

void LogAnalyzer::AddLine(std::string_view text) {
  LogLine line;
  if (state_->decoder.Decode(text, &line) == LineDecoder::Kind::kRecord) AddRecord(line);
}

SessionStats* LogAnalyzer::TagStats(std::string_view tag) {
  State& st = *state_;
  if (st.last_stats != nullptr && SameName(tag, st.last_tag)) return st.last_stats;
  SessionStats* stats = Tracked(evidence_.sessions, tag, kMaxTrackedTags, st.tags, &evidence_.untracked_tags);
  if (stats == nullptr) return nullptr;  // untracked: counted on every line
  if (stats->tag.empty()) stats->tag = std::string(tag);
  st.last_tag.assign(tag);
  st.last_stats = stats;
  return stats;
}

PidSet* LogAnalyzer::OpenPids(std::string_view host, std::string_view program, std::string_view tag) {
  State& st = *state_;
  if (st.last_key < st.session_keys.size()) {
    State::SessionKey& k = st.session_keys[st.last_key];
    if (SameName(k.host, host) && SameName(k.tag, tag) && SameName(k.program, program)) return &k.pids;
  }
  std::string key(host);
  key += '\0';
  key += program;
  key += '\0';
  key += tag;
  auto it = st.session_index.find(key);
  if (it == st.session_index.end()) {
    if (st.session_keys.size() >= kMaxSessionKeys) return nullptr;
    it = st.session_index.emplace(std::move(key), st.session_keys.size()).first;
    st.session_keys.push_back({std::string(host), std::string(program), std::string(tag), PidSet()});
  }
  st.last_key = it->second;
  return &st.session_keys[it->second].pids;
}

void LogAnalyzer::AddRecord(const LogLine& line) {
  LogEvidence& ev = evidence_;
  ++ev.syslog_lines;
  if (line.form == StampForm::kTraditional) {
    ev.traditional_stamps = true;
  } else if (line.form == StampForm::kJournal) {
    ev.journal_records = true;
  } else {
    ev.rfc3339_stamps = true;
  }
  if (!ev.first_time || line.time < *ev.first_time) {
    ev.first_time = line.time;
    ev.first_stamp.assign(line.stamp);
  }
  if (!ev.last_time || line.time >= *ev.last_time) {
    ev.last_time = line.time;
    if (!SameBytes(ev.last_stamp, line.stamp)) ev.last_stamp.assign(line.stamp);
  }

  std::string_view msg = line.message;
  std::string_view program = line.program;
  if (Is(program, "master")) {
    constexpr std::string_view kService = "warning: service \"";
    constexpr std::string_view kReached = ") has reached its process limit \"";
    if (StartsWith(msg, kService)) {
      std::string_view rest = msg.substr(kService.size());
      size_t q = rest.find("\" (");
      size_t r = rest.find(kReached);
      if (q == std::string_view::npos || r == std::string_view::npos || r < q) return;
      LimitHits* tracked = Tracked(ev.limit_hits, rest.substr(0, q), kMaxTrackedServices, state_->services,
                                   &ev.untracked_services);
      if (tracked == nullptr) return;
      LimitHits& hits = *tracked;
      hits.service = std::string(rest.substr(0, q));
      hits.endpoint = std::string(rest.substr(q + 3, r - q - 3));
      long limit = LeadingNumber(rest.substr(r + kReached.size()));
      if (limit >= 0) hits.limit = limit;
      if (hits.count == 0) hits.first_stamp.assign(line.stamp);
      hits.last_stamp.assign(line.stamp);
      ++hits.count;
      return;
    }
    constexpr std::string_view kProcess = "warning: process ";
    if (StartsWith(msg, kProcess)) {
      std::string_view rest = msg.substr(kProcess.size());
      size_t sp = rest.find(" pid ");
      if (sp == std::string_view::npos) return;
      std::string_view path = rest.substr(0, sp);
      size_t slash = path.rfind('/');
      std::string_view daemon = slash == std::string_view::npos ? path : path.substr(slash + 1);
      long pid = LeadingNumber(rest.substr(sp + 5));
      if (pid < 0) return;
      for (State::SessionKey& k : state_->session_keys) {
        if (k.host == line.host && k.program == daemon) k.pids.Erase(pid);
      }
    }
    return;
  }

  if (Is(program, "smtpd")) {
    bool connect = StartsWith(msg, "connect from ");
    bool disconnect = StartsWith(msg, "disconnect from ");
    bool lost = StartsWith(msg, "lost connection after CONNECT from ");
    SessionStats* tag_stats = nullptr;
    if (lost || connect || disconnect) {
      tag_stats = TagStats(line.tag);
      if (tag_stats == nullptr) return;
    }
    if (lost) {
      tag_stats->lost_after_connect++;
    } else if (StartsWith(msg, "warning: ") && msg.find(": RBL lookup error: ", 9) != std::string_view::npos) {
      std::string_view query = msg.substr(9, msg.find(": RBL lookup error: ", 9) - 9);
      std::string zone = ZoneOfQuery(query);
      CountZone(zone);
      ++ev.dnsbl_error_total;
      return;  // not a session line: no tag stats, no pid to close
    } else if (!connect && !disconnect) {
      std::string_view client;
      std::string_view zone = BlockedUsing(msg, &client);
      if (!zone.empty()) {
        ++ev.smtpd_dnsbl_rejects;
        Caught(zone, client, true);
      }
      return;
    }
    SessionStats& stats = *tag_stats;
    if (line.pid < 0) return;
    PidSet* open_pids = OpenPids(line.host, program, line.tag);
    if (open_pids == nullptr) {
      ev.truncated = true;
      return;
    }
    PidSet& pids = *open_pids;
    if (connect) {
      ++stats.connections;
      // A pid that connects again without a disconnect lost its line: it is
      // one process either way.
      if (pids.size() >= kMaxOpenPerKey && !pids.Contains(line.pid)) {
        ev.truncated = true;
        return;
      }
      pids.Insert(line.pid);
      long open = static_cast<long>(pids.size());
      if (open > stats.peak) {
        stats.peak = open;
        stats.peak_stamp.assign(line.stamp);
        stats.peak_host = std::string(line.host);
      }
    } else {
      pids.Erase(line.pid);
    }
    return;
  }

  if (Is(program, "postscreen")) {
    // All four "busy" phrases have " ports " in them: one search for most lines.
    if (StartsWith(msg, "CONNECT from ")) {
      ++ev.postscreen_connections;
    } else if (bool ports = HasPorts(msg);
               ports && (Contains(msg, "all server ports busy") || Contains(msg, "all server ports are busy"))) {
      ++ev.server_ports_busy;
    } else if (ports && (Contains(msg, "all screening ports busy") || Contains(msg, "all screening ports are busy"))) {
      ++ev.screening_ports_busy;
    } else if (StartsWith(msg, "entering STRESS mode with ")) {
      ++ev.stress_entered;
      long n = LeadingNumber(msg.substr(26));
      if (n > ev.stress_max_connections) ev.stress_max_connections = n;
    } else if (StartsWith(msg, "leaving STRESS mode with ")) {
      ++ev.stress_left;
    } else if (StartsWith(msg, "DNSBL rank ")) {
      ++ev.postscreen_dnsbl_ranks;
    } else if (std::string_view client, blocked = BlockedUsing(msg, &client); !blocked.empty()) {
      ++ev.postscreen_dnsbl_rejects;
      Caught(blocked, client, true);
    } else if (StartsWith(msg, "warning: dnsblog reply timeout ")) {
      size_t f = msg.find(" for ");
      if (f == std::string_view::npos) return;
      std::string zone = ZoneOfQuery(msg.substr(f + 5));
      CountZone(zone);
      ++ev.dnsbl_error_total;
    }
    return;
  }

  if (Is(program, "dnsblog")) {
    constexpr std::string_view kListed = " listed by domain ";
    if (StartsWith(msg, "addr ")) {
      size_t at = msg.find(kListed);
      if (at == std::string_view::npos) return;
      std::string_view zone = msg.substr(at + kListed.size());
      zone = zone.substr(0, zone.find(' '));
      Caught(zone, msg.substr(5, at - 5), false);
      return;
    }
    constexpr std::string_view kError = "lookup error for DNS query ";
    size_t at = msg.find(kError);
    if (!StartsWith(msg, "warning: ") || at == std::string_view::npos) return;
    std::string_view query = msg.substr(at + kError.size());
    size_t colon = query.find(": ");
    if (colon != std::string_view::npos) query = query.substr(0, colon);
    std::string zone = ZoneOfQuery(query);
    CountZone(zone);
    ++ev.dnsbl_error_total;
  }
}

}  // namespace postvet::tune
