// Tests for src/match/regcomp_cost: the unrolled size of POSIX patterns, and
// that Regex::Compile() refuses the ones that would blow up regcomp().
#include "src/match/regcomp_cost.hpp"

#include <regex.h>

#include <string>

#include <catch2/catch.hpp>

#include "src/match/compile_all.hpp"
#include "src/match/regex_engine.hpp"

namespace postvet {
namespace {

TEST_CASE("EstimateRegcompAtoms: plain patterns count their atoms") {
  CHECK(EstimateRegcompAtoms("^Subject:", true) == 9);
  CHECK(EstimateRegcompAtoms("a[]b-z]c", true) == 3);      // one bracket expression
  CHECK(EstimateRegcompAtoms("a[[:alpha:]]*\\.b", true) == 4);
  CHECK(EstimateRegcompAtoms("(ab|cd)?e", true) == 5);
}

TEST_CASE("EstimateRegcompAtoms: repetition unrolls") {
  CHECK(EstimateRegcompAtoms("a+", true) == 2);
  CHECK(EstimateRegcompAtoms("a++++", true) == 16);
  CHECK(EstimateRegcompAtoms("(ab){3}", true) == 6);
  CHECK(EstimateRegcompAtoms("x{2,5}", true) == 5);
  CHECK(EstimateRegcompAtoms("x{4,}", true) == 5);
  CHECK(EstimateRegcompAtoms("((a{100}){100}){100}", true) == 1000000);
  CHECK(EstimateRegcompAtoms("a{x", true) == 3);  // not an interval: literal characters
}

TEST_CASE("EstimateRegcompAtoms: basic syntax uses backslashed operators") {
  CHECK(EstimateRegcompAtoms("a+", false) == 2);            // a literal +
  CHECK(EstimateRegcompAtoms("a\\+\\+", false) == 4);
  CHECK(EstimateRegcompAtoms("\\(ab\\)\\{3\\}", false) == 6);
}

TEST_CASE("EstimateRegcompAtoms: saturates instead of overflowing") {
  CHECK(EstimateRegcompAtoms(std::string(200, '+').insert(0, "a"), true) == uint64_t{1} << 62);
}

TEST_CASE("Regex::Compile refuses patterns regcomp would unroll past the limit") {
  auto stacked = Regex::Compile(RegexDialect::kPosix, "unsubscribe.php" + std::string(70, '+'), REG_EXTENDED, false);
  REQUIRE_FALSE(stacked.ok());
  CHECK(stacked.status().message().find("repetition unrolls") != std::string::npos);
  CHECK_FALSE(Regex::Compile(RegexDialect::kPosix, "((a{100}){100}){100}", REG_EXTENDED, false).ok());
  CHECK(Regex::Compile(RegexDialect::kPosix, "^Subject:.*(viagra|casino){1,3}", REG_EXTENDED, false).ok());
  CHECK(Regex::Compile(RegexDialect::kPosix, "a{1000}", REG_EXTENDED, false).ok());
}

TEST_CASE("UnrolledCharge: only the copies repetition adds") {
  CHECK(UnrolledCharge(EstimateRegcompAtoms("^Subject:.*(viagra|casino)", true), 26) == 0);
  CHECK(UnrolledCharge(EstimateRegcompAtoms("a{1000}", true), 7) == 993);
}

TEST_CASE("the run's regcomp budget refuses patterns past it, in request order") {
  ResetRunRegcompBudget();
  // Each pattern is 10,002 copies of 20 bytes: a charge of 9,982; ten fit.
  std::vector<std::string> patterns;  // the requests view them
  for (int i = 0; i < 12; ++i) patterns.push_back("((a{100}){10}){10}x" + std::to_string(i % 10));
  std::vector<CompileRequest> requests;
  for (const std::string& pattern : patterns) requests.push_back({RegexDialect::kPosix, pattern, REG_EXTENDED, false});
  std::vector<Result<std::shared_ptr<const Regex>>> out = CompileAll(requests);
  for (int i = 0; i < 10; ++i) CHECK(out[static_cast<size_t>(i)].ok());
  for (size_t i = 10; i < 12; ++i) {
    REQUIRE_FALSE(out[i].ok());
    CHECK(out[i].status().message().find("more than the 180 left of postvet's budget of 100000") !=
          std::string::npos);
  }
  // Patterns without repetition cost nothing, even now.
  CHECK(Regex::Compile(RegexDialect::kPosix, "^Subject:.*(viagra|casino)", REG_EXTENDED, false).ok());
  CHECK_FALSE(Regex::Compile(RegexDialect::kPosix, "b{1000}", REG_EXTENDED, false).ok());
  ResetRunRegcompBudget();
  CHECK(Regex::Compile(RegexDialect::kPosix, "b{1000}", REG_EXTENDED, false).ok());
  ResetRunRegcompBudget();
}

TEST_CASE("CheckAll: the outcome of CompileAll, group counts and messages only") {
  // Enough requests for several threads; POSIX and PCRE2 errors, budget
  // refusals (charged in request order) and patterns with groups.
  std::vector<std::string> patterns;  // the requests view them
  for (int i = 0; i < 600; ++i) {
    switch (i % 5) {
      case 0: patterns.push_back("^Subject:.*(a|b)(c)" + std::to_string(i)); break;
      case 1: patterns.push_back("bad[" + std::to_string(i)); break;
      case 2: patterns.push_back("((a{100}){10}){10}x" + std::to_string(i)); break;
      case 3: patterns.push_back("(x)(?:y)z(" + std::to_string(i)); break;
      default: patterns.push_back("^From:" + std::to_string(i)); break;
    }
  }
  for (RegexDialect dialect : {RegexDialect::kPosix, RegexDialect::kPcre}) {
    std::vector<CompileRequest> requests;
    for (const std::string& p : patterns) {
      requests.push_back({dialect, p, DefaultRegexOptions(dialect), true, Residency::kOnDemand});
    }
    ResetRunRegcompBudget();
    const std::vector<Result<std::shared_ptr<const Regex>>> all = CompileAll(requests);
    ResetRunRegcompBudget();
    const CompileChecks checks = CheckAll(requests);
    REQUIRE(checks.groups.size() == all.size());
    size_t next_error = 0;
    size_t failed = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      if (all[i].ok()) {
        CHECK(checks.groups[i] == (*all[i])->capture_count());
        continue;
      }
      ++failed;
      CHECK(checks.groups[i] == CompileChecks::kFailed);
      REQUIRE(next_error < checks.errors.size());
      CHECK(checks.errors[next_error].first == i);
      CHECK(checks.errors[next_error].second == all[i].status().message());
      ++next_error;
    }
    CHECK(next_error == checks.errors.size());
    CHECK(failed >= 240);  // the bad brackets and open groups at least
    CHECK(checks.groups[0] == 2);
  }
  ResetRunRegcompBudget();
}

}  // namespace
}  // namespace postvet
