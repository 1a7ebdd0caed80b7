#include "src/template/tag_scanner.hpp"

#include <algorithm>

namespace postvet::tmpl {
namespace {

bool WordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `inner` without trim markers ('-', '+', '~' for Jinja and Go) and blanks at either end.
std::string_view Trimmed(std::string_view inner) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '-' || c == '+' || c == '~'; };
  while (!inner.empty() && blank(inner.front())) inner.remove_prefix(1);
  while (!inner.empty() && blank(inner.back())) inner.remove_suffix(1);
  return inner;
}

std::string_view FirstWord(std::string_view inner) {
  size_t n = 0;
  while (n < inner.size() && WordChar(inner[n])) ++n;
  return inner.substr(0, n);
}

bool OneOf(std::string_view word, std::initializer_list<std::string_view> words) {
  for (std::string_view w : words) {
    if (word == w) return true;
  }
  return false;
}

TagRole JinjaStatement(std::string_view inner) {
  std::string_view w = FirstWord(Trimmed(inner));
  if (w.substr(0, 3) == "end") return TagRole::kClose;
  if (OneOf(w, {"elif", "else"})) return TagRole::kBranch;
  if (OneOf(w, {"if", "for", "macro", "call", "filter", "block", "with", "autoescape", "trans"})) return TagRole::kOpen;
  // `{% set x %}…{% endset %}` is a block; `{% set x = 1 %}` is not.
  if (w == "set" && Trimmed(inner).find('=') == std::string_view::npos) return TagRole::kOpen;
  return TagRole::kOther;
}

TagRole GoAction(std::string_view inner) {
  std::string_view t = Trimmed(inner);
  if (t.substr(0, 2) == "/*") return TagRole::kComment;
  std::string_view w = FirstWord(t);
  if (w == "end") return TagRole::kClose;
  if (w == "else") return TagRole::kBranch;
  if (OneOf(w, {"if", "range", "with", "define", "block"})) return TagRole::kOpen;
  if (OneOf(w, {"break", "continue"})) return TagRole::kOther;
  return TagRole::kExpression;  // {{ .X }}, {{ template "x" . }}: text we cannot know
}

TagRole ErbCode(std::string_view inner) {
  std::string_view t = Trimmed(inner);
  std::string_view w = FirstWord(t);
  if (w == "end" || t == "}") return TagRole::kClose;
  if (OneOf(w, {"elsif", "else", "when", "rescue", "ensure"})) return TagRole::kBranch;
  if (OneOf(w, {"if", "unless", "case", "while", "until", "for", "begin"})) return TagRole::kOpen;
  // `items.each do |x|`, `items.each { |x|`: a block.
  size_t bar = t.find('|');
  std::string_view head = bar == std::string_view::npos ? t : Trimmed(t.substr(0, bar));
  if (head.size() >= 2 && head.substr(head.size() - 2) == "do" && (head.size() == 2 || !WordChar(head[head.size() - 3]))) {
    return TagRole::kOpen;
  }
  if (!head.empty() && head.back() == '{') return TagRole::kOpen;
  return TagRole::kOther;
}

// A tag may span lines, but not without bound: an opener whose closer is
// not found within this many lines or bytes is unclosed.
constexpr int kMaxTagLines = 200;
constexpr size_t kMaxTagBytes = 64 * 1024;

// One past the closer `close` of a tag whose body starts at `pos`, skipping
// quoted strings (quotes listed in `quotes`). When there is none within
// the bounds above, the tag is unclosed: it ends where the search stopped,
// so no byte is searched twice (the scan stays linear on any input).
uint32_t FindClose(std::string_view text, size_t pos, std::string_view close, std::string_view quotes) {
  char quote = 0;
  int lines = 0;
  const size_t stop = std::min(text.size(), pos + kMaxTagBytes);
  for (size_t i = pos; i < stop; ++i) {
    char c = text[i];
    if (c == '\n' && ++lines > kMaxTagLines) return static_cast<uint32_t>(i);
    if (quote != 0) {
      if (c == '\\' && quote != '`' && i + 1 < text.size()) {
        ++i;
      } else if (c == quote) {
        quote = 0;
      } else if (c == '\n' && quote != '`') {
        quote = 0;  // an unclosed string ends with its line
      }
      continue;
    }
    if (quotes.find(c) != std::string_view::npos) {
      quote = c;
      continue;
    }
    if (text.substr(i, close.size()) == close) return static_cast<uint32_t>(i + close.size());
  }
  return static_cast<uint32_t>(stop);
}

void ScanCurly(std::string_view text, bool jinja, std::vector<Tag>* out) {
  size_t pos = 0;
  while ((pos = text.find('{', pos)) != std::string_view::npos && pos + 1 < text.size()) {
    const char kind = text[pos + 1];
    std::string_view close;
    if (kind == '{') close = "}}";
    else if (jinja && kind == '%') close = "%}";
    else if (jinja && kind == '#') close = "#}";
    else {
      ++pos;
      continue;
    }
    uint32_t end = FindClose(text, pos + 2, close, kind == '#' ? "" : (jinja ? "'\"" : "\"`'"));
    std::string_view inner = text.substr(pos + 2, end - pos - 2);
    if (inner.size() >= close.size() && inner.substr(inner.size() - close.size()) == close) {
      inner.remove_suffix(close.size());
    }
    Tag tag{static_cast<uint32_t>(pos), end, TagRole::kExpression};
    if (kind == '#') tag.role = TagRole::kComment;
    else if (kind == '%') tag.role = JinjaStatement(inner);
    else if (!jinja) tag.role = GoAction(inner);
    out->push_back(tag);
    pos = end;
    // {% raw %}: everything up to {% endraw %} is static text.
    if (kind == '%' && FirstWord(Trimmed(inner)) == "raw") {
      out->back().role = TagRole::kOther;
      size_t at = text.find("{%", pos);
      while (at != std::string_view::npos) {
        uint32_t e = FindClose(text, at + 2, "%}", "");
        if (text.substr(e - 2, 2) == "%}" && FirstWord(Trimmed(text.substr(at + 2, e - at - 4))) == "endraw") {
          out->push_back({static_cast<uint32_t>(at), e, TagRole::kOther});
          pos = e;
          break;
        }
        at = text.find("{%", std::max<size_t>(at + 2, e));
      }
    }
  }
}

void ScanErb(std::string_view text, std::vector<Tag>* out) {
  size_t pos = 0;
  while ((pos = text.find("<%", pos)) != std::string_view::npos) {
    if (pos + 2 < text.size() && text[pos + 2] == '%') {  // <%% is a literal <%
      pos += 3;
      continue;
    }
    const char mark = pos + 2 < text.size() ? text[pos + 2] : '\0';
    uint32_t end = FindClose(text, pos + 2, "%>", mark == '#' ? "" : "'\"");
    std::string_view inner = text.substr(pos + 2, end - pos - 2);
    if (inner.size() >= 2 && inner.substr(inner.size() - 2) == "%>") inner.remove_suffix(2);
    Tag tag{static_cast<uint32_t>(pos), end, TagRole::kExpression};
    if (mark == '#') tag.role = TagRole::kComment;
    else if (mark != '=') tag.role = ErbCode(inner);
    out->push_back(tag);
    pos = end;
  }
}

}  // namespace

std::vector<Tag> ScanTags(std::string_view text, TemplateKind kind) {
  std::vector<Tag> out;
  switch (kind) {
    case TemplateKind::kJinja: ScanCurly(text, true, &out); break;
    case TemplateKind::kGo: ScanCurly(text, false, &out); break;
    case TemplateKind::kErb: ScanErb(text, &out); break;
    case TemplateKind::kNone: break;
  }
  return out;
}

}  // namespace postvet::tmpl
