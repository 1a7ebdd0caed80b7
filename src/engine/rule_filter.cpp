#include "src/engine/rule_filter.hpp"

#include <algorithm>
#include <cctype>

namespace postvet {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

bool AnyMatches(const std::vector<std::string>& selectors, const RuleInfo& info) {
  return std::any_of(selectors.begin(), selectors.end(),
                     [&](const std::string& s) { return SelectorMatches(s, info); });
}

}  // namespace

bool SelectorMatches(std::string_view selector, const RuleInfo& info) {
  if (EqualsIgnoreCase(selector, info.id) || selector == info.slug) return true;
  if (selector == "ALL" || selector == "all") return true;
  // A family prefix: "PV" followed by fewer than three digits.
  if (selector.size() < info.id.size() && selector.size() >= 2 &&
      EqualsIgnoreCase(selector, info.id.substr(0, selector.size()))) {
    return std::all_of(selector.begin() + 2, selector.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return false;
}

RuleFilter::RuleFilter(const ProjectConfig& config, const std::vector<std::string>& cli_select,
                       const std::vector<std::string>& cli_ignore)
    : select_(cli_select.empty() ? config.select : cli_select),
      ignore_(config.ignore),
      severity_(config.severity),
      path_ignores_(config.path_ignores) {
  ignore_.insert(ignore_.end(), cli_ignore.begin(), cli_ignore.end());
}

bool RuleFilter::Enabled(const RuleInfo& info) const {
  if (!select_.empty() && !AnyMatches(select_, info)) return false;
  return !AnyMatches(ignore_, info);
}

bool RuleFilter::IgnoredForPath(const RuleInfo& info, std::string_view path) const {
  for (const PathIgnore& pi : path_ignores_) {
    if (AnyMatches(pi.rules, info) && PathIgnoreMatches(pi, path)) return true;
  }
  return false;
}

Severity RuleFilter::SeverityOf(const RuleInfo& info) const {
  for (const auto& [selector, severity] : severity_) {
    if (SelectorMatches(selector, info)) return severity;
  }
  return info.severity;
}

}  // namespace postvet
