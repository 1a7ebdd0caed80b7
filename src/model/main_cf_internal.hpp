// Pieces main_cf.cpp and main_cf_flat.cpp share: the two builders of a
// MainCf (from the Cst, and straight from the bytes) must describe a line
// Postfix rejects in the same words.
#pragma once

#include <cstdint>
#include <string>

#include "src/model/main_cf.hpp"

namespace postvet {

/// The bad line whose logical-line text (joined, maybe ending in its LF) is
/// `text`: a bad_leading line when `leading`, else a bad_line; the reason is
/// Postfix's own message.
MainCfBadLine MakeBadLine(bool leading, std::string text, uint32_t node, uint32_t line, uint32_t begin,
                          uint32_t end);

}  // namespace postvet
