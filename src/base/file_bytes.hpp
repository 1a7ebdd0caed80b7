// ReadFileBytes(): the bytes of an input file, for a caller that needs them
// writable rather than wrapped in a Source (`show` joins main.cf's continued
// values in place). Same checks and messages as ReadSource(), which uses it.
#pragma once

#include <string>

#include "src/base/status.hpp"

namespace postvet {

/// The bytes ReadSource() would read: a regular file of at most
/// kMaxInputBytes, or a Status naming `display`.
Result<std::string> ReadFileBytes(const std::string& path, const std::string& display);

}  // namespace postvet
