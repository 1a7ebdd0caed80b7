#include "src/facts/tune/memory_estimate.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include <fmt/format.h>

#include "src/base/embedded.hpp"
#include "src/base/tsv.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet::tune {
namespace {

std::vector<DaemonMemory> LoadTable() {
  std::vector<DaemonMemory> rows;
  std::optional<std::string_view> data = FindEmbedded("rules/data/daemon-memory.tsv");
  if (!data) return rows;
  for (const auto& f : TsvRows(*data, 3)) {  // "daemon	kib	basis"
    std::string kib(f[1]);
    char* end = nullptr;
    unsigned long long n = std::strtoull(kib.c_str(), &end, 10);
    if (end == kib.c_str() || *end != '\0' || n == 0) continue;
    rows.push_back({std::string(f[0]), n * 1024, std::string(f[2])});
  }
  return rows;
}

}  // namespace

const std::vector<DaemonMemory>& DaemonMemoryTable() {
  static const std::vector<DaemonMemory> table = LoadTable();
  return table;
}

const DaemonMemory& MemoryFor(std::string_view command) {
  static const DaemonMemory kFallback{"*", 4096 * 1024, "built-in guess"};
  const DaemonMemory* star = nullptr;
  for (const DaemonMemory& row : DaemonMemoryTable()) {
    if (row.daemon == command) return row;
    if (row.daemon == "*") star = &row;
  }
  return star != nullptr ? *star : kFallback;
}

MemoryBudget ComputeBudget(const TuneSettings& settings) {
  MemoryBudget budget;
  for (const ServiceSettings& s : settings.services) {
    if (!s.process_limit) continue;  // master(8) refuses the entry (PV408)
    if (*s.process_limit == 0) {
      budget.unlimited.push_back(&s);
      continue;
    }
    ServiceMemory m;
    m.service = &s;
    m.processes = *s.process_limit;
    m.bytes = static_cast<unsigned long long>(m.processes) * MemoryFor(s.command).bytes;
    budget.total += m.bytes;
    budget.services.push_back(m);
  }
  std::stable_sort(budget.services.begin(), budget.services.end(),
                   [](const ServiceMemory& a, const ServiceMemory& b) { return a.bytes > b.bytes; });
  return budget;
}

std::string FormatBytes(unsigned long long bytes) {
  constexpr unsigned long long kKi = 1024, kMi = kKi * 1024, kGi = kMi * 1024;
  if (bytes >= kGi) return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / static_cast<double>(kGi));
  if (bytes >= kMi) return fmt::format("{} MiB", (bytes + kMi / 2) / kMi);
  return fmt::format("{} KiB", (bytes + kKi / 2) / kKi);
}

Result<unsigned long long> MachineMemory(const std::string& meminfo_path) {
  std::ifstream in(meminfo_path);
  if (!in) return Status::Error(meminfo_path + ": cannot open (--memory auto works on Linux only)");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemTotal:", 0) != 0) continue;
    char* end = nullptr;
    unsigned long long kib = std::strtoull(line.c_str() + 9, &end, 10);
    if (end == line.c_str() + 9 || kib == 0) break;
    return kib * 1024;
  }
  return Status::Error(meminfo_path + ": no MemTotal line");
}

}  // namespace postvet::tune
