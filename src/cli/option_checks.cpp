#include "src/cli/option_checks.hpp"

#include <fmt/format.h>

#include "src/model/param_info.hpp"

namespace postvet {

std::string PostfixVersionError(const std::string& value) {
  if (PostfixVersion::Parse(value)) return {};
  return fmt::format("\"{}\" is not a Postfix version (expected MAJOR.MINOR such as 3.7)", value);
}

}  // namespace postvet
