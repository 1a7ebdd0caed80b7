// Backtracking risk: does a regexp:/pcre: pattern make the matcher take
// time exponential (or a high power) in the length of the line it is tried
// on? Both engines Postfix uses backtrack on these shapes: PCRE2 until its
// match limit (Postfix then logs the error and treats the rule as not
// matching), glibc's regexec() with back-references or huge repetition
// products without any limit at all.
//
// Shapes reported (a pattern is parsed into groups, alternatives and
// quantified atoms; character sets are 256-bit byte sets):
// * kOverlappingAlternatives: a repeated group whose alternatives can start
//   with the same byte, as in `(a|aa)*` or `(\w|\d)+`: a run of such bytes
//   splits into alternatives in exponentially many ways.
// * kNestedQuantifier: a repeated group holding a variable repeat that can
//   also match what follows it inside the group (or the group's next
//   iteration), as in `(a+)+`, `(\w+\s?)*`, `(.*a){25}`, `(.{1,255}){1,255}`.
//   `([a-z]+\.)+` is not reported: the `.` separates the iterations.
// * kBackreferenceUnderRepetition: a back-reference that is repeated, or
//   refers to a group inside a repeated group, as in `^(a|aa)*\1*$` or
//   `((a)|b)*\2`.
// Possessive quantifiers (`a++`) and atomic groups (`(?>...)`) are left
// alone (pcre), and so are patterns in basic (non-extended) syntax and
// patterns over kMaxAnalysedPatternBytes (the analysis stays linear and
// small). The analysis is a heuristic: it finds the classic shapes, it does
// not prove a pattern safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace postvet {

inline constexpr size_t kMaxAnalysedPatternBytes = 64 * 1024;

enum class BacktrackRiskKind : unsigned char {
  kOverlappingAlternatives,
  kNestedQuantifier,
  kBackreferenceUnderRepetition,
};

/// The first risky construct of a pattern: byte offsets into the pattern
/// given to FindBacktrackRisk() and a short description.
struct BacktrackRisk {
  BacktrackRiskKind kind = BacktrackRiskKind::kNestedQuantifier;
  size_t begin = 0;
  size_t end = 0;
  std::string what;  ///< e.g. "the alternatives of (a|aa)* can match the same text"
};

/// A cheap first look: false when `pattern` has neither a group (no '(' at
/// all) nor a back-reference (`\1`..`\9`, pcre `\g`, `\k`), so that
/// FindBacktrackRisk() has nothing to report. One pass, no allocation.
bool MayBacktrack(std::string_view pattern, bool pcre);

/// Analyses `pattern`: `pcre` selects PCRE2 syntax, else POSIX extended
/// syntax (`extended` false: basic syntax, not analysed); `icase` folds
/// ASCII letters.
std::optional<BacktrackRisk> FindBacktrackRisk(std::string_view pattern, bool pcre, bool extended, bool icase);

}  // namespace postvet
