// PlainMacroRefs() (the fast path of postconf's name scan in `show`) against
// MacroExpand(kScan): whenever it claims a value, the names must be exactly
// those the full scan reports, in order, with no warning and no error; and
// it must claim the plain forms it exists for.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "src/model/expand.hpp"
#include "src/model/plain_macro_refs.hpp"

using namespace postvet;

namespace {

struct Scanned {
  std::vector<std::string> names;
  MacroOutcome outcome;
};

Scanned FullScan(const std::string& value) {
  Scanned s;
  MacroLookup none = [](std::string_view, bool) -> std::optional<std::string_view> { return std::nullopt; };
  MacroNameSink sink = [&](std::string_view name, uint32_t) { s.names.emplace_back(name); };
  s.outcome = MacroExpand(value, ExpandMode::kScan, none, sink);
  return s;
}

// Checks the contract on `value`; returns whether the fast path took it.
bool Agrees(const std::string& value) {
  INFO("value: " << value);
  PlainRefs plain;
  if (!PlainMacroRefs(value, &plain)) return false;
  Scanned full = FullScan(value);
  CHECK_FALSE(full.outcome.error);
  CHECK(full.outcome.warnings.empty());
  std::vector<std::string> got;
  for (size_t i = 0; i < plain.count; ++i) got.emplace_back(plain.names[i]);
  CHECK(got == full.names);
  return true;
}

}  // namespace

TEST_CASE("PlainMacroRefs: plain forms are taken, with the full scan's names") {
  const char* taken[] = {
      "",
      "no references",
      "$a",
      "${a}",
      "$(a)",
      "$$",
      "$$a $$$b",
      "hash:/etc/postfix/map2 $myhostname ${mydomain} value2",
      "[$myhostname] [${myhostname}] [$(myhostname)] [$$myhostname] [$myhostname.x] [$mydomain_x]",
      "$a$b${c}$(d)x$e_1-$F9",
      "${a}}",
      "$(a))",
      "$a{b}",
  };
  for (const char* v : taken) CHECK(Agrees(v));
  PlainRefs plain;
  REQUIRE(PlainMacroRefs("x $one ${two} $(three) $$four", &plain));
  REQUIRE(plain.count == 3);
  CHECK(plain.names[0] == "one");
  CHECK(plain.names[1] == "two");
  CHECK(plain.names[2] == "three");
}

TEST_CASE("PlainMacroRefs: an empty view with a null data() has no references") {
  // main.cf values that are empty come as default views; UBSan (CI's
  // sanitizer run) fails this if the scan hands the null pointer to memchr().
  PlainRefs plain;
  CHECK(PlainMacroRefs(std::string_view(), &plain));
  CHECK(plain.count == 0);
}

TEST_CASE("PlainMacroRefs: everything else is left to the full scan") {
  const char* left[] = {
      "$",         "a $",       "$ a",        "${}",         "$()",      "${a",      "$(a",
      "${a }",     "${ a}",     "${a:b}",     "${a?b}",      "${a?{b}:{c}}", "${{$a}=={b}?x}",
      "$(a}",      "${a)",      "$-",         "${a${b}}",    "$(a(b))",  "$é",
  };
  for (const char* v : left) {
    INFO("value: " << v);
    PlainRefs plain;
    CHECK_FALSE(PlainMacroRefs(v, &plain));
  }
  // More references than it collects.
  std::string many;
  for (size_t i = 0; i <= kMaxPlainRefs; ++i) many += "$a ";
  PlainRefs plain;
  CHECK_FALSE(PlainMacroRefs(many, &plain));
}

TEST_CASE("PlainMacroRefs: random values agree with the full scan") {
  const char alphabet[] = {'$', '$', '$', '{', '}', '(', ')', 'a', 'b', '_', '1', ' ', ':', '?', '=', '\n', '\0', '.'};
  std::mt19937 rng(31);
  size_t taken = 0;
  for (int round = 0; round < 50000; ++round) {
    std::string value(rng() % 24, ' ');
    for (char& c : value) c = alphabet[rng() % sizeof alphabet];
    taken += Agrees(value) ? 1U : 0U;
  }
  // Both paths are exercised.
  CHECK(taken > 5000);
  CHECK(taken < 45000);
}
