#include "src/base/printable.hpp"

#include <fmt/format.h>

namespace postvet::report {

namespace {

// Code points that print as nothing or reorder the text around them: C1
// controls, zero-width characters, bidi marks, embeddings, overrides and
// isolates ("Trojan Source"), line/paragraph separators, and the BOM.
bool IsInvisible(char32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x61C ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
         (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

}  // namespace

std::string EscapeForTerminal(const Utf8Unit& unit) {
  const char32_t cp = unit.code_point;
  if (!unit.valid) return fmt::format("\\x{:02X}", static_cast<unsigned>(cp));
  if (cp == '\t') return {};
  if (cp == '\n') return "\\n";
  if (cp == '\r') return "\\r";
  if (cp < 0x20 || cp == 0x7F) return fmt::format("\\x{:02X}", static_cast<unsigned>(cp));
  if (IsInvisible(cp)) return fmt::format("\\u{{{:04X}}}", static_cast<unsigned>(cp));
  return {};
}

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    // Printable ASCII (and tab) passes as is: copy the whole run at once.
    size_t run = pos;
    while (run < text.size() && ((text[run] >= 0x20 && text[run] < 0x7F) || text[run] == '\t')) ++run;
    if (run > pos) {
      out.append(text.substr(pos, run - pos));
      pos = run;
      continue;
    }
    const Utf8Unit unit = DecodeUtf8(text, pos);
    std::string escape = EscapeForTerminal(unit);
    if (escape.empty()) {
      out.append(text.substr(pos, unit.length));
    } else {
      out.append(escape);
    }
    pos += unit.length;
  }
  return out;
}

std::string TerminalSafeLines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos <= text.size();) {
    size_t lf = text.find('\n', pos);
    out += TerminalSafe(text.substr(pos, lf == std::string_view::npos ? std::string_view::npos : lf - pos));
    if (lf == std::string_view::npos) break;
    out += '\n';
    pos = lf + 1;
  }
  return out;
}

unsigned DisplayWidth(char32_t cp) {
  // Combining diacritical marks attach to the previous character.
  if ((cp >= 0x300 && cp <= 0x36F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
      (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F)) {
    return 0;
  }
  // The main East Asian Wide/Fullwidth blocks and the emoji planes.
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
      (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
      (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
    return 2;
  }
  return 1;
}

}  // namespace postvet::report
