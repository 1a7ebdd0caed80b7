// Suppression directives: parsing, scopes (next logical line with its
// continuations, whole file, disable/enable ranges), IDs and slugs, usage.
#include <catch2/catch.hpp>

#include "grammar/cst_builder.hpp"
#include "tests/test_util.hpp"

#include "src/engine/suppression.hpp"

namespace postvet {
namespace {

uint32_t OffsetOf(const Source& s, std::string_view needle) {
  return static_cast<uint32_t>(s.text().find(needle));
}

TEST_CASE("disable covers the next logical line and its continuations only") {
  Source s = testing::MakeSource(
      "# postvet: disable=PV102 -- kept on purpose\n"
      "a = 1\n"
      "  cont\n"
      "b = 2\n");
  Cst cst = ParseMainCf(s);
  Suppressions sup(cst);
  REQUIRE(sup.directives().size() == 1);
  CHECK(sup.Suppresses("PV102", "duplicate-parameter", OffsetOf(s, "a = 1")));
  CHECK(sup.Suppresses("PV102", "duplicate-parameter", OffsetOf(s, "cont")));
  CHECK_FALSE(sup.Suppresses("PV102", "duplicate-parameter", OffsetOf(s, "b = 2")));
  CHECK_FALSE(sup.Suppresses("PV101", "unknown-parameter", OffsetOf(s, "a = 1")));
  CHECK(sup.directives()[0].used[0]);
}

TEST_CASE("slugs, lists, disable-file, ranges") {
  Source s = testing::MakeSource(
      "# postvet: disable-file=unknown-parameter\n"
      "# postvet: disable=PV102, PV103\n"
      "x = 1\n"
      "y = 2\n"
      "# postvet: enable=PV102\n"
      "z = 3\n");
  Cst cst = ParseMainCf(s);
  Suppressions sup(cst);
  REQUIRE(sup.directives().size() == 3);
  CHECK(sup.Suppresses("PV101", "unknown-parameter", OffsetOf(s, "z = 3")));
  // PV102 is a range up to its enable; PV103 only the next line.
  CHECK(sup.Suppresses("PV102", "duplicate-parameter", OffsetOf(s, "y = 2")));
  CHECK_FALSE(sup.Suppresses("PV102", "duplicate-parameter", OffsetOf(s, "z = 3")));
  CHECK(sup.Suppresses("PV103", "undefined-reference", OffsetOf(s, "x = 1")));
  CHECK_FALSE(sup.Suppresses("PV103", "undefined-reference", OffsetOf(s, "y = 2")));
}

TEST_CASE("malformed directives and ordinary comments") {
  SuppressionDirective d;
  CHECK_FALSE(ParseDirective("# just a comment\n", 0, &d));
  CHECK_FALSE(ParseDirective("#postvetx: disable=PV1\n", 0, &d));
  SuppressionDirective bad;
  REQUIRE(ParseDirective("# postvet: disabel=PV102\n", 0, &bad));
  CHECK(bad.kind == SuppressionDirective::Kind::kMalformed);
  SuppressionDirective junk;
  REQUIRE(ParseDirective("# postvet: disable=PV102 because\n", 0, &junk));
  CHECK(junk.kind == SuppressionDirective::Kind::kMalformed);
  SuppressionDirective ok;
  REQUIRE(ParseDirective("  #postvet:disable=PV102,PV2 -- why\r\n", 10, &ok));
  CHECK(ok.kind == SuppressionDirective::Kind::kDisable);
  CHECK(ok.ids == std::vector<std::string_view>{"PV102", "PV2"});
  CHECK(ok.id_begins[0] == 10 + 19);
}

}  // namespace
}  // namespace postvet
