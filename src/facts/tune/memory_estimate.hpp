// Memory estimates for the tuning advisor: the per-process estimates of
// rules/data/daemon-memory.tsv, the memory a configuration needs when every
// service runs at its process limit (PV502, `postvet tune`), and the
// machine's memory for `--memory auto`.
//
// Contract: the table is compiled in and parsed once; a malformed table is a
// build defect caught by tests/tune_limits_test.cpp (rows that do not parse are
// skipped). Services without a limit (maxproc 0) have no number to multiply
// and are listed apart.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet::tune {

struct TuneSettings;
struct ServiceSettings;

/// One row of daemon-memory.tsv.
struct DaemonMemory {
  std::string daemon;  ///< program name, or "*" for programs not listed
  unsigned long long bytes = 0;
  std::string basis;
};

/// Every row of the table, in file order.
const std::vector<DaemonMemory>& DaemonMemoryTable();

/// The estimate for `command` (a program base name), falling back to "*".
const DaemonMemory& MemoryFor(std::string_view command);

/// One service's share of the budget.
struct ServiceMemory {
  const ServiceSettings* service = nullptr;
  long processes = 0;
  unsigned long long bytes = 0;  ///< processes × estimate
};

/// The memory all services need at their process limits.
struct MemoryBudget {
  std::vector<ServiceMemory> services;          ///< largest first
  std::vector<const ServiceSettings*> unlimited;  ///< maxproc 0: not counted
  unsigned long long total = 0;
};

/// Budget of `settings`: every service with a finite limit at that limit.
MemoryBudget ComputeBudget(const TuneSettings& settings);

/// "1.5 GiB", "300 MiB", "512 KiB".
std::string FormatBytes(unsigned long long bytes);

/// MemTotal from /proc/meminfo (for `--memory auto`).
Result<unsigned long long> MachineMemory(const std::string& meminfo_path = "/proc/meminfo");

}  // namespace postvet::tune
