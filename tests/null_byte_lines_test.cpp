// NullByteWarnings: readllines()'s "text after null byte" warnings (Postfix
// 3.9+), expected texts as postmap 3.10.13 prints them for the same bytes
// (`postmap -q zzz regexp:P`), including NULs in skipped or absorbed
// comment and blank lines.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "src/model/null_byte_lines.hpp"

using namespace postvet;

namespace {

std::vector<std::string> Texts(std::string_view bytes) {
  std::vector<std::string> out;
  for (const NullByteWarning& w : NullByteWarnings(bytes, "P")) out.push_back(w.text);
  return out;
}

std::string W(const char* where) { return std::string("P, ") + where + ": text after null byte may be ignored"; }

using namespace std::string_view_literals;

}  // namespace

TEST_CASE("null bytes: one warning per logical line, with its line range") {
  CHECK(Texts("/a/ b\n/c/ d\n"sv).empty());
  CHECK(Texts("/a\0b/ x\n"sv) == std::vector<std::string>{W("line 1")});
  CHECK(Texts("/a/ b\n c\0\n/d/ e\n"sv) == std::vector<std::string>{W("line 1-2")});
  CHECK(Texts("/a/ b\n\0\n"sv) == std::vector<std::string>{W("line 2")});
  CHECK(Texts(" lead\0\n/a/ b\n"sv) == std::vector<std::string>{W("line 1")});
}

TEST_CASE("null bytes: comment and blank lines count where readllines reads them") {
  // Skipped before the text: the range starts at the text.
  CHECK(Texts("# c\0\n/a/ b\n"sv) == std::vector<std::string>{W("line 2")});
  // Absorbed after it (a comment line may precede a continuation).
  CHECK(Texts("/a/ b\n# c\0\n/d/ e\n"sv) == std::vector<std::string>{W("line 1-2")});
  CHECK(Texts("/a/ b\n#\0"sv) == std::vector<std::string>{W("line 1-2")});
  // No text at all: still reported, at the last line read.
  CHECK(Texts("# only\0\n\n"sv) == std::vector<std::string>{W("line 2")});
  std::vector<NullByteWarning> two = NullByteWarnings("/a/ b\n/c\0/ d\n/e/ f\n/g\0/ h\n"sv, "P");
  REQUIRE(two.size() == 2);
  CHECK(two[0].first == 2);
  CHECK(two[1].first == 4);
}
