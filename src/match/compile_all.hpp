// Compiling many patterns at once, on several cores.
//
// glibc regcomp() dominates the load of a large regexp: table (postmap
// spends most of its start-up there too). The patterns are independent, so
// CompileAll() spreads them over worker threads; each result is exactly what
// Regex::Compile() returns for that request, in request order, whatever the
// number of threads (POSIX patterns are charged to the run's regcomp budget
// in request order before any thread starts).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/match/regex_engine.hpp"
#include "src/base/status.hpp"

namespace postvet {

/// One Regex::Compile() call, with its arguments.
struct CompileRequest {
  RegexDialect dialect = RegexDialect::kPosix;
  std::string_view pattern;  ///< must outlive the CompileAll() call
  uint32_t options = 0;
  bool need_groups = false;
  Residency residency = Residency::kResident;
};

/// Below this many requests CompileAll() stays on the calling thread.
inline constexpr size_t kParallelCompileThreshold = 256;

/// Compiles every request; result i belongs to request i. `threads` 0 means
/// one per core (at most 8).
std::vector<Result<std::shared_ptr<const Regex>>> CompileAll(const std::vector<CompileRequest>& requests,
                                                             unsigned threads = 0);

/// What CheckAll() learned of the requests, without the compiled code.
struct CompileChecks {
  static constexpr uint32_t kFailed = UINT32_MAX;
  /// Per request: its capture group count, or kFailed.
  std::vector<uint32_t> groups;
  /// The failed requests' messages, by request index, in request order.
  std::vector<std::pair<uint32_t, std::string>> errors;
};

/// Like CompileAll() (same threads, same budget charging in request order,
/// same outcome per request), but keeps of each request only whether it
/// compiled and its group count: the compiled code and the Regex objects are
/// freed as soon as each request is done, so memory stays at a few bytes per
/// request (for callers that judge patterns rather than run them).
CompileChecks CheckAll(const std::vector<CompileRequest>& requests, unsigned threads = 0);

}  // namespace postvet
