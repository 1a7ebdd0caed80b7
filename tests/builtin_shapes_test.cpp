// BuiltinShapes (src/model/builtin_shapes.hpp): never filters out a
// built-in name of any embedded release's table, and does filter the
// numbered names big generated main.cf files are made of.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "src/model/builtin_shapes.hpp"
#include "src/model/defaults.hpp"
#include "src/model/param_info.hpp"

using namespace postvet;

TEST_CASE("BuiltinShapes: every built-in name may be held, and a filtered name is never built in") {
  for (int minor = 5; minor <= 10; ++minor) {
    const Defaults& defaults = Defaults::For(PostfixVersion{3, minor});
    const BuiltinShapes shapes(defaults);
    REQUIRE(defaults.entries().size() > 500);
    for (const DefaultEntry& e : defaults.entries()) CHECK(shapes.MayHold(e.name));
    // Names that differ from built-in ones in their last bytes.
    std::mt19937 rng(static_cast<unsigned>(minor));
    for (const DefaultEntry& e : defaults.entries()) {
      std::string name(e.name);
      name += static_cast<char>('a' + rng() % 26);
      if (!shapes.MayHold(name)) CHECK(defaults.Find(name) == nullptr);
    }
  }
  const BuiltinShapes shapes37(Defaults::Postfix37());
  size_t filtered = 0;
  for (int i = 1; i <= 1000; ++i) filtered += shapes37.MayHold("relay_domains_" + std::to_string(i)) ? 0U : 1U;
  CHECK(filtered > 900);
}
