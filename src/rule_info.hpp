// RuleInfo: the public metadata of one rule, as the catalogue
// (../shared/rule-catalogue.md) fixes it. The registry (rules/registry.hpp)
// holds one per rule; reporters use it for SARIF rule descriptors, `postvet
// rules` and `postvet explain`.
#pragma once

#include <string_view>

#include "src/diagnostic.hpp"

namespace postvet {

/// Whether and how a rule can fix what it finds.
enum class FixKind : uint8_t { kNone, kSafe, kUnsafe, kSometimes };

/// "-", "safe", "unsafe", "sometimes".
std::string_view FixKindName(FixKind kind);

struct RuleInfo {
  std::string_view id;        // "PV203"
  std::string_view slug;      // "obsolete-dnsbl"
  Severity severity;          // default severity
  FixKind fix;
  std::string_view summary;   // one line: when the rule fires
  std::string_view doc;       // markdown: what, why, example, fix safety, Postfix reference
};

}  // namespace postvet
