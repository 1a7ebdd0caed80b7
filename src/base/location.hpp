// Location: a byte range in one Source, the position every layer above the
// grammar speaks of (model entries, diagnostics, notes, tune advice). Lines
// and columns are computed from it only when printed (Source::Locate).
#pragma once

#include <cstdint>

#include "src/base/source.hpp"

namespace postvet {

/// A byte range [begin, end) in a file.
struct Location {
  const Source* source = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
};

}  // namespace postvet
