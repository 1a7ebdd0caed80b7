// RuleFilter: which rules run and at what severity, from --select/--ignore,
// .postvet.cf (select, ignore, severity_<ID>, per_path_ignores). A selector
// is a rule ID (PV203), a family prefix (PV2, PV20) or a slug.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/config/project_config.hpp"
#include "src/engine/rule_info.hpp"

namespace postvet {

/// True when `selector` names the rule `info`.
bool SelectorMatches(std::string_view selector, const RuleInfo& info);

class RuleFilter {
 public:
  RuleFilter() = default;
  /// Command-line selectors win over the config's: a non-empty --select
  /// replaces `select`; --ignore adds to `ignore`.
  RuleFilter(const ProjectConfig& config, const std::vector<std::string>& cli_select,
             const std::vector<std::string>& cli_ignore);

  /// Whether the rule runs at all.
  bool Enabled(const RuleInfo& info) const;
  /// Whether findings of the rule are dropped for the file shown as `path`.
  bool IgnoredForPath(const RuleInfo& info, std::string_view path) const;
  /// The severity to report for the rule.
  Severity SeverityOf(const RuleInfo& info) const;

 private:
  std::vector<std::string> select_;
  std::vector<std::string> ignore_;
  std::map<std::string, Severity> severity_;
  std::vector<PathIgnore> path_ignores_;
};

}  // namespace postvet
