// CaresResolver: the Resolver (resolver.hpp) on c-ares. One event loop
// (poll on the sockets c-ares reports through its socket-state callback),
// c-ares' own per-try timeout and retries, and a global deadline at which
// everything still open is cancelled (ares_cancel), so Run() never
// outlasts it.
//
// Flow control (resolver.hpp's contract): a congestion window in the
// manner of TCP. It starts at ResolverOptions::initial_window (128 by
// default), which leaves at once; each answer that came back at the first
// try widens it by 3 (slow start: about x4 per round trip) below the
// threshold, by 1/window above it; a lost try, a SERVFAIL, REFUSED or a
// refused connection halves it, at most once per smoothed round trip.
// After the first window, sends are paced: a token bucket of at most 32
// tokens, refilled at window / smoothed round trip, or faster (up to twice
// that) when the last 64 first-try answers came back faster, i.e. the
// server has shown it reads that fast. So the window goes out spread over
// a round trip, never as one large burst (a burst of a few hundred
// datagrams overflows a stock 208 KB receive buffer even when the window
// is right), and a resolver (or a local responder) is never handed more
// than it has shown it can take. A back-off forgets the measured rate.
// A query without an answer after 4 smoothed round trips (at least 250
// ms) stops counting against the window (c-ares still waits for it, and
// its loss shows as a timeout), so a black-holed list cannot hold the
// window shut for everyone else. Queries wait in one queue per group
// (zone) and are sent round-robin, at most per_group_in_flight of a group
// at once.
//
// Zone isolation: c-ares 1.18 resets a server for the whole channel when a
// TCP connection to it fails or closes (every query sent to it on that
// channel loses a try, then ends with ECONNREFUSED "Could not contact DNS
// servers"). So the shared channels only speak UDP and ignore truncation
// (ARES_FLAG_IGNTC); a truncated answer sends that one query again on a
// TCP channel of its own group, where a misbehaving server can only hurt
// its own zone. ECONNREFUSED and SERVFAIL are retried (up to
// ResolverOptions::retries, spaced out) before they become the outcome.
// The UDP queries are spread over several channels (one socket per server
// each) of at most kQueriesPerChannel in flight, so that one socket's
// receive buffer does not overflow on a burst of answers.
//
// Contract: Create() fails (Status) only when c-ares cannot be set up or a
// server address is unusable; name resolution problems are per-query
// outcomes. Servers come from ResolverOptions::servers, else from the
// system configuration (/etc/resolv.conf), as c-ares reads it. Not
// thread-safe; one Run() per object.
#pragma once

#include <ares.h>
#include <signal.h>

#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "src/probe/resolver.hpp"
#include "src/base/status.hpp"

namespace postvet::probe {

class CaresResolver : public Resolver {
 public:
  /// Queries one channel (one UDP socket per server) has in flight at most.
  static constexpr std::size_t kQueriesPerChannel = 100;
  /// UDP channels at most, whatever the cap.
  static constexpr std::size_t kMaxChannels = 32;
  /// Per-group TCP channels at most; later groups share one more.
  static constexpr std::size_t kMaxTcpChannels = 64;

  /// A resolver with `options`, or why c-ares could not be set up.
  static Result<std::unique_ptr<CaresResolver>> Create(const ResolverOptions& options);
  ~CaresResolver() override;
  CaresResolver(const CaresResolver&) = delete;
  CaresResolver& operator=(const CaresResolver&) = delete;

  std::size_t Submit(std::string name, QueryType type, std::size_t group) override;
  void Run(Clock::time_point deadline) override;
  const DnsOutcome& Outcome(std::size_t id) const override;

 private:
  // c-ares writes to TCP sockets without MSG_NOSIGNAL: a list server that
  // closes its end would kill the process with SIGPIPE. Ignored while a
  // resolver exists (EPIPE then fails that one query); the old action is
  // put back by the destructor.
  struct sigaction old_sigpipe_ {};
  bool sigpipe_saved_ = false;

  struct Socket {
    ares_socket_t fd;
    bool read;
    bool write;
  };
  // One c-ares channel and the sockets it asked us to watch.
  struct Channel {
    CaresResolver* owner = nullptr;
    ares_channel channel = nullptr;
    std::vector<Socket> sockets;
    std::size_t in_flight = 0;
    bool tcp = false;
  };
  struct Query {
    std::size_t id = 0;
    Channel* channel = nullptr;
    std::string name;
    QueryType type = QueryType::kA;
    std::size_t group = 0;
    Clock::time_point sent;
    Clock::time_point not_before;  // a retry waits until then
    DnsOutcome outcome;
    int retries_left = 0;
    bool tcp = false;  // the UDP answer was truncated: ask over TCP
    bool done = false;
    std::size_t flying_at = 0;  // its index in flying_ while in flight
  };
  struct Group {
    std::deque<std::size_t> waiting;  // query ids, in order
    std::size_t in_flight = 0;
    Channel* tcp = nullptr;
  };

  explicit CaresResolver(const ResolverOptions& options) : options_(options) {}
  /// Adds a channel set up with options_ (`tcp`: TCP only).
  Status AddChannel(bool tcp);
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  /// Records how query `q` ended (or queues it again).
  void Finish(Query* q, int status, int timeouts, const unsigned char* abuf, int alen);
  /// Widens or narrows the window after an answer or a loss.
  void Widen(double rtt_ms, Clock::time_point now);
  /// Queries per ms that the pacing lets leave.
  double PacingRate() const;
  void BackOff();
  /// The channel for `q`: a UDP one with room, or its group's TCP channel.
  Channel* ChannelFor(const Query& q);
  /// Hands waiting queries to c-ares while the window, the pacing and the groups allow.
  void StartMore();
  /// Tops the pacing bucket up for the time since the last call.
  void Refill(Clock::time_point now);
  /// Queries in flight that count against the window (not yet presumed
  /// lost); *change: when the next of them will be.
  std::size_t Counted(Clock::time_point now, Clock::time_point* change) const;
  /// One poll() round of at most `wait`; then lets c-ares read and time out.
  void Step(Clock::duration wait);

  ResolverOptions options_;
  std::deque<Channel> channels_;  // deques: c-ares holds pointers to their elements
  std::deque<Query> queries_;
  std::vector<Group> groups_;
  std::vector<std::size_t> flying_;  // ids of the queries in flight
  std::size_t cursor_ = 0;        // round-robin position in groups_
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  std::size_t udp_channels_ = 0;
  std::size_t tcp_channels_ = 0;
  Channel* shared_tcp_ = nullptr;
  double window_ = 16;
  double threshold_ = 1e9;        // slow start until the first loss
  double srtt_ms_ = 0;            // smoothed round trip of answers at the first try
  double tokens_ = 0;             // pacing: queries that may leave now
  static constexpr std::size_t kRateSamples = 64;
  std::array<Clock::time_point, kRateSamples> answer_times_{};  // last first-try answers (ring)
  std::size_t answer_count_ = 0;  // first-try answers since the start or the last back-off
  double delivery_per_ms_ = 0;    // answers per ms over the last kRateSamples of them
  Clock::time_point refilled_{};  // when tokens_ was last topped up
  Clock::time_point next_send_ = Clock::time_point::max();  // pacing: when a token is due
  Clock::time_point last_backoff_{};
  Clock::time_point next_retry_ = Clock::time_point::max();
  bool starting_ = false;         // StartMore() is on the stack (answers can arrive inside ares_query)
  bool stopping_ = false;         // deadline reached: start nothing more
};

}  // namespace postvet::probe
