// Regex: one compiled pattern of a regexp: or pcre: table, compiled and run
// the way Postfix's dict_regexp.c and dict_pcre.c do it (format spec 6.3):
//
// * regexp: uses the C library's regcomp()/regexec(); the options start as
//   REG_EXTENDED | REG_ICASE and the flags i, x, m toggle REG_ICASE,
//   REG_EXTENDED and REG_NEWLINE. A compile error reads as regerror() says.
// * pcre: uses PCRE2 (the Debian build has HAS_PCRE=2); the options start as
//   CASELESS | DOTALL and i m s x A E U toggle CASELESS, MULTILINE, DOTALL,
//   EXTENDED, ANCHORED, DOLLAR_ENDONLY, UNGREEDY; X is obsolete (ignored with
//   a warning). A compile error reads `error in regex at offset N: TEXT`.
//
// Patterns and subjects are C strings to Postfix, so both are cut at the
// first NUL here too. Postfix never calls setlocale(), so matching runs in
// the C locale: bytes >= 0x80 are plain bytes, never letters.
//
// Every PCRE2 match runs under explicit match, depth and heap limits, so a
// catastrophic pattern ends with an error ("match limit exceeded", Postfix's
// wording) instead of hanging. The match and depth limits equal PCRE2's
// built-in defaults, which is what Postfix runs with, so results agree; the
// heap limit is lower than PCRE2's 20 GB default to keep memory bounded.
// glibc's regexec() has no such knob and cannot be interrupted safely in
// the process: a POSIX pattern that FindBacktrackRisk() flags (PV309) is
// matched in a forked child limited to 2 s of CPU (6 s wall), and one that
// runs out of it gives the error "regexec stopped by postvet ...". Which
// inputs reach the limit depends on the machine's speed; Postfix itself
// would spin until its watchdog kills the process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

/// Which regex library a table uses: regexp: tables use POSIX, pcre: PCRE2.
enum class RegexDialect : uint8_t { kPosix, kPcre };

/// What one flag letter after a pattern does.
enum class FlagKind : uint8_t {
  kToggle,    // flips one compile option
  kObsolete,  // pcre `X`: accepted, ignored, warned about
  kUnknown,   // the rule is skipped
};

/// The compile options before any flag is applied (dialect-specific bits:
/// regcomp() cflags or PCRE2 compile options).
uint32_t DefaultRegexOptions(RegexDialect dialect);
/// Applies `flag` to `options` as Postfix does (XOR, so `ii` cancels out).
FlagKind ApplyRegexFlag(RegexDialect dialect, char flag, uint32_t* options);
/// Whether `options` make the pattern case-sensitive.
bool IsCaseSensitive(RegexDialect dialect, uint32_t options);

/// PCRE2 match limits (see the header comment).
inline constexpr uint32_t kPcreMatchLimit = 10'000'000;
inline constexpr uint32_t kPcreDepthLimit = 10'000'000;
inline constexpr uint32_t kPcreHeapLimitKib = 256 * 1024;

/// Byte offsets [begin, end) of a capture group in the subject; -1 when the
/// group did not take part in the match.
struct GroupSpan {
  std::ptrdiff_t begin = -1;
  std::ptrdiff_t end = -1;
};

enum class MatchStatus : uint8_t { kMatch, kNoMatch, kError };

/// The outcome of one match attempt.
struct MatchOutcome {
  MatchStatus status = MatchStatus::kNoMatch;
  /// On kMatch: groups 0..n for the n asked for (fewer if the pattern has fewer).
  std::vector<GroupSpan> groups;
  /// On kError: the text Postfix logs after `... map F, line N: `.
  std::string error;
  /// On kError of a pcre pattern: the PCRE2 error code behind `error`.
  int pcre_code = 0;
};

/// The pcre_exec() error of the old PCRE library (PCRE1, pcre.h) that
/// stands for a PCRE2 match error: its PCRE_ERROR_* name and number, for
/// Postfix releases built with PCRE1 (SourceFeatures::pcre1()). PCRE2's
/// depth and heap limits both bound what PCRE1 bounds with its recursion
/// limit. A code without a counterpart keeps its number and has no name.
struct Pcre1ExecError {
  std::string_view name;
  int code = 0;
};
Pcre1ExecError Pcre1ExecErrorOf(int pcre2_code);

/// Whether a compiled pattern stays in memory. kOnDemand releases the
/// compiled code once Compile() has its outcome (errors, group count) and
/// compiles it again, once, on the first Match(): for callers that mostly
/// validate patterns (postvet check), glibc's regcomp() needs kilobytes per
/// pattern. The outcome is the same either way; a recompile is not charged
/// to the run's regcomp budget again.
enum class Residency : uint8_t { kResident, kOnDemand };

/// A compiled pattern. Immutable to its users (a kOnDemand pattern compiles
/// itself again, thread-safely, on first use); safe to share between table
/// entries.
class Regex {
 public:
  /// Compiles `pattern` (cut at its first NUL) with `options`. For POSIX,
  /// `need_groups` false adds REG_NOSUB as Postfix does for rules without
  /// `$n`. On failure the Status message is Postfix's warning text.
  /// A POSIX pattern is also charged to the run's regcomp budget
  /// (regcomp_cost.hpp) unless `charged` says the caller already did that
  /// with ChargePosixBudget(). With Residency::kOnDemand the Regex keeps a
  /// view of `pattern` to compile it again: the bytes must outlive it.
  static Result<std::shared_ptr<const Regex>> Compile(RegexDialect dialect,
                                                      std::string_view pattern, uint32_t options,
                                                      bool need_groups, bool charged = false,
                                                      Residency residency = Residency::kResident);
  /// Charges a POSIX pattern (as Compile() would) to the run's budget, so
  /// that a caller compiling on several threads charges in input order.
  /// Returns the refusal Compile() would give (per-pattern bounds included),
  /// or an empty string when the pattern may be compiled with `charged`.
  static std::string ChargePosixBudget(std::string_view pattern, uint32_t options, bool need_groups);
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  RegexDialect dialect() const { return dialect_; }
  /// Number of capture groups: re_nsub or PCRE2_INFO_CAPTURECOUNT.
  size_t capture_count() const { return capture_count_; }
  /// Matches `subject` (cut at its first NUL); fills up to `groups` + 1 spans.
  MatchOutcome Match(std::string_view subject, size_t groups) const;

 private:
  struct Impl;
  struct Stored;  // a Regex with its Impl, in one allocation (regex_engine.cpp)
  Regex(RegexDialect dialect, Impl* impl) : dialect_(dialect), impl_(impl) {}
  // Compiles a kOnDemand pattern again if it is not in memory; false (with
  // the error in Impl) if that failed.
  bool EnsureCompiled() const;

  RegexDialect dialect_;
  Impl* impl_;  // owned by the Stored object this Regex is part of
  size_t capture_count_ = 0;
};

}  // namespace postvet
