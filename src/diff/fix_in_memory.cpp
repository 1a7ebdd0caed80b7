#include "src/diff/fix_in_memory.hpp"

#include <memory>
#include <vector>

#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/config/loader.hpp"
#include "src/engine/rule_filter.hpp"

namespace postvet {
namespace {

std::map<std::string, size_t> CountByRule(const std::vector<Diagnostic>& found) {
  std::map<std::string, size_t> counts;
  for (const Diagnostic& d : found) ++counts[std::string(d.rule_id)];
  return counts;
}

std::map<std::string, size_t> CountBySubject(const std::vector<Diagnostic>& found) {
  std::map<std::string, size_t> counts;
  for (const Diagnostic& d : found) ++counts[std::string(d.rule_id) + " " + d.subject];
  return counts;
}

}  // namespace

Result<InMemoryFixResult> FixInMemory(const std::map<std::string, std::string>& files,
                                      const ProjectConfig& config, const FixPolicy& policy, int max_passes) {
  const std::string dir(kInMemoryConfigDir);
  const std::string prefix = dir + "/";
  std::map<std::string, std::string> overlay;  // full path -> bytes
  for (const auto& [name, bytes] : files) overlay[prefix + name] = bytes;
  LoadOptions options;
  options.overlay = &overlay;
  const RuleFilter filter(config, {}, {});

  Result<std::unique_ptr<LintContext>> ctx = LoadConfigDir(dir, "cfg", config, options);
  if (!ctx.ok()) return ctx.status();
  std::vector<Diagnostic> found = Lint(**ctx, filter);
  InMemoryFixResult result;
  result.findings_before = CountByRule(found);
  result.subjects_before = CountBySubject(found);
  for (int pass = 0;; ++pass) {
    std::vector<FileFix> plan = PlanFixes(found, policy);
    bool any = false;
    for (const FileFix& f : plan) any = any || !f.edits.empty();
    if (!any) {
      result.converged = true;
      break;
    }
    if (pass == max_passes) break;  // fixes left after the last pass: not converged
    for (const FileFix& f : plan) {
      if (!f.edits.empty()) overlay[f.source->path()] = ApplyEdits(f.source->text(), f.edits);
    }
    ++result.passes;
    ctx = LoadConfigDir(dir, "cfg", config, options);
    if (!ctx.ok()) return ctx.status();
    found = Lint(**ctx, filter);
  }
  result.findings_after = CountByRule(found);
  result.subjects_after = CountBySubject(found);
  for (const auto& [path, bytes] : overlay) {
    result.files[path.rfind(prefix, 0) == 0 ? path.substr(prefix.size()) : path] = bytes;
  }
  return result;
}

}  // namespace postvet
