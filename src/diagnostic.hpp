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

#include "src/source.hpp"

namespace postvet {

enum class Severity : uint8_t { kInfo, kWarning, kError };

/// "info", "warning", "error".
std::string_view SeverityName(Severity s);
/// Parses "info", "warning", "error".
std::optional<Severity> SeverityFromName(std::string_view name);

/// A byte range [begin, end) in a file.
struct Location {
  const Source* source = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
};

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
