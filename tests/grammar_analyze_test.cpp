// PEGTL's grammar analysis (tao::pegtl::analyze) on every grammar in
// grammar/: no rule may loop without consuming input (an infinite loop on
// some input) or recurse left. The hand-written rules (a custom match())
// are described to the analysis below: what each consumes when it succeeds.
#include <catch2/catch.hpp>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/main_cf.hpp"
#include "grammar/master_cf.hpp"
#include "grammar/regexp_table.hpp"

namespace tao::pegtl {

// Lookaheads: succeed without consuming.
template <typename Name>
struct analyze_traits<Name, postvet::grammar::master_cf::glued_join_ahead> : analyze_opt_traits<> {};
template <typename Name>
struct analyze_traits<Name, postvet::grammar::regexp_table::second_pattern_ahead> : analyze_opt_traits<> {};
// Consume at least one byte ('{'; the opening delimiter) when they succeed.
template <typename Name>
struct analyze_traits<Name, postvet::grammar::master_cf::brace_group> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, postvet::grammar::regexp_table::pattern> : analyze_any_traits<> {};

}  // namespace tao::pegtl

namespace postvet {
namespace {

namespace pegtl = tao::pegtl;

TEST_CASE("the main.cf grammar has no problems PEGTL's analysis finds") {
  CHECK(pegtl::analyze<grammar::main_cf::file>(1) == 0);
}

TEST_CASE("the master.cf grammar has no problems PEGTL's analysis finds") {
  CHECK(pegtl::analyze<grammar::master_cf::file>(1) == 0);
}

TEST_CASE("the regexp and pcre table grammars have no problems PEGTL's analysis finds") {
  CHECK(pegtl::analyze<grammar::regexp_table::file<grammar::regexp_table::regexp_flags>>(1) == 0);
  CHECK(pegtl::analyze<grammar::regexp_table::file<grammar::regexp_table::pcre_flags>>(1) == 0);
}

}  // namespace
}  // namespace postvet
