// `postvet show [--fields|--params] FILE`: master.cf as `postconf -M`,
// `postconf -F` and `postconf -P` print it. Called from show_command.cpp.
#pragma once

#include <string>

namespace postvet {

/// Prints `path` (a master.cf) like `postconf -M`; returns the exit code.
int ShowMasterEntries(const std::string& path);
/// Prints `path` (a master.cf) like `postconf -F`; returns the exit code.
int ShowMasterFields(const std::string& path);
/// Prints `path` (a master.cf) like `postconf -P`; returns the exit code.
int ShowMasterParams(const std::string& path);

}  // namespace postvet
