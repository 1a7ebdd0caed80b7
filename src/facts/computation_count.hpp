// Counts of the expensive per-configuration computations (the DNSBL lists,
// the per-service settings, the main.cf facts), for tests that prove each runs once per
// configuration however many rules, probes or reports read it (issue 17).
//
// Contract: CollectDnsblLists(), ComputeSettings(), the MainFacts
// constructor and CollectRestrictionLists() call CountComputation() once per
// run; nothing else does. Counts only grow;
// tests compare before/after. Thread-safe.
#pragma once

#include <atomic>
#include <cstddef>

namespace postvet::facts {

enum class Computation : unsigned char { kDnsblLists, kServiceSettings, kMainFacts, kRestrictionLists };

inline std::atomic<long>& ComputationCounter(Computation c) {
  static std::atomic<long> counters[4];
  return counters[static_cast<std::size_t>(c)];
}

inline void CountComputation(Computation c) { ComputationCounter(c).fetch_add(1, std::memory_order_relaxed); }

inline long ComputationCount(Computation c) { return ComputationCounter(c).load(std::memory_order_relaxed); }

}  // namespace postvet::facts
