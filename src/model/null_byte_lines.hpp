// NullByteWarnings: the "PATH, line N: text after null byte may be ignored"
// (or "line N-M") warnings that readllines() (util/readlline.c) prints from
// Postfix 3.9 on, once per logical line read whose bytes (comment and blank
// lines it skipped or absorbed included) hold a NUL, computed from the raw
// file bytes exactly as readllines() walks them.
//
// Contract: one entry per such logical line, in file order; `first` is the
// logical line's first line (the line number callers report), `text` the
// whole warning after "PROGRAM: warning: ". Pure; no version check (the
// caller asks NullByteWarningsSince()).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/param_info.hpp"

namespace postvet {

struct NullByteWarning {
  uint32_t first = 0;  ///< first line of the logical line
  std::string text;    ///< "PATH, line N[-M]: text after null byte may be ignored"
};

/// The first series whose readllines() warns.
inline constexpr PostfixVersion kNullByteWarningsSince{3, 9};

std::vector<NullByteWarning> NullByteWarnings(std::string_view bytes, std::string_view path);

}  // namespace postvet
