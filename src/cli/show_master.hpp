// `postvet show [--fields|--params] FILE`: master.cf as `postconf -M`,
// `postconf -F` and `postconf -P` print it. Called from show_command.cpp.
#pragma once

#include <string>

namespace postvet {

// `version` is --postfix-version (empty: 3.7, or what the sibling main.cf's
// compatibility_level implies; show_master_warnings.hpp).

/// Prints `path` (a master.cf) like `postconf -M`; returns the exit code.
int ShowMasterEntries(const std::string& path, const std::string& version = "");
/// Prints `path` (a master.cf) like `postconf -F`; returns the exit code.
int ShowMasterFields(const std::string& path, const std::string& version = "");
/// Prints `path` (a master.cf) like `postconf -P`; returns the exit code.
int ShowMasterParams(const std::string& path, const std::string& version = "");

}  // namespace postvet
