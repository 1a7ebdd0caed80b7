// `postvet check --statistics`: instead of the findings, how many there are
// of each rule (as ruff's --statistics), most frequent first:
//     12  PV203  warning  [*] obsolete-dnsbl
// "[*]" marks a rule whose findings --fix can fix (some or all of them).
// With --format json: {"version": 1, "statistics": [{"rule", "slug",
// "severity", "count", "fixable"}]}, fixable counting the safe fixes.
#pragma once

#include <string>
#include <vector>

#include "src/engine/diagnostic.hpp"

namespace postvet {

/// The statistics of `found`, as text (json false) or JSON.
std::string RenderStatistics(const std::vector<Diagnostic>& found, bool json);

}  // namespace postvet
