// CaresResolver: the Resolver (resolver.hpp) on c-ares. One event loop
// (poll on the sockets c-ares reports through its socket-state callback),
// every query in flight at once up to a cap, c-ares' own per-try timeout
// and retries, and a global deadline at which everything still open is
// cancelled (ares_cancel), so Run() never outlasts it.
//
// c-ares 1.18 sends all UDP queries of a channel through one socket per
// server, and a burst of hundreds of answers overflows one socket's receive
// buffer (the kernel drops them, and the queries wait for a retry). So the
// queries are spread over several channels of at most kQueriesPerChannel
// in flight each, all driven by the same loop.
//
// Contract: Create() fails (Status) only when c-ares cannot be set up or a
// server address is unusable; name resolution problems are per-query
// outcomes. Servers come from ResolverOptions::servers, else from the
// system configuration (/etc/resolv.conf), as c-ares reads it. Not
// thread-safe; one Run() per object.
#pragma once

#include <ares.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <vector>

#include "src/probe/resolver.hpp"
#include "src/status.hpp"

namespace postvet::probe {

class CaresResolver : public Resolver {
 public:
  /// Queries one channel (one UDP socket per server) has in flight at most.
  static constexpr std::size_t kQueriesPerChannel = 100;
  /// Channels at most, whatever the cap.
  static constexpr std::size_t kMaxChannels = 32;

  /// A resolver with `options`, or why c-ares could not be set up.
  static Result<std::unique_ptr<CaresResolver>> Create(const ResolverOptions& options);
  ~CaresResolver() override;
  CaresResolver(const CaresResolver&) = delete;
  CaresResolver& operator=(const CaresResolver&) = delete;

  std::size_t Submit(std::string name, QueryType type) override;
  void Run(Clock::time_point deadline) override;
  const DnsOutcome& Outcome(std::size_t id) const override;

 private:
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
  };
  struct Query {
    Channel* channel = nullptr;
    std::string name;
    QueryType type = QueryType::kA;
    Clock::time_point sent;
    DnsOutcome outcome;
    bool done = false;
  };

  explicit CaresResolver(const ResolverOptions& options) : options_(options) {}
  /// Adds a channel set up with options_.
  Status AddChannel();
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  /// Hands queued queries to c-ares while there is room under the cap.
  void StartMore();
  /// One poll() round of at most `wait`; then lets c-ares read and time out.
  void Step(Clock::duration wait);

  ResolverOptions options_;
  std::deque<Channel> channels_;  // deques: c-ares holds pointers to their elements
  std::deque<Query> queries_;
  std::size_t next_ = 0;       // first query not yet handed to c-ares
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  bool starting_ = false;      // StartMore() is on the stack (answers can arrive inside ares_query)
  bool stopping_ = false;      // deadline reached: start nothing more
};

}  // namespace postvet::probe
