// PV004 unused-suppression. Unlike other rules it is not dispatched by
// subscription: only the engine knows, after filtering every finding,
// which directives silenced something, so it calls this afterwards.
#pragma once

#include <functional>
#include <string_view>

#include "src/engine/rule.hpp"
#include "src/engine/suppression.hpp"

namespace postvet {

inline constexpr std::string_view kUnusedSuppressionId = "PV004";

/// What a directive's ID refers to in this run.
enum class DirectiveTarget { kUnknownRule, kRuleNotRun, kRuleRan };

/// Reports every directive ID of `sup` (in `source`) that silenced nothing
/// although its rule ran, every ID that names no rule, and malformed
/// directives.
void ReportUnusedSuppressions(const Source& source, const Suppressions& sup,
                              const std::function<DirectiveTarget(std::string_view)>& target, Sink& sink);

}  // namespace postvet
