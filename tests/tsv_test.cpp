// TsvRows (src/base/tsv.hpp): comments and the header are skipped, rows are
// split into exactly the asked number of fields, short rows are left out.
#include <catch2/catch.hpp>

#include "src/base/tsv.hpp"

namespace postvet {
namespace {

TEST_CASE("TsvRows skips comments and the header and splits each row") {
  const std::string_view text =
      "# generated\n"
      "kind\tword\tprograms\n"
      "\n"
      "access\tOK\tsmtpd\n"
      "# a comment between rows\n"
      "header\tREPLACE\tcleanup\textra\n"
      "short\trow\n"
      "last\tline\twithout newline";
  auto rows = TsvRows(text, 3);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::vector<std::string_view>{"access", "OK", "smtpd"});
  CHECK(rows[1] == std::vector<std::string_view>{"header", "REPLACE", "cleanup\textra"});  // the last field keeps tabs
  CHECK(rows[2] == std::vector<std::string_view>{"last", "line", "without newline"});
  CHECK(rows[0][1].data() >= text.data());  // views into the text
  CHECK(rows[0][1].data() < text.data() + text.size());
}

TEST_CASE("TsvRows of nothing, a header alone, or zero fields is empty") {
  CHECK(TsvRows("", 2).empty());
  CHECK(TsvRows("a\tb\n", 2).empty());
  CHECK(TsvRows("h\n1\t2\n", 0).empty());
  CHECK(TsvRows("h\n1\n", 1) == std::vector<std::vector<std::string_view>>{{"1"}});
}

}  // namespace
}  // namespace postvet
