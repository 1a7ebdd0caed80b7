// "Did you mean ...?" for a name that is not a smtpd restriction: the one
// restriction or restriction class that is closest to it, if no other is
// as close. Used by PV109 for its note and its (unsafe) fix.
//
// Contract: the same edit-distance bounds as NameSuggester (none for names
// under 4 bytes, 1 edit up to 5 bytes, 2 up to 11, else 3), case ignored as
// smtpd ignores it for restriction names; empty when nothing is close
// enough or two candidates are equally close (a fix must not guess).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "src/facts/restriction/restriction_table.hpp"

namespace postvet::restriction {

std::string SuggestRestriction(std::string_view name, const RestrictionTable& table,
                               const std::set<std::string, std::less<>>& classes);

}  // namespace postvet::restriction
