// Helpers shared by the Catch2 tests: in-memory sources and paths to data.
#pragma once

#include <cstdlib>
#include <string>

#include "src/source.hpp"

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

/// ../shared/corpus beside the repository.
inline std::string CorpusDir() { return SourceDir() + "/../shared/corpus"; }

}  // namespace postvet::testing
