// Shared pieces of the master.cf model tests (master_cf_test.cpp,
// master_cf_spec_test.cpp): a master.cf parsed into its tree and model, the
// problems one checker reported, and postconf -F / -P listings of a text.
#pragma once

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/master_args.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_postconf.hpp"
#include "tests/test_util.hpp"

namespace postvet::master_cf_test {

// A Source, its tree and the model, kept together (the model points into
// the Source).
struct Parsed {
  explicit Parsed(std::string text)
      : source(testing::MakeSource(std::move(text), "master.cf")),
        cst(ParseMasterCf(source)),
        cf(BuildMasterCf(cst)) {}
  Source source;
  Cst cst;
  MasterCf cf;

  std::string_view Bytes(uint32_t begin, uint32_t end) const { return source.Slice(begin, end); }
  const MasterService& Only() const {
    REQUIRE(cf.services.size() == 1);
    return cf.services[0];
  }
};

// A string literal with its NUL bytes, without the terminating one.
template <size_t N>
inline std::string Bytes(const char (&literal)[N]) {
  return std::string(literal, N - 1);
}

inline std::vector<std::string> Messages(const MasterService& svc, MasterChecker checker) {
  std::vector<std::string> out;
  for (const MasterProblem& p : svc.problems) {
    if (p.checker == checker) out.push_back(p.message);
  }
  return out;
}

inline bool HasMessage(const MasterService& svc, MasterChecker checker, const std::string& message) {
  for (const std::string& m : Messages(svc, checker)) {
    if (m == message) return true;
  }
  return false;
}

inline std::string Fields(const std::string& text) {
  Parsed p(text);
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kFields);
  return out.fatal ? "FATAL: " + out.fatal->text : out.out;
}

inline std::string Params(const std::string& text) {
  Parsed p(text);
  PostconfOutput out = RunPostconfListing(p.cf, PostconfListing::kParams);
  return out.fatal ? "FATAL: " + out.fatal->text : out.out;
}

}  // namespace postvet::master_cf_test
