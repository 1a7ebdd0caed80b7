#include "src/model/null_byte_lines.hpp"

#include <fmt/format.h>

namespace postvet {

namespace {

// Postfix ISSPACE(): ASCII whitespace only.
bool IsPostfixSpace(int ch) {
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

}  // namespace

std::vector<NullByteWarning> NullByteWarnings(std::string_view bytes, std::string_view path) {
  std::vector<NullByteWarning> out;
  if (bytes.find('\0') == std::string_view::npos) return out;
  size_t pos = 0;
  uint32_t lineno = 0;
  uint32_t first_line = 0;
  // One iteration per readllines() call (the whitespace-start recursion is
  // just another call).
  for (;;) {
    bool got_null = false;
    bool have_text = false;
    for (;;) {
      const bool start = !have_text;
      size_t nl = bytes.find('\n', pos);
      const bool eof = nl == std::string_view::npos;
      std::string_view line = bytes.substr(pos, (eof ? bytes.size() : nl) - pos);
      pos = eof ? bytes.size() : nl + 1;
      if (line.find('\0') != std::string_view::npos) got_null = true;
      if (!eof || !line.empty()) ++lineno;
      size_t i = 0;
      while (i < line.size() && IsPostfixSpace(static_cast<unsigned char>(line[i]))) ++i;
      if (i < line.size() && line[i] != '#') {
        have_text = true;
      }
      if (start) first_line = lineno;
      if (eof) break;
      if (have_text) {
        if (pos >= bytes.size()) break;  // the peek hits EOF
        char next = bytes[pos];
        if (next != '#' && !IsPostfixSpace(static_cast<unsigned char>(next))) break;
      }
    }
    if (got_null) {
      std::string where = first_line == lineno ? fmt::format("line {}", lineno)
                                               : fmt::format("line {}-{}", first_line, lineno);
      out.push_back({first_line, fmt::format("{}, {}: text after null byte may be ignored", path, where)});
    }
    if (!have_text) break;
  }
  return out;
}

}  // namespace postvet
