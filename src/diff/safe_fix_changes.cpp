#include "src/diff/safe_fix_changes.hpp"

#include <map>
#include <set>
#include <string>

#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"

namespace postvet {
namespace {

// As many rounds as `check --fix` makes: a fix may enable another.
constexpr int kMaxFixPasses = 5;

}  // namespace

Result<const LintContext*> WithSafeFixes(const LintContext& before, const SideLoader& load, const RuleFilter& filter,
                                         std::vector<std::unique_ptr<LintContext>>* keep) {
  std::map<std::string, std::string> overlay;  // path -> fixed bytes
  LoadOptions options;
  options.overlay = &overlay;
  const LintContext* current = &before;
  bool any = false;
  for (int pass = 0; pass < kMaxFixPasses; ++pass) {
    std::vector<Diagnostic> found = Lint(*current, filter);
    bool changed = false;
    for (const FileFix& f : PlanFixes(found, FixPolicy{false})) {
      if (f.edits.empty()) continue;
      overlay[f.source->path()] = ApplyEdits(f.source->text(), f.edits);
      changed = true;
    }
    if (!changed) break;
    any = true;
    Result<std::unique_ptr<LintContext>> reloaded = load(options);
    if (!reloaded.ok()) return reloaded.status();
    current = keep->emplace_back(std::move(reloaded.value())).get();
  }
  if (!any) return static_cast<const LintContext*>(nullptr);
  return current;
}

void MarkSafeFixChanges(const std::vector<ConfigChange>& remaining, std::vector<ConfigChange>* changes) {
  std::set<std::string> unexplained;
  for (const ConfigChange& c : remaining) {
    if (c.level != ConfigChange::Level::kCosmetic) unexplained.insert(c.subject);
  }
  for (ConfigChange& c : *changes) {
    if (c.level == ConfigChange::Level::kCosmetic || unexplained.count(c.subject) != 0) continue;
    c.level = ConfigChange::Level::kSafeFix;
  }
}

}  // namespace postvet
