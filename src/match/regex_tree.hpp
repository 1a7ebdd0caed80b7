// The syntax tree of a regular expression as the backtracking analysis
// (backtrack_risk.hpp) sees it: sequences of quantified atoms, each a byte
// set, a group of alternatives, a back-reference or an assertion. Internal to
// src/match.
//
// Contract: ParseRegexTree() reads POSIX extended or PCRE2 syntax; nullopt
// for what it does not understand (unbalanced groups, nesting deeper than
// kMaxDepth, trailing text) rather than a guess. Repetition counts multiply
// and saturate below kInf (unbounded). Node positions are byte offsets into
// the pattern given.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace postvet::regex_tree {

using ByteSet = std::bitset<256>;
inline constexpr uint32_t kInf = UINT32_MAX;
inline constexpr int kMaxDepth = 100;

enum class Kind : unsigned char { kSet, kGroup, kBackref, kAssert };

struct Node {
  Kind kind = Kind::kSet;
  ByteSet set;                            // kSet: the bytes it matches
  std::vector<std::vector<Node>> alts;    // kGroup
  int group = 0;                          // kGroup: capture index (0: none); kBackref: target (-1: by name)
  bool zero_width = false;                // lookaround group
  bool atomic = false;                    // atomic group or possessive quantifier
  uint32_t min = 1;
  uint32_t max = 1;
  size_t begin = 0;
  size_t end = 0;
};

/// A parsed pattern: its top-level alternatives and its number of capture groups.
struct Tree {
  std::vector<std::vector<Node>> alts;
  int groups = 0;
};

/// Parses `pattern` (PCRE2 syntax when `pcre`, else POSIX extended), byte
/// sets case-folded when `icase`.
std::optional<Tree> ParseRegexTree(std::string_view pattern, bool pcre, bool icase);

}  // namespace postvet::regex_tree
