#include "src/model/target_version.hpp"

#include <optional>

namespace postvet {

TargetVersion TargetVersion::For(std::string_view postfix_version) {
  std::optional<PostfixVersion> v = PostfixVersion::Parse(postfix_version);
  return TargetVersion(v ? *v : PostfixVersion{3, 7}, Defaults::Postfix37());
}

}  // namespace postvet
