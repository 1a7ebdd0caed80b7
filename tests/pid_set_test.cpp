// PidSet (src/tune/pid_set.hpp), the open sessions of one host and tag:
// random inserts and erases, clustered like real pids, agree with std::set
// at every step (deletion by shifting back must keep every pid findable).
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "src/tune/pid_set.hpp"

namespace postvet::tune {
namespace {

TEST_CASE("PidSet agrees with std::set under random inserts and erases") {
  std::mt19937 rng(7);
  PidSet pids;
  std::set<long> model;
  for (int step = 0; step < 200000; ++step) {
    long pid = static_cast<long>(rng() % 3000) + (step / 1000) * 10;
    if (rng() % 2 == 0) {
      CHECK(pids.Insert(pid) == model.insert(pid).second);
    } else {
      CHECK(pids.Erase(pid) == (model.erase(pid) == 1));
    }
    REQUIRE(pids.size() == model.size());
    if (step % 997 == 0) {
      for (long p = 0; p < 5000; ++p) REQUIRE(pids.Contains(p) == (model.count(p) == 1));
    }
  }
  CHECK_FALSE(PidSet().Contains(1));
  CHECK_FALSE(PidSet().Erase(1));
}

}  // namespace
}  // namespace postvet::tune
