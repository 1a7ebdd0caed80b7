// How `postvet check` names the paths it was given, in every report and in
// the baseline: relative to the current directory, so that a run over
// `hosts/*/` from a repository's top shows `hosts/mx1/main.cf`, whether the
// user (or a CI system, or pre-commit) wrote the path relative, with `./`,
// with doubled or trailing slashes, or absolute below the current directory.
// Absolute paths outside the current directory stay absolute. Purely
// lexical: symlinks are not resolved, the file system is not read.
#pragma once

#include <string>
#include <string_view>

namespace postvet {

/// `path` as shown to the user: lexically normalised ("./a//b/" -> "a/b"),
/// made relative to `cwd` (an absolute directory) when it is absolute and
/// at or below it. The current directory itself is "" (so that names joined
/// to it read "main.cf", not "./main.cf"). Paths leading above the current
/// directory ("../x") stay as normalised.
std::string DisplayPath(std::string_view path, std::string_view cwd);

}  // namespace postvet
