// ConfigDiff: what changed between two versions of a Postfix configuration,
// in Postfix's terms rather than text lines. Both sides are loaded and
// modelled; the comparison is of the *effective* configuration: every
// parameter after $-expansion, every master.cf service's fields, process
// limit and stress handling, every DNSBL entry with its filter and weight,
// and the active rules of each regexp/pcre table. Comment and layout edits
// produce no change (a cosmetic note at most).
#pragma once

#include <string>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {

struct ConfigChange {
  /// kRisky: can break mail flow or weaken protection; needs an
  /// acknowledgement. kNotable: changes behaviour. kCosmetic: text only.
  /// kSafeFix: exactly what postvet's own safe fixes of the old version do
  /// (src/diff/safe_fix_changes.hpp); needs no acknowledgement.
  enum class Level : uint8_t { kRisky, kNotable, kCosmetic, kSafeFix };
  Level level = Level::kNotable;
  /// What changed: a parameter name, "service/type", "table:<file>", "dnsbl:<list>".
  std::string subject;
  std::string message;
  /// Where, in the new version when it is there, else in the old one.
  Location where;
};

/// "risky", "notable", "cosmetic", "safe-fix".
std::string_view ChangeLevelName(ConfigChange::Level level);

/// Every change from `before` to `after`, each reported once, risky first
/// within a subject, sorted by subject.
std::vector<ConfigChange> DiffConfigs(const LintContext& before, const LintContext& after);

}  // namespace postvet
