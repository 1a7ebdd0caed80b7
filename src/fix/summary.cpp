#include "src/fix/summary.hpp"

#include <fmt/format.h>

namespace postvet {

std::string FixSummary(size_t fixed, size_t files, const std::vector<Diagnostic>& remaining, bool unsafe_applied) {
  size_t unsafe = 0;
  for (const Diagnostic& d : remaining) {
    if (d.fix && !d.fix->edits.empty() && d.fix->applicability == Applicability::kUnsafe) ++unsafe;
  }
  std::string out = fixed == 0 ? std::string("fixed nothing")
                               : fmt::format("fixed {} finding{} in {} file{}", fixed, fixed == 1 ? "" : "s", files,
                                             files == 1 ? "" : "s");
  if (remaining.empty()) return out + "; none remain";
  out += fmt::format("; {} remain{}", remaining.size(), remaining.size() == 1 ? "s" : "");
  if (unsafe != 0 && !unsafe_applied) out += fmt::format(" ({} fixable with --unsafe-fixes)", unsafe);
  return out;
}

}  // namespace postvet
