// The exit codes every postvet command shares (postvet(1) "EXIT STATUS").
#pragma once

namespace postvet {

inline constexpr int kExitOk = 0;        // nothing at or above --fail-on
inline constexpr int kExitFindings = 1;  // findings (or: query not found)
inline constexpr int kExitError = 2;     // the tool could not do its job

}  // namespace postvet
