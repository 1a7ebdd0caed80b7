// Helpers shared by the Catch2 tests: in-memory sources and paths to data.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "src/base/source.hpp"

namespace postvet::testing {

/// A Source over `text`, named `name`.
inline Source MakeSource(std::string text, std::string name = "test.cf") {
  return Source(name, name, std::move(text));
}

/// The repository root (from POSTVET_SOURCE_DIR, set by ctest).
inline std::string SourceDir() {
  const char* dir = std::getenv("POSTVET_SOURCE_DIR");
  return dir != nullptr ? dir : ".";
}

/// The real-world corpus: $POSTVET_CORPUS, by default ../shared/corpus beside
/// the repository (present in CI, absent in a plain clone).
inline std::string CorpusDir() {
  const char* dir = std::getenv("POSTVET_CORPUS");
  return dir != nullptr && *dir != '\0' ? dir : SourceDir() + "/../shared/corpus";
}

/// For test cases that need the corpus: tag them "[shared]" (CMakeLists.txt
/// then runs them as the separate ctest test <name>_shared) and start them
/// with `if (!testing::CorpusPresent()) return;`. When the corpus is absent,
/// the first call prints the one line "skipped: DIR not present", which makes
/// ctest report the run as skipped (same convention as tests/shared_data.py).
inline bool CorpusPresent() {
  static const bool present = [] {
    std::string dir = CorpusDir();
    if (std::filesystem::is_directory(dir)) return true;
    std::printf("skipped: %s not present\n", std::filesystem::path(dir).lexically_normal().c_str());
    std::fflush(stdout);
    return false;
  }();
  return present;
}

}  // namespace postvet::testing
