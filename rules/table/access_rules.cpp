#include "rules/table/access_rules.hpp"

#include <algorithm>

#include "src/config/lint_context.hpp"

namespace postvet {

void ForEachAccessResult(const LintContext& ctx, const InputFile& file, std::vector<TableUse>* uses,
                         const std::function<void(const AccessRuleResult&)>& visit) {
  *uses = AccessUses(file);
  if (uses->empty()) return;
  const std::vector<std::string> classes = RestrictionClasses(ctx);
  const RegexpTable& table = ctx.table(file);
  const restriction::RestrictionTable& restrictions = restriction::RestrictionTableFor(ctx.target().version());
  for (uint32_t i = 0; i < table.size(); ++i) {
    if (table.Kind(i) != TableLineKind::kMatch || !table.Active(i)) continue;
    const TableEntry e = table.Entry(i);
    AccessRuleResult r{&e, SplitAction(e), {}};
    r.action = ClassifyAccess(r.split, classes, restrictions);
    if (r.action.verdict == AccessVerdict::kDynamic) continue;
    visit(r);
  }
}

std::string JoinRestrictions(const std::vector<TableUse>& uses) {
  std::vector<std::string> names;
  for (const TableUse& use : uses) {
    if (std::find(names.begin(), names.end(), use.restriction) == names.end()) names.push_back(use.restriction);
  }
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace postvet
