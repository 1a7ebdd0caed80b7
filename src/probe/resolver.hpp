// Resolver: the narrow DNS interface the live DNSBL probe (probe.hpp) needs:
// submit many A or TXT queries, then run them all at once until every one
// has an outcome or a global deadline passes. The c-ares implementation is
// cares_resolver.hpp; unit tests use a scripted fake.
//
// Contract: Submit() only records the query; Run() sends them under flow
// control (a window of queries in flight that starts at `first_flight`,
// `initial_window` of them sent at once, widens while answers come back in time and halves on loss, SERVFAIL or
// REFUSED, never above `max_in_flight`; at most `per_group_in_flight` of
// one group, i.e. one zone, at once), waits, and returns no later than the
// deadline it is given (plus scheduling jitter), whatever the servers do. A
// query that fails for want of a connection (or with SERVFAIL) is retried
// while the deadline allows, and a failure is only ever charged to the
// query (so the zone) it happened to, never to the other groups. Every
// submitted query then has exactly one DnsOutcome; queries cut off by the
// deadline (sent or not yet sent) get DnsStatus::kDeadline. SERVFAIL,
// REFUSED and undecodable answers get their own statuses: only kAnswer
// carries addresses, so an error can never be mistaken for a listing.
// OnDone() sets a hook that Run() calls with each query's id as soon as its
// outcome is final (not for queries the deadline cuts off); the hook may
// Submit() follow-up queries of groups already submitted, which the same
// Run() then sends (after what is already queued for that group).
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postvet::probe {

using Clock = std::chrono::steady_clock;

/// The record type asked for.
enum class QueryType : uint8_t { kA, kTxt };

/// How one query ended.
enum class DnsStatus : uint8_t {
  kAnswer,     ///< NOERROR with records of the asked type
  kNoData,     ///< NOERROR without records of the asked type
  kNxDomain,   ///< the name does not exist
  kServFail,   ///< SERVFAIL (after the retries)
  kRefused,    ///< REFUSED
  kMalformed,  ///< an answer arrived but could not be decoded (FORMERR, bad records)
  kTimeout,    ///< no answer after every try
  kDeadline,   ///< the global deadline cancelled it (or it was never sent)
  kError,      ///< anything else: bad name, no usable server, out of memory
};

/// "answer", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "malformed answer", ...
std::string_view DnsStatusName(DnsStatus status);

/// One query's result.
struct DnsOutcome {
  DnsStatus status = DnsStatus::kDeadline;
  /// A records (kAnswer of an A query), in answer order.
  std::vector<std::array<uint8_t, 4>> addresses;
  /// TXT strings (kAnswer of a TXT query), each record's strings joined.
  std::vector<std::string> texts;
  /// From handing the query to the library to its answer; only meaningful
  /// when an answer arrived (not for kTimeout/kDeadline/kError).
  double elapsed_ms = 0;
  /// Detail for kError/kMalformed (library message), for messages.
  std::string detail;

  /// True when a server answered (whatever it said).
  bool Answered() const {
    return status != DnsStatus::kTimeout && status != DnsStatus::kDeadline && status != DnsStatus::kError;
  }
};

/// A DNS server to ask: IPv4 or IPv6 literal and UDP/TCP port.
struct ServerAddress {
  std::string ip;
  uint16_t port = 53;
};

/// Tuning shared by every query of one run.
struct ResolverOptions {
  /// Servers to ask, in order; empty: the system's (/etc/resolv.conf).
  std::vector<ServerAddress> servers;
  /// Per-try timeout (c-ares doubles it on each further round of tries).
  int timeout_ms = 2000;
  /// Tries per server before a query times out.
  int tries = 2;
  /// Queries in flight at most (the window's ceiling); the rest wait.
  std::size_t max_in_flight = 512;
  /// Queries sent at once (unpaced) at the start: small enough that a
  /// resolver with a stock receive buffer (212,992 bytes: 256 query
  /// datagrams of up to about 150 bytes, 166 longer ones) cannot overflow
  /// even if it reads nothing until the burst is over.
  std::size_t initial_window = 128;
  /// Queries that may be in flight before any answer has come back (the
  /// window at the start): the burst, then the rest paced (flow_control.hpp).
  /// 224 short queries still fit a stock buffer unread, and cover the 202
  /// queries of 100 lists, so those go out within one round trip.
  std::size_t first_flight = 224;
  /// Queries of one group (zone) in flight at most: a per-zone rate cap.
  /// 8 covers one zone's fixed points (4 with IPv6) and a few samples, so a
  /// black-holed zone costs one timeout, not two; more samples wait.
  std::size_t per_group_in_flight = 8;
  /// Extra tries, by postvet, of a query that failed without an answer from
  /// a server (connection refused or closed) or with SERVFAIL.
  int retries = 2;
};

class Resolver {
 public:
  virtual ~Resolver() = default;

  /// Queues a query of `group` (the zone it belongs to: the per-zone cap
  /// and failure isolation work per group); returns its id (0, 1, 2, ...
  /// in submission order).
  virtual std::size_t Submit(std::string name, QueryType type, std::size_t group) = 0;
  /// Runs every queued query until each has an outcome or `deadline` passes.
  virtual void Run(Clock::time_point deadline) = 0;
  /// The outcome of query `id`, valid after Run() (and in the OnDone hook for that id).
  virtual const DnsOutcome& Outcome(std::size_t id) const = 0;

  /// Called during Run() with the id of each query whose outcome is final.
  using DoneHook = std::function<void(std::size_t id)>;
  void OnDone(DoneHook hook) { on_done_ = std::move(hook); }

 protected:
  /// Implementations call this once a query's outcome is final.
  void NotifyDone(std::size_t id) {
    if (on_done_) on_done_(id);
  }

 private:
  DoneHook on_done_;
};

/// Parses "IP", "IP:PORT", "[IPv6]:PORT" or a bare IPv6 literal; false on
/// anything else (the caller reports the option as bad).
bool ParseServerAddress(std::string_view text, ServerAddress* out);

}  // namespace postvet::probe
