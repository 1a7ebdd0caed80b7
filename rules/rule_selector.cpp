#include "rules/rule_selector.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <vector>

#include "rules/registry.hpp"
#include "src/model/name_suggester.hpp"
#include "src/engine/rule_filter.hpp"

namespace postvet {
namespace {

/// "PV" (any case) and up to four letters or digits, at least one a digit:
/// an ID or family prefix, maybe mistyped (PV2O3).
bool LooksLikeId(std::string_view s) {
  return s.size() > 2 && s.size() <= 6 && (s[0] == 'P' || s[0] == 'p') && (s[1] == 'V' || s[1] == 'v') &&
         std::all_of(s.begin() + 2, s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) &&
         std::any_of(s.begin() + 2, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

long DigitsOf(std::string_view s) { return std::strtol(std::string(s.substr(2)).c_str(), nullptr, 10); }

/// The registered ID (or family prefix, for a shorter selector) nearest to
/// `selector`: fewest edits, then numerically closest, then first.
std::string NearestId(std::string_view selector) {
  std::string want(selector);
  for (char& c : want) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::set<std::string> candidates;
  for (const RegisteredRule& r : Registry()) {
    std::string_view id = r.info.id;
    candidates.emplace(want.size() < id.size() ? id.substr(0, want.size()) : id);
  }
  std::string best;
  size_t best_edits = 0;
  long best_gap = 0;
  for (const std::string& c : candidates) {
    size_t edits = BoundedEditDistance(c, want, 16);
    long gap = std::labs(DigitsOf(c) - DigitsOf(want));
    if (best.empty() || edits < best_edits || (edits == best_edits && gap < best_gap)) {
      best = c;
      best_edits = edits;
      best_gap = gap;
    }
  }
  return best;
}

}  // namespace

std::string ClosestRule(std::string_view selector) {
  if (LooksLikeId(selector)) return NearestId(selector);
  std::vector<std::string_view> names;
  for (const RegisteredRule& r : Registry()) names.push_back(r.info.slug);
  NameSuggester suggester(std::move(names), {});
  return suggester.Nearest(selector);
}

std::string SelectorError(std::string_view selector) {
  for (const RegisteredRule& r : Registry()) {
    if (SelectorMatches(selector, r.info)) return {};
  }
  std::string closest = ClosestRule(selector);
  if (closest.empty()) return fmt::format("unknown rule \"{}\" (`postvet rules` lists them)", selector);
  return fmt::format("unknown rule \"{}\" (did you mean {}?)", selector, closest);
}

Result<ProjectConfig> ReadProjectConfig(const std::string& path) { return ReadProjectConfig(path, SelectorError); }

}  // namespace postvet
