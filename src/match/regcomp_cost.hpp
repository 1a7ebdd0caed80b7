// How big glibc's regcomp() makes a POSIX pattern's parse tree. regcomp()
// unrolls repetition: `x+` becomes `xx*` and `x{2,5}` five copies of x, so
// stacked or nested repetition multiplies (`a++++...` doubles per `+`;
// `((a{100}){100}){100}` is a million copies). postmap then needs gigabytes
// for a pattern of a few dozen bytes; so would postvet. This estimate lets
// Regex::Compile() refuse such a pattern up front with a message.
#pragma once

#include <cstdint>
#include <string_view>

namespace postvet {

/// Copies of single-character atoms regcomp() would build for `pattern`
/// (saturating, never overflows). `extended`: REG_EXTENDED syntax; else
/// basic syntax with GNU's \+ \? \{ \( \). An over-estimate at worst: every
/// bracket expression and escape counts as one atom, alternatives add up.
uint64_t EstimateRegcompAtoms(std::string_view pattern, bool extended);

}  // namespace postvet
