#include "src/base/utf8.hpp"

namespace postvet::report {

Utf8Unit DecodeUtf8(std::string_view text, size_t pos) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  const Utf8Unit invalid{lead, 1, false};
  if (lead < 0x80) return {lead, 1, true};
  uint32_t length = 0;
  char32_t cp = 0;
  // Ranges of the second byte that RFC 3629 allows for each lead byte; they
  // exclude overlong forms, UTF-16 surrogates and values above U+10FFFF.
  unsigned char lo = 0x80, hi = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0Fu;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07u;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return invalid;  // a continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (text.size() - pos < length) return invalid;
  for (uint32_t i = 1; i < length; ++i) {
    const unsigned char b = byte(pos + i);
    const unsigned char min = i == 1 ? lo : 0x80;
    const unsigned char max = i == 1 ? hi : 0xBF;
    if (b < min || b > max) return invalid;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return {cp, length, true};
}

void AppendUtf8(std::string* out, char32_t cp) {
  auto put = [&](uint32_t v) { out->push_back(static_cast<char>(v)); };
  const auto c = static_cast<uint32_t>(cp);
  if (c < 0x80) {
    put(c);
  } else if (c < 0x800) {
    put(0xC0 | (c >> 6)), put(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    put(0xE0 | (c >> 12)), put(0x80 | ((c >> 6) & 0x3F)), put(0x80 | (c & 0x3F));
  } else {
    put(0xF0 | (c >> 18)), put(0x80 | ((c >> 12) & 0x3F));
    put(0x80 | ((c >> 6) & 0x3F)), put(0x80 | (c & 0x3F));
  }
}

uint32_t CountCodePoints(std::string_view text) {
  uint32_t count = 0;
  for (size_t pos = 0; pos < text.size(); pos += DecodeUtf8(text, pos).length) ++count;
  return count;
}

}  // namespace postvet::report
