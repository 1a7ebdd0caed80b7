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
// Results not consumed yet are held, so at most `jobs` computations are
// under way at once, whatever the results hold.
#pragma once

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

template <class Result, class Compute, class Consume>
void RunOrdered(size_t n, unsigned jobs, Compute compute, Consume consume) {
  std::vector<std::optional<Result>> slots(n);
  std::mutex mu;
  std::condition_variable ready;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < n && !stop.load(); i = next.fetch_add(1)) {
      Result r = compute(i);
      std::lock_guard<std::mutex> lock(mu);
      slots[i].emplace(std::move(r));
      ready.notify_all();
    }
  };
  std::vector<std::thread> workers;
  const size_t threads = std::min<size_t>(jobs == 0 ? 1 : jobs, n);
  workers.reserve(threads);
  for (size_t t = 0; t < threads; ++t) workers.emplace_back(work);
  for (size_t i = 0; i < n; ++i) {
    std::optional<Result> r;
    {
      std::unique_lock<std::mutex> lock(mu);
      ready.wait(lock, [&] { return slots[i].has_value(); });
      r = std::move(slots[i]);
      slots[i].reset();
    }
    if (!consume(i, std::move(*r))) {
      stop.store(true);
      break;
    }
  }
  for (std::thread& w : workers) w.join();
}

}  // namespace postvet::run
