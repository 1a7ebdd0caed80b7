// CaresResolver: the Resolver (resolver.hpp) on c-ares. One channel, one
// event loop (poll on the sockets c-ares reports through its socket-state
// callback), every query in flight at once up to a cap, c-ares' own
// per-try timeout and retries, and a global deadline at which everything
// still open is cancelled (ares_cancel), so Run() never outlasts it.
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
  /// A resolver with `options`, or why c-ares could not be set up.
  static Result<std::unique_ptr<CaresResolver>> Create(const ResolverOptions& options);
  ~CaresResolver() override;
  CaresResolver(const CaresResolver&) = delete;
  CaresResolver& operator=(const CaresResolver&) = delete;

  std::size_t Submit(std::string name, QueryType type) override;
  void Run(Clock::time_point deadline) override;
  const DnsOutcome& Outcome(std::size_t id) const override;

 private:
  struct Query {
    CaresResolver* owner = nullptr;
    std::string name;
    QueryType type = QueryType::kA;
    Clock::time_point sent;
    DnsOutcome outcome;
    bool done = false;
  };
  struct Socket {
    ares_socket_t fd;
    bool read;
    bool write;
  };

  explicit CaresResolver(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}
  static void OnSocketState(void* data, ares_socket_t fd, int readable, int writable);
  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  /// Hands queued queries to c-ares while there is room under the cap.
  void StartMore();
  /// One poll() round of at most `wait`; then lets c-ares read and time out.
  void Step(Clock::duration wait);

  ares_channel channel_ = nullptr;
  std::size_t max_in_flight_;
  std::deque<Query> queries_;  // a deque: c-ares holds pointers to its elements
  std::vector<Socket> sockets_;
  std::size_t next_ = 0;       // first query not yet handed to c-ares
  std::size_t in_flight_ = 0;
  std::size_t finished_ = 0;
  bool starting_ = false;      // StartMore() is on the stack (answers can arrive inside ares_query)
  bool stopping_ = false;      // deadline reached: start nothing more
};

}  // namespace postvet::probe
