// The engine: runs the enabled rules over one LintContext, dispatching each
// rule only on what it subscribed to, then applies severity overrides,
// per-path ignores and suppression directives, reports unused directives
// (PV004), drops findings a more precise rule makes at the same place
// (Rule::subsumes()) and exact duplicates, and sorts the rest by place.
#pragma once

#include <vector>

#include "src/diagnostic.hpp"
#include "src/lint_context.hpp"
#include "src/rule_filter.hpp"

namespace postvet {

/// All findings for `ctx` that `filter` lets through, sorted by file,
/// offset and rule.
std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter);

/// Drops each finding that a finding of a rule subsuming its rule
/// (Rule::subsumes()) reports at the same place: same file, overlapping
/// byte ranges (an empty range counts as the byte it points at).
void DropSubsumed(std::vector<Diagnostic>* diagnostics);

/// Sorts by file (as displayed), position, rule, message; drops exact repeats.
void SortAndDedupe(std::vector<Diagnostic>* diagnostics);

}  // namespace postvet
