// Helpers shared by the restriction-list rules (PV109-PV111, PV601, PV604):
// reporting each written entry once although main.cf's lists are seen from
// every smtpd service, and the located notes that show how a list reached
// an entry through `$name`. Not a rule.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "src/config/restriction_list.hpp"
#include "src/engine/diagnostic.hpp"
#include "src/facts/restriction/restriction_lists.hpp"

namespace postvet::restriction_rules {

/// Remembers which (place, key) pairs were reported.
class Once {
 public:
  /// True the first time `entry`'s location is seen with `key`; false for an
  /// entry without a location (a built-in default).
  bool First(const ListEntry& entry, std::string_view key);

 private:
  std::set<std::tuple<const void*, uint32_t, uint32_t, std::string>> seen_;
};

/// A located note "referenced from here" for each `$name` that led to `entry`.
void AddViaNotes(Diagnostic& d, const ListEntry& entry);

/// "service submission" for a master.cf service's list, "main.cf" otherwise.
std::string ScopeLabel(const restriction::RestrictionList& list);

}  // namespace postvet::restriction_rules
