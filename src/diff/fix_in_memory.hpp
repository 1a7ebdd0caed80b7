// FixInMemory: the lint -> plan -> apply -> reload loop of `check --fix`, on
// a configuration held in memory instead of a directory on disk. It exists
// for the fix-convergence fuzz target and for tests that want the effect of
// repeated fix passes without touching the filesystem.
//
// Contract: `files` maps names relative to the configuration directory
// ("main.cf", "master.cf", "header_checks") to their bytes; a main.cf or
// master.cf must be among them. Tables are found as `check` finds them: a
// table named /etc/postfix/NAME (or under the config's config_directory) is
// the file NAME of the map; a table named but absent from the map is
// unreadable (PV002). Nothing is read from or written to disk: the files
// live under a directory name that cannot exist (kInMemoryConfigDir).
// Each pass lints, plans the fixes `policy` allows (PlanFixes) and applies
// them; the loop stops when a pass has nothing to apply (converged) or
// after `max_passes` passes, and then lints once more for the result.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "src/fix/edits.hpp"
#include "src/config/project_config.hpp"
#include "src/base/status.hpp"

namespace postvet {

/// The directory the in-memory files are said to live in. A component of
/// it does not exist, so no path below it (even with "..") reaches a real file.
inline constexpr std::string_view kInMemoryConfigDir = "/nonexistent-postvet-in-memory/cfg";

struct InMemoryFixResult {
  std::map<std::string, std::string> files;          // every file, after the passes
  int passes = 0;                                    // passes that changed something
  bool converged = false;                            // the final lint plans no edit
  std::map<std::string, size_t> findings_before;     // rule id -> findings, first lint
  std::map<std::string, size_t> findings_after;      // rule id -> findings, final lint
  /// "RULE subject" -> findings (Diagnostic::subject), first and final lint:
  /// tells apart kinds of one rule, e.g. PV002's "nul" from a missing table.
  std::map<std::string, size_t> subjects_before;
  std::map<std::string, size_t> subjects_after;
};

/// Runs up to `max_passes` fix passes over `files` (see the header comment).
/// Fails only when the configuration cannot be loaded at all (neither
/// main.cf nor master.cf given).
Result<InMemoryFixResult> FixInMemory(const std::map<std::string, std::string>& files,
                                      const ProjectConfig& config, const FixPolicy& policy, int max_passes);

}  // namespace postvet
