#include "src/engine/engine.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "src/engine/suppression.hpp"
#include "src/engine/template_filter.hpp"
#include "src/engine/unused_suppression.hpp"

namespace postvet {
namespace {

bool Wants(const std::vector<FileKind>& kinds, FileKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

void RunRule(const RegisteredRule& r, const LintContext& ctx, std::vector<Diagnostic>* out) {
  Sink sink(r.info, out);
  Subscription sub = r.rule->subscription();
  if (!sub.files.empty()) {
    for (const auto& file : ctx.files()) {
      if (Wants(sub.files, file->kind)) r.rule->CheckFile(ctx, *file, sink);
    }
  }
  if (!sub.parameters.empty() && ctx.main_file() != nullptr) {
    bool all = std::find(sub.parameters.begin(), sub.parameters.end(), "*") != sub.parameters.end();
    for (std::string_view name : ctx.ParameterNames()) {
      if (all || std::find(sub.parameters.begin(), sub.parameters.end(), name) != sub.parameters.end()) {
        r.rule->CheckParameter(ctx, name, sink);
      }
    }
  }
  if (sub.services && ctx.master_file() != nullptr) {
    for (size_t i = 0, n = ctx.ServiceCount(); i < n; ++i) r.rule->CheckService(ctx, i, sink);
  }
  if (sub.config) r.rule->CheckConfig(ctx, sink);
}

// Which rules subsume which, from the rule list: subsumed ID -> subsuming IDs.
std::map<std::string_view, std::vector<std::string_view>> SubsumedBy(const std::vector<RegisteredRule>& rules) {
  std::map<std::string_view, std::vector<std::string_view>> out;
  for (const RegisteredRule& r : rules) {
    for (std::string_view weaker : r.rule->subsumes()) {
      if (const RegisteredRule* w = FindRule(rules, weaker)) out[w->info.id].push_back(r.info.id);
    }
  }
  return out;
}

bool Overlap(const Location& a, const Location& b) {
  const uint32_t a_end = a.end > a.begin ? a.end : a.begin + 1;
  const uint32_t b_end = b.end > b.begin ? b.end : b.begin + 1;
  return a.source == b.source && a.begin < b_end && b.begin < a_end;
}

}  // namespace

void DropSubsumed(std::vector<Diagnostic>* diagnostics, const std::vector<RegisteredRule>& rules) {
  const auto subsumed_by = SubsumedBy(rules);
  if (subsumed_by.empty()) return;
  // The findings of subsuming rules, by rule ID (few: the rules are precise).
  std::map<std::string_view, std::vector<const Location*>> strong;
  for (const auto& [weak, strong_ids] : subsumed_by) {
    for (std::string_view id : strong_ids) strong.emplace(id, std::vector<const Location*>{});
  }
  bool any = false;
  for (const Diagnostic& d : *diagnostics) {
    auto it = strong.find(d.rule_id);
    if (it != strong.end() && d.location.source != nullptr) {
      it->second.push_back(&d.location);
      any = true;
    }
  }
  if (!any) return;
  std::vector<bool> drop(diagnostics->size(), false);
  for (size_t i = 0; i < diagnostics->size(); ++i) {
    const Diagnostic& d = (*diagnostics)[i];
    auto weak = subsumed_by.find(d.rule_id);
    if (weak == subsumed_by.end() || d.location.source == nullptr) continue;
    for (std::string_view id : weak->second) {
      for (const Location* at : strong[id]) drop[i] = drop[i] || Overlap(*at, d.location);
    }
  }
  size_t n = 0;
  for (size_t i = 0; i < diagnostics->size(); ++i) {
    if (drop[i]) continue;
    if (n != i) (*diagnostics)[n] = std::move((*diagnostics)[i]);
    ++n;
  }
  diagnostics->erase(diagnostics->begin() + static_cast<std::ptrdiff_t>(n), diagnostics->end());
}

void SortAndDedupe(std::vector<Diagnostic>* diagnostics) {
  auto key = [](const Diagnostic& d) {
    std::string_view file = d.location.source != nullptr ? std::string_view(d.location.source->display()) : "";
    return std::make_tuple(file, d.location.begin, d.location.end, d.rule_id, std::string_view(d.message));
  };
  std::stable_sort(diagnostics->begin(), diagnostics->end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  diagnostics->erase(std::unique(diagnostics->begin(), diagnostics->end(),
                                 [&](const Diagnostic& a, const Diagnostic& b) { return key(a) == key(b); }),
                     diagnostics->end());
}

std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter,
                             const std::vector<RegisteredRule>& rules) {
  // Suppression directives of every file, checked against every finding.
  std::map<const Source*, Suppressions> directives;
  for (const auto& file : ctx.files()) directives.emplace(file->source.get(), Suppressions(*file->cst));

  // PV004 must know whether a directive silenced anything, so the rules that
  // directives name run too, even when not selected; their findings are
  // used for that and then dropped.
  const RegisteredRule* unused = FindRule(rules, kUnusedSuppressionId);
  bool report_unused = unused != nullptr && filter.Enabled(unused->info);
  std::vector<bool> named(rules.size(), false);
  if (report_unused) {
    for (const auto& [source, sup] : directives) {
      for (const SuppressionDirective& d : sup.directives()) {
        for (std::string_view id : d.ids) {
          if (const RegisteredRule* r = FindRule(rules, id)) named[static_cast<size_t>(r - rules.data())] = true;
        }
      }
    }
  }
  std::vector<Diagnostic> found;
  for (size_t i = 0; i < rules.size(); ++i) {
    const RegisteredRule& r = rules[i];
    if (r.info.id == kUnusedSuppressionId) continue;  // reported below, from the directives
    if (filter.Enabled(r.info) || named[i]) RunRule(r, ctx, &found);
  }
  DropTemplateCaused(ctx, &found);  // templates are judged on their static text

  // Filtered in place: a second vector would double the peak on configs
  // with hundreds of thousands of findings.
  std::vector<Diagnostic>& kept = found;
  size_t n = 0;
  for (Diagnostic& d : found) {
    const RegisteredRule* r = FindRule(rules, d.rule_id);
    if (d.location.source != nullptr) {
      if (filter.IgnoredForPath(r->info, d.location.source->display())) continue;
      auto it = directives.find(d.location.source);
      if (it != directives.end() && it->second.Suppresses(r->info.id, r->info.slug, d.location.begin)) continue;
    }
    if (!filter.Enabled(r->info)) continue;  // ran only to mark directives used
    d.severity = filter.SeverityOf(r->info);
    if (&found[n] != &d) found[n] = std::move(d);
    ++n;
  }
  found.erase(found.begin() + static_cast<std::ptrdiff_t>(n), found.end());

  if (report_unused) {
    std::vector<Diagnostic> pv004;
    Sink sink(unused->info, &pv004);
    for (auto& [source, sup] : directives) {
      ReportUnusedSuppressions(*source, sup, [&](std::string_view id) {
        return FindRule(rules, id) == nullptr ? DirectiveTarget::kUnknownRule : DirectiveTarget::kRuleRan;
      }, sink);
    }
    for (Diagnostic& d : pv004) {
      d.severity = filter.SeverityOf(unused->info);
      if (!filter.IgnoredForPath(unused->info, d.location.source->display())) kept.push_back(std::move(d));
    }
  }
  DropSubsumed(&kept, rules);
  MapTemplateLocations(ctx, &kept);  // rendered templates: back to the template's offsets
  SortAndDedupe(&kept);
  return found;  // not `kept`: returning the reference would copy every finding
}

}  // namespace postvet
