// ValueCheck: does Postfix accept a parameter value? Converts an already
// $-expanded value exactly the way the daemons do when they read it
// (global/mail_conf_{int,long,bool,time,nint,nbool,str,raw}.c, conv_time.c,
// compat_level.c, and the name_code()/name_mask() checks of enum-like
// parameters; format spec section 2.5), and returns the fatal message the
// daemon would print (without the "program: fatal: " prefix), or nullopt.
//
// Contract:
// * Numbers follow strtol(3) in base 10: leading white space and a sign are
//   allowed, the rest of the string must be digits (time values: digits, then
//   the first following character is the unit; later characters are ignored,
//   so "1h30m" is one hour and "10ss" is ten seconds). Overflow is rejected.
// * Bounds: Postfix treats a bound of 0 as "none"; ParamInfo already
//   stores those as nullopt. Time bounds are in seconds.
// * Enum messages are the daemons' own where postvet knows them (TLS level,
//   postscreen actions, name_mask lists, compatibility_level, ...); for the
//   rest the text "bad NAME value: VALUE" is postvet's.
// * Nothing here expands `$name`: pass the expanded value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/model/param_info.hpp"

namespace postvet {

/// strtol(value, &end, 10) over the whole string, as mail_conf_long.c does:
/// nullopt when empty, when anything follows the digits, or on overflow.
std::optional<long> ConvertLong(std::string_view value);

/// As ConvertLong(), and the result must also fit in an int
/// (mail_conf_int.c, mail_conf_nint.c).
std::optional<int> ConvertInt(std::string_view value);

/// "yes"/"no" in any case (mail_conf_bool.c); nullopt otherwise.
std::optional<bool> ConvertBool(std::string_view value);

/// A time value in seconds, as conv_time() computes it with `default_unit`
/// ('s', 'm', 'h', 'd' or 'w') for a value without a unit letter.
std::optional<int> ConvertTime(std::string_view value, char default_unit);

/// compatibility_level syntax major[.minor[.patch]] (compat_level.c).
bool IsCompatLevel(std::string_view value);

/// nullopt when the daemons accept `value` for `info`; otherwise the message
/// they print, e.g. "bad numerical configuration: NAME = VALUE".
std::optional<std::string> CheckValue(const ParamInfo& info, std::string_view value);

}  // namespace postvet
