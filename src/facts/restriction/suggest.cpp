#include "src/facts/restriction/suggest.hpp"

#include <vector>

#include "src/model/name_suggester.hpp"

namespace postvet::restriction {
namespace {

std::string Lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::string SuggestRestriction(std::string_view name, const RestrictionTable& table,
                               const std::set<std::string, std::less<>>& classes) {
  if (name.size() < 4) return {};
  const size_t limit = name.size() <= 5 ? 1 : name.size() <= 11 ? 2 : 3;
  const std::string lowered = Lowered(name);
  std::string best;
  size_t best_distance = limit + 1;
  bool tie = false;
  auto consider = [&](std::string_view candidate, std::string_view compare_as) {
    if (candidate == name) return;
    size_t d = BoundedEditDistance(lowered, compare_as, best_distance);
    if (d > limit) return;  // d == 0: a class name in another case (classes are case-sensitive)
    if (d < best_distance) {
      best = std::string(candidate);
      best_distance = d;
      tie = false;
    } else if (d == best_distance && candidate != best) {
      tie = true;
    }
  };
  for (const RestrictionInfo& r : table.restrictions()) consider(r.name, r.name);
  for (const std::string& c : classes) consider(c, Lowered(c));
  return tie ? std::string() : best;
}

}  // namespace postvet::restriction
