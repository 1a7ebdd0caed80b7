// How big glibc's regcomp() makes a POSIX pattern's parse tree. regcomp()
// unrolls repetition: `x+` becomes `xx*` and `x{2,5}` five copies of x, so
// stacked or nested repetition multiplies (`a++++...` doubles per `+`;
// `((a{100}){100}){100}` is a million copies). postmap then needs gigabytes
// for a pattern of a few dozen bytes; so would postvet. This estimate lets
// Regex::Compile() refuse such a pattern up front with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace postvet {

/// Copies of single-character atoms regcomp() would build for `pattern`
/// (saturating, never overflows). `extended`: REG_EXTENDED syntax; else
/// basic syntax with GNU's \+ \? \{ \( \). An over-estimate at worst: every
/// bracket expression and escape counts as one atom, alternatives add up.
uint64_t EstimateRegcompAtoms(std::string_view pattern, bool extended);

/// The per-pattern bound keeps one pattern from taking gigabytes, but a
/// table of several patterns just under it still can (six 195,000-copy
/// patterns took 6.5 GB), and whether the C library then fails depended on
/// the machine. So one run (one process) also has a budget for the copies
/// repetition adds: a pattern's charge is its estimate minus its own length
/// (plain patterns, however long, cost nothing; `a{1000}` costs 993), and a
/// pattern whose charge does not fit in what is left is not compiled.
/// Patterns are charged in the order they are read, so the verdicts depend
/// on the input only.
inline constexpr uint64_t kMaxRunUnrolledAtoms = 100'000;

/// The charge of a pattern of `pattern_bytes` bytes estimated at `atoms`.
uint64_t UnrolledCharge(uint64_t atoms, size_t pattern_bytes);

/// Takes `charge` from the run's budget; false (and nothing taken) when it
/// does not fit. Thread-safe.
bool ChargeRunRegcompBudget(uint64_t charge);

/// What is left of the run's budget.
uint64_t RunRegcompBudgetLeft();

/// Restores the full budget (tests and fuzz targets, which run many inputs
/// in one process).
void ResetRunRegcompBudget();

/// While one lives on a thread, the charges made on that thread (and
/// RunRegcompBudgetLeft() there) go to a budget of its own, as large as the
/// run's: `check` over many config dirs gives each its own, so a dir's
/// verdicts do not depend on the dirs linted before it, nor on the order
/// worker threads take them. The memory stays bounded: each dir's compiled
/// patterns are freed before its thread takes the next, and a scope whose
/// charges pass kHeavyRegcompCharge holds a process-wide token until it
/// ends, so at most one dir at a time goes beyond that. Not nestable; to
/// be destroyed on the thread that made it.
inline constexpr uint64_t kHeavyRegcompCharge = kMaxRunUnrolledAtoms / 16;

class RegcompBudgetScope {
 public:
  RegcompBudgetScope();
  ~RegcompBudgetScope();
  RegcompBudgetScope(const RegcompBudgetScope&) = delete;
  RegcompBudgetScope& operator=(const RegcompBudgetScope&) = delete;

  /// Takes `charge` from this scope's budget (the heavy token first when
  /// it crosses kHeavyRegcompCharge); false when it does not fit.
  bool Charge(uint64_t charge);
  uint64_t Left() const { return kMaxRunUnrolledAtoms - used_; }

 private:
  uint64_t used_ = 0;
  bool heavy_ = false;  // holds the token
};

}  // namespace postvet
