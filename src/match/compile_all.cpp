#include "src/match/compile_all.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace postvet {
namespace {

// Compiles every request and hands each outcome to `done(i, outcome)`, on
// the worker thread that compiled it (each index once). The run's regcomp
// budget is charged first, in request order, so that which patterns it
// refuses does not depend on the threads; those are handed over first, on
// the calling thread.
void CompileEach(const std::vector<CompileRequest>& requests, unsigned threads,
                 const std::function<void(size_t, Result<std::shared_ptr<const Regex>>)>& done) {
  if (threads == 0) threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  if (requests.size() < kParallelCompileThreshold) threads = 1;
  std::vector<bool> refused(requests.size(), false);
  for (size_t i = 0; i < requests.size(); ++i) {
    const CompileRequest& r = requests[i];
    if (r.dialect != RegexDialect::kPosix) continue;
    std::string refusal = Regex::ChargePosixBudget(r.pattern, r.options, r.need_groups);
    if (!refusal.empty()) {
      refused[i] = true;
      done(i, Status::Error(std::move(refusal)));
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
        done(i, Regex::Compile(r.dialect, r.pattern, r.options, r.need_groups, true, r.residency));
      }
    }
  };
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) workers.emplace_back(work);
  work();
  for (std::thread& w : workers) w.join();
}

}  // namespace

std::vector<Result<std::shared_ptr<const Regex>>> CompileAll(const std::vector<CompileRequest>& requests,
                                                             unsigned threads) {
  // Each thread writes the slots of its own requests; a slot starts as an
  // empty error (no heap memory).
  std::vector<Result<std::shared_ptr<const Regex>>> out(requests.size(), Status::Error(std::string()));
  CompileEach(requests, threads,
              [&out](size_t i, Result<std::shared_ptr<const Regex>> r) { out[i] = std::move(r); });
  return out;
}

CompileChecks CheckAll(const std::vector<CompileRequest>& requests, unsigned threads) {
  CompileChecks out;
  out.groups.assign(requests.size(), CompileChecks::kFailed);
  std::mutex errors;  // failures are rare: one lock each is cheap
  CompileEach(requests, threads, [&](size_t i, Result<std::shared_ptr<const Regex>> r) {
    if (r.ok()) {
      out.groups[i] = static_cast<uint32_t>((*r)->capture_count());
      return;
    }
    std::lock_guard<std::mutex> lock(errors);
    out.errors.emplace_back(static_cast<uint32_t>(i), r.status().message());
  });
  std::sort(out.errors.begin(), out.errors.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace postvet
