// Recognising postvet's own safe fixes in a change, for `postvet diff`.
//
// A change that only applies the safe fixes postvet offers for the old
// version (what `postvet check --fix` writes) must not be treated as a risky,
// unacknowledged edit. To tell, the old version is fixed in memory (safe
// fixes only, repeated until nothing changes, as `check --fix` does) and
// compared with the new one: every subject (parameter, service, DNS list,
// table) that changed from OLD to NEW but shows no behavioural change from
// fixed-OLD to NEW is explained by those fixes, and its changes are
// relabelled ConfigChange::Level::kSafeFix.
//
// Contract: reads nothing from disk beyond what `load` reads; the contexts
// it creates are kept in `keep` (findings point into them).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "src/diff/config_diff.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"
#include "src/engine/rule_filter.hpp"

namespace postvet {

/// Loads one side of the diff with the given options (overlay for fixes).
using SideLoader = std::function<Result<std::unique_ptr<LintContext>>(const LoadOptions&)>;

/// `before` with its safe fixes applied in memory (reloaded through `load`),
/// or nullptr when it has none.
Result<const LintContext*> WithSafeFixes(const LintContext& before, const SideLoader& load, const RuleFilter& filter,
                                         std::vector<std::unique_ptr<LintContext>>* keep);

/// Relabels the changes of `changes` (OLD -> NEW) whose subject has no
/// behavioural (non-cosmetic) change in `remaining` (fixed OLD -> NEW).
void MarkSafeFixChanges(const std::vector<ConfigChange>& remaining, std::vector<ConfigChange>* changes);

}  // namespace postvet
