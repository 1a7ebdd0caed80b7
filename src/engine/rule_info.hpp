// RuleInfo: the public metadata of one rule (id, slug, severity, fix kind,
// family, security severity).
// The registry (rules/registry.hpp) holds one per rule; each rule's doc page
// rules/<family>/<ID>.md states the same (tests/rule_fixtures_test.py keeps
// them in step). Reporters use it for SARIF rule descriptors, `postvet rules`
// and `postvet explain`.
#pragma once

#include <string_view>

#include "src/engine/diagnostic.hpp"

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
  // Filled by the registry (rules/registry.cpp), not by the rule itself:
  std::string_view family{};           // "dnsbl": the folder of its doc page
  // A security rule (its finding lets outsiders abuse the server): its
  // severity for GitHub code scanning, "0.1".."10.0" as a string (CVSS-like:
  // 9+ critical, 7+ high, 4+ medium). Empty for other rules. The one list is
  // rules/security_rules.cpp.
  std::string_view security_severity{};
};

}  // namespace postvet
