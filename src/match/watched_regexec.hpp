// WatchedRegexec(): glibc's regexec() run in a forked child under a CPU-time
// and wall-clock limit, for the POSIX patterns Regex::Match() finds at risk
// of catastrophic backtracking (regexec() has no match limit and cannot be
// interrupted safely in-process).
//
// Contract: returns regexec()'s code and fills spans[0..nmatch) as regexec()
// would; returns nullopt with `*error` set when the child was stopped by the
// limit or could not be run. `nmatch` <= 10 (Postfix asks for at most 10
// groups). The caller has pinned the C locale, which the child inherits.
#pragma once

#include <regex.h>

#include <cstddef>
#include <optional>
#include <string>

namespace postvet {

std::optional<int> WatchedRegexec(const regex_t* re, const char* text, size_t nmatch, regmatch_t* spans,
                                  std::string* error);

}  // namespace postvet
