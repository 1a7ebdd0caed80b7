// RunOrdered (src/run/ordered_pool.hpp), what `check -j N` rests on: the
// results are consumed in item order whatever order the threads finish
// them in, no more than `jobs` computations run at once, none far ahead of
// the consumer, and a consumer that says stop ends the run without
// consuming anything after it. Also RegcompBudgetScope, the per-target
// regcomp budget the threads of `check -j` lint under.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "src/match/regcomp_cost.hpp"
#include "src/run/ordered_pool.hpp"

namespace postvet::run {
namespace {

TEST_CASE("RunOrdered consumes in item order with at most `jobs` computations at once") {
  for (unsigned jobs : {1U, 2U, 3U, 8U}) {
    std::atomic<int> running{0};
    std::atomic<int> most{0};
    std::vector<size_t> consumed;
    RunOrdered<size_t>(
        40, jobs,
        [&](size_t i) {
          int now = ++running;
          for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
          }
          // Early items take longest, so later ones finish first.
          std::this_thread::sleep_for(std::chrono::microseconds((40 - i) * 50));
          --running;
          return i * 10;
        },
        [&](size_t i, size_t result) {
          CHECK(result == i * 10);
          consumed.push_back(i);
          return true;
        });
    std::vector<size_t> want(40);
    for (size_t i = 0; i < want.size(); ++i) want[i] = i;
    CHECK(consumed == want);
    CHECK(most.load() <= static_cast<int>(jobs));
    CHECK(most.load() >= 1);
  }
}

TEST_CASE("RunOrdered stops after the consumer says so") {
  std::atomic<size_t> computed{0};
  std::vector<size_t> consumed;
  RunOrdered<size_t>(
      1000, 2,
      [&](size_t i) {
        ++computed;
        return i;
      },
      [&](size_t i, size_t) {
        consumed.push_back(i);
        return i < 4;
      });
  CHECK(consumed == std::vector<size_t>{0, 1, 2, 3, 4});
  // Nothing is started more than kLookahead x jobs items past the next to consume.
  CHECK(computed.load() <= 5 + kLookahead * 2);
}

TEST_CASE("RunOrdered with no items or more threads than items") {
  int calls = 0;
  RunOrdered<int>(0, 4, [](size_t) { return 0; }, [&](size_t, int) { return ++calls > 0; });
  CHECK(calls == 0);
  std::vector<size_t> consumed;
  RunOrdered<size_t>(2, 16, [](size_t i) { return i; }, [&](size_t i, size_t) {
    consumed.push_back(i);
    return true;
  });
  CHECK(consumed == std::vector<size_t>{0, 1});
}

TEST_CASE("RegcompBudgetScope: each scope has the whole budget, the run's is untouched") {
  ResetRunRegcompBudget();
  REQUIRE(ChargeRunRegcompBudget(kMaxRunUnrolledAtoms - 10));  // the run's budget nearly gone
  std::vector<std::thread> threads;
  std::atomic<int> right{0};  // Catch2's CHECK is for the main thread only
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      RegcompBudgetScope scope;
      const bool full = RunRegcompBudgetLeft() == kMaxRunUnrolledAtoms;
      // Past the heavy mark: the threads take turns, each gets its budget.
      const bool fits = ChargeRunRegcompBudget(kMaxRunUnrolledAtoms / 2);
      const bool half = RunRegcompBudgetLeft() == kMaxRunUnrolledAtoms / 2;
      const bool refused = !ChargeRunRegcompBudget(kMaxRunUnrolledAtoms / 2 + 1);
      if (full && fits && half && refused) ++right;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(right.load() == 3);
  CHECK(RunRegcompBudgetLeft() == 10);  // outside any scope: the run's, as it was
  ResetRunRegcompBudget();
}

}  // namespace
}  // namespace postvet::run
