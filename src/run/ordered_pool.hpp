// OrderedPool: work items computed on worker threads, consumed on the
// calling thread in item order, for commands over many config dirs
// (`check -j N`). The consumer sees exactly the sequence a serial loop
// would produce, so the output does not depend on the threads.
//
// Contract: RunOrdered(n, jobs, compute, consume) calls compute(i) for i in
// [0, n) on min(jobs, n) threads (compute must touch no shared mutable
// state) and consume(i, result) on the calling thread for i = 0, 1, ... in
// order, each as soon as result i is ready. When consume returns false, no
// further item is started and no further result is consumed; the threads
// finish the items they hold and are joined before RunOrdered returns.
// At most `jobs` computations are under way at once, and no item is started
// more than kLookahead x jobs items ahead of the next one to consume: the
// results waiting for their turn stay bounded, and little is computed in
// vain past a consumer that stops.
#pragma once

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace postvet::run {

/// The default of --jobs: the number of online CPUs (at least 1).
unsigned OnlineCpus();

inline constexpr size_t kLookahead = 4;

template <class Result, class Compute, class Consume>
void RunOrdered(size_t n, unsigned jobs, Compute compute, Consume consume) {
  std::vector<std::optional<Result>> slots(n);
  std::mutex mu;
  std::condition_variable changed;  // a result is ready, one is consumed, or stop
  std::atomic<size_t> next{0};
  size_t consumed = 0;  // guarded by mu
  bool stop = false;    // guarded by mu
  const size_t threads = std::min<size_t>(jobs == 0 ? 1 : jobs, n);
  const size_t window = kLookahead * std::max<size_t>(threads, 1);
  auto work = [&] {
    // Items are handed out in order, so the one the consumer waits for is
    // always held by a thread that is not waiting: no deadlock.
    for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) {
      {
        std::unique_lock<std::mutex> lock(mu);
        changed.wait(lock, [&] { return stop || i < consumed + window; });
        if (stop) return;
      }
      Result r = compute(i);
      std::lock_guard<std::mutex> lock(mu);
      slots[i].emplace(std::move(r));
      changed.notify_all();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (size_t t = 0; t < threads; ++t) workers.emplace_back(work);
  for (size_t i = 0; i < n; ++i) {
    std::optional<Result> r;
    {
      std::unique_lock<std::mutex> lock(mu);
      changed.wait(lock, [&] { return slots[i].has_value(); });
      r = std::move(slots[i]);
      slots[i].reset();
    }
    const bool go_on = consume(i, std::move(*r));
    std::lock_guard<std::mutex> lock(mu);
    consumed = i + 1;
    stop = !go_on;
    changed.notify_all();
    if (stop) break;
  }
  for (std::thread& w : workers) w.join();
}

}  // namespace postvet::run
