// The engine: runs the enabled rules over one LintContext, dispatching each
// rule only on what it subscribed to, then applies severity overrides,
// per-path ignores and suppression directives, reports unused directives
// (PV004), drops findings a more precise rule makes at the same place
// (Rule::subsumes()) and exact duplicates, and sorts the rest by place.
#pragma once

#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/engine/rule_filter.hpp"

namespace postvet {

/// All findings of `rules` for `ctx` that `filter` lets through, sorted by
/// file, offset and rule. `rules` is the rule list (rules/registry.hpp's
/// Registry() in the product; its Lint(ctx, filter) passes that).
std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter,
                             const std::vector<RegisteredRule>& rules);

/// Drops each finding that a finding of a rule subsuming its rule
/// (Rule::subsumes()) reports at the same place: same file, overlapping
/// byte ranges (an empty range counts as the byte it points at).
/// Which rule subsumes which comes from `rules`.
void DropSubsumed(std::vector<Diagnostic>* diagnostics, const std::vector<RegisteredRule>& rules);

/// Sorts by file (as displayed), position, rule, message; drops exact repeats.
void SortAndDedupe(std::vector<Diagnostic>* diagnostics);

}  // namespace postvet
