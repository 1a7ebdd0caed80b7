// Unified diffs of a fixed file against its original, in the form `git
// apply` and `patch -p1` accept: `--- a/PATH`, `+++ b/PATH`, hunks with three
// lines of context, and "\ No newline at end of file" where needed. File
// names are quoted as git quotes them (core.quotePath): a name holding a
// control character, '"', '\\' or a byte over 0x7f is written C-style
// in double quotes ("a/tab\tx", "b/\303\251"), and a name holding a space
// is followed by a tab, so both tools patch the file named.
#pragma once

#include <string>
#include <string_view>

namespace postvet {

/// The diff turning `before` into `after`, labelled with `path` (shown as
/// a/path and b/path). Empty when the two are equal.
/// `prefix` + `path` as a ---/+++ line names it: quoted when needed, with
/// a trailing tab when it holds a space (git's rules).
std::string PatchFileName(std::string_view prefix, std::string_view path);

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after);

}  // namespace postvet
