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

#include "src/config/lint_context.hpp"
#include "src/engine/diagnostic.hpp"
#include "src/engine/engine.hpp"
#include "src/engine/rule.hpp"
#include "src/engine/rule_filter.hpp"

namespace postvet {

/// All rules, sorted by ID.
const std::vector<RegisteredRule>& Registry();

/// The rule with this ID (case-insensitive) or slug, or null.
const RegisteredRule* FindRule(std::string_view id_or_slug);

/// RuleInfo of every rule, in ID order (for reporters).
std::vector<RuleInfo> AllRuleInfos();

/// Lint() of src/engine/engine.hpp with every registered rule.
std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter);

/// DropSubsumed() of src/engine/engine.hpp with every registered rule.
void DropSubsumed(std::vector<Diagnostic>* diagnostics);

}  // namespace postvet
