#include "src/model/postfix_strings.hpp"

namespace postvet {
namespace {

bool IsCSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace

NameValue SplitNameValue(std::string_view text) {
  size_t p = 0;
  while (p < text.size() && IsCSpace(text[p])) ++p;
  size_t name_begin = p;
  while (p < text.size() && !IsCSpace(text[p]) && text[p] != '=') ++p;
  NameValue nv;
  nv.name = std::string(text.substr(name_begin, p - name_begin));
  while (p < text.size() && text[p] != '=') ++p;
  if (p < text.size()) ++p;
  while (p < text.size() && IsCSpace(text[p])) ++p;
  size_t end = text.size();
  while (end > p && IsCSpace(text[end - 1])) --end;
  nv.value = std::string(text.substr(p, end - p));
  return nv;
}

std::vector<std::string_view> SplitTokensQuoted(std::string_view text, std::string_view separators) {
  std::vector<std::string_view> out;
  size_t p = 0;
  while (p < text.size()) {
    while (p < text.size() && separators.find(text[p]) != std::string_view::npos) ++p;
    if (p >= text.size()) break;
    size_t start = p;
    int level = 0;
    for (; p < text.size(); ++p) {
      char c = text[p];
      if (c == '{') {
        ++level;
      } else if (c == '}') {
        if (level > 0) --level;
      } else if (level == 0 && separators.find(c) != std::string_view::npos) {
        break;
      }
    }
    out.push_back(text.substr(start, p - start));
  }
  return out;
}

ExtparResult Extpar(std::string_view token, bool strip) {
  ExtparResult r;
  std::string_view inner;
  if (token.empty() || token[0] != '{') {
    r.error = "no '{' at start of text in \"" + std::string(token) + "\"";
    inner = token;
  } else {
    // balpar(): length of the balanced group at the start, 0 if unbalanced.
    size_t len = 0;
    int level = 1;
    for (size_t i = 1; i < token.size(); ++i) {
      if (token[i] == '}') {
        if (--level == 0) {
          len = i + 1;
          break;
        }
      } else if (token[i] == '{') {
        ++level;
      }
    }
    if (len == 0) {
      r.error = "missing '}' in \"" + std::string(token) + "\"";
      inner = token.substr(1);
    } else {
      if (len < token.size()) r.error = "syntax error after '}' in \"" + std::string(token) + "\"";
      inner = token.substr(1, len - 2);
    }
  }
  if (strip) {
    while (!inner.empty() && IsCSpace(inner.back())) inner.remove_suffix(1);
    while (!inner.empty() && IsCSpace(inner.front())) inner.remove_prefix(1);
  }
  r.text = std::string(inner);
  return r;
}

std::string NormalizeSpace(std::string_view text) {
  std::string out;
  size_t p = 0;
  auto sep = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (p < text.size()) {
    while (p < text.size() && sep(text[p])) ++p;
    if (p >= text.size()) break;
    size_t start = p;
    while (p < text.size() && !sep(text[p])) ++p;
    if (!out.empty()) out += ' ';
    out.append(text.substr(start, p - start));
  }
  return out;
}

std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  return out;
}

}  // namespace postvet
