#include "src/diagnostic.hpp"

#include "src/rule_info.hpp"

namespace postvet {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kError: return "error";
  }
  return "?";
}

std::optional<Severity> SeverityFromName(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

std::string_view FixKindName(FixKind kind) {
  switch (kind) {
    case FixKind::kNone: return "-";
    case FixKind::kSafe: return "safe";
    case FixKind::kUnsafe: return "unsafe";
    case FixKind::kSometimes: return "sometimes";
  }
  return "?";
}

}  // namespace postvet
