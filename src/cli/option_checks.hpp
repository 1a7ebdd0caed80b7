// Checks of option values shared by several commands, in the form CLI11's
// Option::check() takes: an empty string when the value is good, else the
// error text (CLI11 prefixes the option name; the exit code is 2).
#pragma once

#include <string>

namespace postvet {

/// "3.7", "3.10" or "3.7.11"; anything else is not a Postfix version.
std::string PostfixVersionError(const std::string& value);

}  // namespace postvet
