#include "src/engine/diagnostic.hpp"

#include "src/engine/rule_info.hpp"

namespace postvet {

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
