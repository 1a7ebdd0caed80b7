// The rule registry: every rule postvet has, sorted by ID. One explicit list
// in registry.cpp (no static-initialisation tricks); a test
// (tests/rule_fixtures_test.py) checks that it is sorted, that IDs are
// unique, that it and the doc pages rules/<family>/<ID>.md name the same
// rules with the same slug, severity and fix kind, and that every rule has
// fixtures.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace postvet {

struct RegisteredRule {
  RuleInfo info;  // with `doc` filled from rules/<family>/<ID>.md
  std::unique_ptr<Rule> rule;
};

/// All rules, sorted by ID.
const std::vector<RegisteredRule>& Registry();

/// The rule with this ID (case-insensitive) or slug, or null.
const RegisteredRule* FindRule(std::string_view id_or_slug);

/// RuleInfo of every rule, in ID order (for reporters).
std::vector<RuleInfo> AllRuleInfos();

}  // namespace postvet
