#include "src/match/compile_all.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace postvet {

std::vector<Result<std::shared_ptr<const Regex>>> CompileAll(const std::vector<CompileRequest>& requests,
                                                             unsigned threads) {
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  if (requests.size() < kParallelCompileThreshold) threads = 1;
  // Each thread writes the slots of its own requests; a slot starts as an
  // empty error (no heap memory); `refused` marks those the budget refused.
  std::vector<Result<std::shared_ptr<const Regex>>> out(requests.size(), Status::Error(std::string()));
  std::vector<bool> refused(requests.size(), false);
  // The run's regcomp budget is charged here, in request order, so that
  // which patterns it refuses does not depend on the threads.
  for (size_t i = 0; i < requests.size(); ++i) {
    const CompileRequest& r = requests[i];
    if (r.dialect != RegexDialect::kPosix) continue;
    std::string refusal = Regex::ChargePosixBudget(r.pattern, r.options, r.need_groups);
    if (!refusal.empty()) {
      out[i] = Status::Error(refusal);
      refused[i] = true;
    }
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    // Small batches keep the threads busy to the end without contention.
    constexpr size_t kBatch = 64;
    for (size_t begin = next.fetch_add(kBatch); begin < requests.size(); begin = next.fetch_add(kBatch)) {
      size_t end = std::min(begin + kBatch, requests.size());
      for (size_t i = begin; i < end; ++i) {
        const CompileRequest& r = requests[i];
        if (refused[i]) continue;
        out[i] = Regex::Compile(r.dialect, r.pattern, r.options, r.need_groups, true, r.residency);
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& w : workers) w.join();
  return out;
}

}  // namespace postvet
