#include "rules/main/restriction_rule_util.hpp"

#include <fmt/format.h>

#include "src/model/master_cf.hpp"

namespace postvet::restriction_rules {

bool Once::First(const ListEntry& entry, std::string_view key) {
  if (entry.where.source == nullptr) return false;
  return seen_.emplace(entry.where.source, entry.where.begin, entry.where.end, std::string(key)).second;
}

void AddViaNotes(Diagnostic& d, const ListEntry& entry) {
  for (size_t i = entry.via.size(); i-- > 0;) {
    if (entry.via[i].source == nullptr) continue;
    d.notes.push_back({entry.via[i], fmt::format("reached from {} here", entry.via_params[i])});
  }
}

std::string ScopeLabel(const restriction::RestrictionList& list) {
  if (list.service == nullptr) return "main.cf";
  return fmt::format("service {}", list.service->NameSpace());
}

}  // namespace postvet::restriction_rules
