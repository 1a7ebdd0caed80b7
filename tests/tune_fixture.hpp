// Shared set-up of the tuning advisor tests (tune_logs_test.cpp,
// tune_limits_test.cpp): the synthetic logs in testdata/logs/ and
// ReadLogs(), which feeds the named ones through ReadLogFile() into one
// LogAnalyzer (each read must succeed) and returns its evidence.
#pragma once

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "src/tune/log_evidence.hpp"
#include "tests/test_util.hpp"

namespace postvet::tune_fixture {

inline std::string LogPath(const std::string& name) { return testing::SourceDir() + "/testdata/logs/" + name; }

inline tune::LogEvidence ReadLogs(const std::vector<std::string>& names) {
  tune::LogAnalyzer a;
  for (const std::string& n : names) {
    Status st = tune::ReadLogFile(LogPath(n), &a);
    INFO(st.message());
    REQUIRE(st.ok());
  }
  return a.evidence();
}

}  // namespace postvet::tune_fixture
