// CaresResolver: the Resolver (resolver.hpp) on c-ares. One event loop
// (poll on the sockets c-ares reports through its socket-state callback),
// c-ares' own per-try timeout and retries, and a global deadline at which
// everything still open is cancelled (ares_cancel), so Run() never
// outlasts it.
//
// Flow control (resolver.hpp's contract): a congestion window and send
// pacing (flow_control.hpp: a first flight of 224 queries, 128 of them at
// once, before anything is measured; then TCP-like growth and back-off,
// paced over each round trip). A query without an answer after 4 smoothed
// round trips (at least 250 ms) stops counting against the window (c-ares
// still waits for it, and its loss shows as a timeout), so a black-holed
// list cannot hold the window shut for everyone else. Queries wait in one
// queue per group (zone) and are sent round-robin, at most
// per_group_in_flight of a group at once, so each zone's first query
// leaves before any zone's second: the listed test points first, then
// the controls and the not-listed points. Follow-ups (queries submitted
// from the OnDone hook during Run()) leave only when no other query
// waits: the verdicts' queries never queue behind latency samples.
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

#include <algorithm>
#include <array>
#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "src/probe/flow_control.hpp"
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
    bool follow_up = false;  // submitted during Run() (OnDone hook): waits for the others
    std::size_t flying_at = 0;  // its index in flying_ while in flight
  };
  struct Group {
    std::deque<std::size_t> waiting;  // query ids, in order
    std::size_t in_flight = 0;
    Channel* tcp = nullptr;
  };

  explicit CaresResolver(const ResolverOptions& options)
      : options_(options),
        flow_(options.initial_window, options.first_flight, std::max<std::size_t>(options.max_in_flight, 1),
              Clock::now()) {}
  /// Adds a channel set up with options_ (`tcp`: TCP only).
  Status AddChannel(bool tcp);
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  /// Records how query `q` ended (or queues it again).
  void Finish(Query* q, int status, int timeouts, const unsigned char* abuf, int alen);
  /// The channel for `q`: a UDP one with room, or its group's TCP channel.
  Channel* ChannelFor(const Query& q);
  /// Hands waiting queries to c-ares while the window, the pacing and the groups allow.
  void StartMore();
  /// Queries in flight that count against the window (not yet presumed
  /// lost); *change: when the next of them will be.
  std::size_t Counted(Clock::time_point now, Clock::time_point* change) const;
  /// One poll() round of at most `wait`; then lets c-ares read and time out.
  void Step(Clock::duration wait);

  ResolverOptions options_;
  std::deque<Channel> channels_;  // deques: c-ares holds pointers to their elements
  std::deque<Query> queries_;
  std::deque<Group> groups_;  // a deque: a follow-up Submit() inside an answer keeps references valid
  std::vector<std::size_t> flying_;  // ids of the queries in flight
  std::size_t cursor_ = 0;        // round-robin position in groups_
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  std::size_t udp_channels_ = 0;
  std::size_t tcp_channels_ = 0;
  Channel* shared_tcp_ = nullptr;
  FlowControl flow_;
  Clock::time_point next_send_ = Clock::time_point::max();  // pacing: when a token is due
  Clock::time_point next_retry_ = Clock::time_point::max();
  bool starting_ = false;         // StartMore() is on the stack (answers can arrive inside ares_query)
  bool stopping_ = false;         // deadline reached: start nothing more
  bool running_ = false;          // inside Run(): a Submit() is a follow-up
  std::size_t waiting_first_ = 0;  // queued queries that are no follow-ups
};

}  // namespace postvet::probe
