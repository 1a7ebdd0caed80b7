// Rule selectors as users write them (--select, --ignore, .postvet.cf's
// select, ignore, severity_<SELECTOR>, per_path_ignores): checking that each
// names at least one registered rule, and suggesting the closest rule when
// it does not. A selector is a rule ID (PV203, any case), a family prefix
// (PV, PV2, PV20), a slug (obsolete-dnsbl) or ALL.
#pragma once

#include <string>
#include <string_view>

#include "src/base/status.hpp"
#include "src/config/project_config.hpp"

namespace postvet {

/// Empty when `selector` names at least one registered rule; otherwise the
/// error text: `unknown rule "PV999" (did you mean PV904?)`.
std::string SelectorError(std::string_view selector);

/// The closest registered rule ID or slug to an unknown `selector` (empty
/// when nothing is close): the nearest ID for anything shaped like one
/// (PV + digits), else the nearest slug within typo distance.
std::string ClosestRule(std::string_view selector);

/// Reads a .postvet.cf file (src/config/project_config.hpp), checking its
/// rule selectors with SelectorError.
Result<ProjectConfig> ReadProjectConfig(const std::string& path);

}  // namespace postvet
