// Diagnostic: one finding about the configuration, as data. Rules create
// them; the engine filters them (select/ignore/suppressions/baseline); the
// reporters print them; the fixer applies their edits. Positions are byte
// ranges in a Source; lines and columns are computed only when printed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/location.hpp"
#include "src/base/severity.hpp"

namespace postvet {

/// A related place ("first defined here").
struct Note {
  Location location;
  std::string message;
};

/// Replace bytes [begin, end) of `source` with `text`.
struct Edit {
  const Source* source = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string text;
};

/// Safe: Postfix computes the same effective configuration afterwards (or the
/// change is exactly what the rule states). Unsafe: behaviour changes; applied
/// only with --unsafe-fixes.
enum class Applicability : uint8_t { kSafe, kUnsafe };

struct Fix {
  Applicability applicability = Applicability::kSafe;
  std::string description;  // "delete the earlier definition"
  std::vector<Edit> edits;  // non-overlapping
};

struct Diagnostic {
  std::string_view rule_id;  // "PV102"; points into the rule registry
  Severity severity = Severity::kWarning;
  Location location;
  std::string message;
  std::vector<Note> notes;
  std::optional<Fix> fix;
  /// What the finding is about, stable across line shifts (parameter name,
  /// zone, service, pattern): the baseline and fingerprints key on it.
  std::string subject;
};

}  // namespace postvet
