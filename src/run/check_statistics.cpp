#include "src/run/check_statistics.hpp"

#include <algorithm>
#include <map>
#include <string_view>

#include <fmt/format.h>

#include "rules/registry.hpp"
#include "src/base/json_writer.hpp"

namespace postvet {
namespace {

struct RuleCount {
  std::string_view rule;
  std::string_view slug;
  Severity severity = Severity::kWarning;  // as reported (severity_<ID> applied)
  size_t count = 0;
  size_t fixable = 0;  // findings with a safe fix
};

std::vector<RuleCount> Count(const std::vector<Diagnostic>& found) {
  std::map<std::string_view, RuleCount> by_rule;
  for (const Diagnostic& d : found) {
    RuleCount& c = by_rule[d.rule_id];
    if (c.count == 0) {
      const RegisteredRule* r = FindRule(d.rule_id);
      c.rule = d.rule_id;
      c.slug = r != nullptr ? r->info.slug : std::string_view();
      c.severity = d.severity;
    }
    c.severity = std::max(c.severity, d.severity);
    ++c.count;
    if (d.fix && d.fix->applicability == Applicability::kSafe) ++c.fixable;
  }
  std::vector<RuleCount> out;
  for (const auto& [rule, c] : by_rule) out.push_back(c);
  std::stable_sort(out.begin(), out.end(), [](const RuleCount& a, const RuleCount& b) { return a.count > b.count; });
  return out;
}

}  // namespace

std::string RenderStatistics(const std::vector<Diagnostic>& found, bool json) {
  std::vector<RuleCount> counts = Count(found);
  std::string out;
  if (json) {
    report::JsonWriter w(&out);
    w.BeginObject();
    w.UintField("version", 1);
    w.Key("statistics");
    w.BeginArray();
    for (const RuleCount& c : counts) {
      w.BeginObject();
      w.StringField("rule", c.rule);
      w.StringField("slug", c.slug);
      w.StringField("severity", SeverityName(c.severity));
      w.UintField("count", c.count);
      w.UintField("fixable", c.fixable);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    out += '\n';
    return out;
  }
  size_t width = 1;
  for (const RuleCount& c : counts) width = std::max(width, fmt::formatted_size("{}", c.count));
  for (const RuleCount& c : counts) {
    out += fmt::format("{:>{}}  {}  {:<7}  {} {}\n", c.count, width, c.rule, SeverityName(c.severity),
                       c.fixable > 0 ? "[*]" : "[ ]", c.slug);
  }
  return out;
}

}  // namespace postvet
