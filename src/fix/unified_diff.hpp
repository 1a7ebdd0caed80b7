// Unified diffs of a fixed file against its original, in the form `git
// apply` and `patch -p1` accept: `--- a/PATH`, `+++ b/PATH`, hunks with three
// lines of context, and "\ No newline at end of file" where needed.
#pragma once

#include <string>
#include <string_view>

namespace postvet {

/// The diff turning `before` into `after`, labelled with `path` (shown as
/// a/path and b/path). Empty when the two are equal.
std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace postvet
