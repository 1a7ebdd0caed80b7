// The one line `postvet check --fix` ends with: what it fixed and what is
// left, e.g. "fixed 14 findings in 3 files; 12 remain (3 fixable with
// --unsafe-fixes)".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "src/engine/diagnostic.hpp"

namespace postvet {

/// `fixed` fixes were applied to `files` files; `remaining` are the
/// findings left. With `unsafe_applied` (--unsafe-fixes given) no remaining
/// fix is announced as needing it.
std::string FixSummary(size_t fixed, size_t files, const std::vector<Diagnostic>& remaining, bool unsafe_applied);

}  // namespace postvet
