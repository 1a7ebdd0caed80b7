#include "src/facts/table/header_pattern.hpp"

#include <regex.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace postvet {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
// Bytes that are literal, outside brackets, in both ERE and PCRE2 (without
// extended mode) and that may appear in a header label.
bool IsLiteralNameByte(char c) { return IsAlnum(c) || c == '-' || c == '_'; }

// A `[:name:]` (or `[.x.]`, `[=x=]`) item inside a bracket expression,
// starting at `i` (the '['). Returns the index after its closing `]`, or
// npos when it is not a plain letters-only class item.
size_t SkipClassItem(std::string_view body, size_t i) {
  char kind = body[i + 1];
  if (kind != ':') return std::string_view::npos;  // collating items: not modelled
  size_t j = i + 2;
  if (j < body.size() && body[j] == '^') ++j;  // PCRE2 [:^alpha:]
  size_t name_begin = j;
  while (j < body.size() && IsAlpha(body[j])) ++j;
  if (j == name_begin || j + 1 >= body.size() || body[j] != ':' || body[j + 1] != ']') return std::string_view::npos;
  return j + 2;
}

// A bracket expression starting at `i` (the '['): the index after its
// closing ']', or npos when it cannot be delimited with certainty. POSIX
// brackets take backslashes literally; PCRE2 classes use them as escapes.
size_t SkipBracket(std::string_view body, size_t i, bool pcre) {
  size_t j = i + 1;
  if (j < body.size() && body[j] == '^') ++j;
  if (j < body.size() && body[j] == ']') ++j;  // a leading ']' is a member
  while (j < body.size()) {
    char c = body[j];
    if (c == ']') return j + 1;
    if (c == '[' && j + 1 < body.size() && (body[j + 1] == ':' || body[j + 1] == '.' || body[j + 1] == '=')) {
      size_t next = SkipClassItem(body, j);
      if (next == std::string_view::npos) return next;
      j = next;
      continue;
    }
    if (pcre && c == '\\') {
      if (j + 1 >= body.size() || body[j + 1] == 'Q' || body[j + 1] == 'E') return std::string_view::npos;
      j += 2;
      continue;
    }
    ++j;
  }
  return std::string_view::npos;
}

// `(?` at `i`: PCRE2 option letters that switch on extended mode change how
// the rest is read (comments, blanks), which the scanner does not model.
bool SetsExtendedMode(std::string_view body, size_t i) {
  for (size_t j = i + 2; j < body.size(); ++j) {
    char c = body[j];
    if (c == 'x') return true;
    if (!IsAlpha(c) && c != '-' && c != '^') break;
  }
  return false;
}

// Skips leading PCRE2 option settings such as `(?i)`.
size_t SkipInlineOptions(std::string_view body, size_t i) {
  while (i + 2 < body.size() && body[i] == '(' && body[i + 1] == '?') {
    size_t j = i + 2;
    while (j < body.size() && (IsAlpha(body[j]) || body[j] == '-' || body[j] == '^')) ++j;
    if (j >= body.size() || body[j] != ')') break;
    i = j + 1;
  }
  return i;
}

}  // namespace

std::optional<bool> HasTopLevelAlternation(std::string_view body, size_t from, RegexDialect dialect) {
  const bool pcre = dialect == RegexDialect::kPcre;
  int depth = 0;
  size_t i = from;
  while (i < body.size()) {
    char c = body[i];
    if (c == '\\') {
      if (i + 1 >= body.size()) return std::nullopt;
      if (pcre && body[i + 1] == 'Q') {
        // \Q...\E quotes everything up to \E (or the end).
        size_t end = body.find("\\E", i + 2);
        if (end == std::string_view::npos) return depth == 0 ? std::optional<bool>(false) : std::nullopt;
        i = end + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (c == '[') {
      i = SkipBracket(body, i, pcre);
      if (i == std::string_view::npos) return std::nullopt;
      continue;
    }
    if (c == '(') {
      if (pcre && i + 2 < body.size() && body[i + 1] == '?') {
        if (body[i + 2] == '#') {
          size_t end = body.find(')', i + 3);
          if (end == std::string_view::npos) return std::nullopt;
          i = end + 1;
          continue;
        }
        if (SetsExtendedMode(body, i)) return std::nullopt;
      }
      ++depth;
      ++i;
      continue;
    }
    if (c == ')') {
      if (depth == 0) return std::nullopt;
      --depth;
    } else if (c == '|' && depth == 0) {
      return true;
    }
    ++i;
  }
  if (depth != 0) return std::nullopt;
  return false;
}

std::optional<std::string_view> ImpliedHeaderName(const TablePattern& pattern, RegexDialect dialect) {
  if (pattern.negated()) return std::nullopt;
  const std::string_view body = pattern.body;
  if (dialect == RegexDialect::kPosix) {
    // Basic syntax (the `x` flag) has GNU `\|` alternation and other
    // differences; REG_NEWLINE lets `^` match after any newline of a
    // folded header.
    if ((pattern.options & REG_EXTENDED) == 0 || (pattern.options & REG_NEWLINE) != 0) return std::nullopt;
  } else {
    if ((pattern.options & (PCRE2_MULTILINE | PCRE2_EXTENDED)) != 0) return std::nullopt;
  }
  if (body.empty() || body[0] != '^') return std::nullopt;
  size_t i = 1;
  while (i < body.size() && IsLiteralNameByte(body[i])) ++i;
  if (i == 1 || i >= body.size() || body[i] != ':') return std::nullopt;
  std::string_view name = body.substr(1, i - 1);
  ++i;
  // A quantifier would make the ':' optional or repeated.
  if (i < body.size() && (body[i] == '*' || body[i] == '+' || body[i] == '?' || body[i] == '{')) return std::nullopt;
  std::optional<bool> alternation = HasTopLevelAlternation(body, i, dialect);
  if (!alternation || *alternation) return std::nullopt;
  return name;
}

bool AnchoredAtHeaderName(const TablePattern& pattern, RegexDialect dialect) {
  std::string_view body = pattern.body;
  const bool pcre = dialect == RegexDialect::kPcre;
  size_t i = pcre ? SkipInlineOptions(body, 0) : 0;
  bool anchored = false;
  if (i < body.size() && body[i] == '^') {
    anchored = true;
    ++i;
  } else if (pcre && body.substr(i, 2) == "\\A") {
    anchored = true;
    i += 2;
  } else if (pcre && (pattern.options & PCRE2_ANCHORED) != 0) {
    anchored = true;
  }
  if (!anchored) return false;
  // Header lines never start with blanks, so a leading `\s*` costs nothing.
  for (std::string_view blanks : {"\\s*", "[[:space:]]*", "[[:blank:]]*", " *"}) {
    if (body.substr(i, blanks.size()) == blanks) {
      i += blanks.size();
      break;
    }
  }
  // A top-level alternation such as /^Subject:|foo/ scans every line.
  std::optional<bool> alternation = HasTopLevelAlternation(body, i, dialect);
  if (alternation.value_or(false)) return false;
  // Then a label, a group of labels, or a class of letters ([Ss]ubject).
  auto starts_label = [&](size_t p) {
    if (p >= body.size()) return false;
    if (IsAlnum(body[p])) return true;
    return body[p] == '[' && p + 1 < body.size() && body[p + 1] != '^';
  };
  if (starts_label(i)) return true;
  if (i < body.size() && body[i] == '(') {
    size_t p = i + 1;
    if (pcre && body.substr(p, 2) == "?:") p += 2;
    return starts_label(p);
  }
  return false;
}

}  // namespace postvet
