// UTF-8 decoding for the reporters. Configuration files are bytes: they may
// hold invalid UTF-8, and every output format must still be well formed
// (JSON and XML need valid UTF-8, terminals must not receive raw control
// bytes, SARIF counts columns in code points). This unit splits bytes into
// units: one well-formed UTF-8 sequence, or one byte that is not part of one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace postvet::report {

/// One decoded unit of a byte string.
struct Utf8Unit {
  char32_t code_point = 0;  // the code point; the byte value when !valid
  uint32_t length = 1;      // bytes consumed, 1..4
  bool valid = false;       // false: a lone byte that starts no well-formed sequence
};

/// Decodes the unit at `pos` (< text.size()). Overlong forms, surrogates,
/// code points above U+10FFFF and truncated sequences are invalid; an
/// invalid unit is always exactly one byte long, so decoding resumes at the
/// next byte (as the WHATWG decoder does).
Utf8Unit DecodeUtf8(std::string_view text, size_t pos);

/// Appends the UTF-8 encoding of `code_point` (<= U+10FFFF, not a surrogate).
void AppendUtf8(std::string* out, char32_t code_point);

/// Number of units in `text` (code points, counting each invalid byte as one).
uint32_t CountCodePoints(std::string_view text);

}  // namespace postvet::report
