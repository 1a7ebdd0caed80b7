// PlainMacroRefs(): the $name references of a value in the common case
// where every `$` starts a plain reference, without running the full
// mac_parse()/mac_expand() re-implementation (expand.hpp). `show` scans
// every main.cf value for references (known_names.hpp); on big files the
// general scan, with its callbacks and outcome strings, was the largest cost.
//
// Contract: returns true only when MacroExpand(value, ExpandMode::kScan, ...)
// would report exactly the names stored in `names` (in this order), with no
// warning and no error: each `$` is `$$` (a literal `$`), or `$` followed by
// a non-empty run of [A-Za-z0-9_], or `${...}` / `$(...)` holding only such a
// run. Anything else (`${a:b}`, `$ `, `${}`, a missing close, more than
// kMaxPlainRefs references, values so long the step bound could matter)
// returns false, and the caller must use MacroExpand().
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace postvet {

/// The most references PlainMacroRefs() collects.
inline constexpr size_t kMaxPlainRefs = 16;

/// The names PlainMacroRefs() found.
struct PlainRefs {
  std::array<std::string_view, kMaxPlainRefs> names;
  size_t count = 0;
};

namespace plain_refs_detail {
// [A-Za-z0-9_], as a table.
inline constexpr auto kNameChars = [] {
  std::array<bool, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[static_cast<size_t>(c)] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  return t;
}();
inline bool IsNameChar(char c) { return kNameChars[static_cast<unsigned char>(c)]; }
}  // namespace plain_refs_detail

/// See the file comment. `out->count` is 0 on entry and meaningful only
/// when true is returned.
inline bool PlainMacroRefs(std::string_view value, PlainRefs* out) {
  using plain_refs_detail::IsNameChar;
  // MacroExpand() bounds its callbacks per value (1M); far below that here.
  if (value.size() > (size_t{1} << 20)) return false;
  // An empty view may have a null data(): memchr() must not get it.
  if (value.empty()) return true;
  const char* p = value.data();
  const char* const end = p + value.size();
  for (;;) {
    p = static_cast<const char*>(std::memchr(p, '$', static_cast<size_t>(end - p)));
    if (p == nullptr) return true;
    ++p;
    if (p == end) return false;  // empty macro name
    if (*p == '$') {
      ++p;
      continue;
    }
    char close = 0;
    if (*p == '{') close = '}';
    if (*p == '(') close = ')';
    if (close != 0) ++p;
    const char* name = p;
    while (p != end && IsNameChar(*p)) ++p;
    if (p == name) return false;  // empty name, or a `${` not followed by one
    if (close != 0 && (p == end || *p != close)) return false;  // `${a:b}`, `${a }`, unclosed...
    if (out->count == kMaxPlainRefs) return false;
    out->names[out->count++] = std::string_view(name, static_cast<size_t>(p - name));
    if (close != 0) ++p;
  }
}

}  // namespace postvet
