// FileKind: which Postfix format a file is in, and how to tell from its name.
#pragma once

#include <optional>
#include <string_view>

namespace postvet {

/// kDbmsConfig: a database client configuration file (`mysql:/etc/x.cf`),
/// in main.cf syntax; only the loader gives it (never guessed from a name).
enum class FileKind { kMainCf, kMasterCf, kRegexpTable, kPcreTable, kDbmsConfig };

/// Parses a --type value: main, master, regexp, pcre.
std::optional<FileKind> FileKindFromName(std::string_view name);
/// Guesses the kind from a path's file name: master.cf (and master.d/*.cf
/// fragments named *master*), main.cf and other *.cf, *.pcre, *.regexp; files
/// named *_checks are regexp tables. nullopt when the name says nothing.
std::optional<FileKind> FileKindFromPath(std::string_view path);

}  // namespace postvet
