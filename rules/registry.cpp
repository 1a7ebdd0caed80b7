#include "rules/registry.hpp"

#include <algorithm>
#include <cctype>

#include "rules/security_rules.hpp"
#include "src/base/embedded.hpp"

namespace postvet {

// Factories, one per rule file: declared from rules/rule_list.inc.
#define POSTVET_RULE(id, factory) std::unique_ptr<Rule> factory();
#include "rules/rule_list.inc"
#undef POSTVET_RULE

namespace {

// The rule doc pages among the embedded files, by file name ("PV204.md"),
// found in one pass over the table (not one pass per rule).
struct DocPage {
  std::string_view name;    // "PV204.md"
  std::string_view family;  // the folder: "dnsbl"
  std::string_view data;
};

std::vector<DocPage> DocPages() {
  std::vector<DocPage> pages;
  for (const EmbeddedFile* f = EmbeddedFiles(); f->path != nullptr; ++f) {
    std::string_view path = f->path;
    if (!path.ends_with(".md")) continue;
    const std::size_t slash = path.rfind('/');
    if (slash == std::string_view::npos || slash == 0) continue;
    const std::string_view folder = path.substr(0, slash);
    pages.push_back({path.substr(slash + 1), folder.substr(folder.rfind('/') + 1), f->data});
  }
  return pages;
}

std::vector<RegisteredRule> Build() {
  std::unique_ptr<Rule> (*const factories[])() = {
#define POSTVET_RULE(id, factory) factory,
#include "rules/rule_list.inc"
#undef POSTVET_RULE
  };
  const std::vector<DocPage> pages = DocPages();
  std::vector<RegisteredRule> rules;
  rules.reserve(std::size(factories));
  for (auto* factory : factories) {
    RegisteredRule r{{}, factory()};
    r.info = r.rule->info();
    // The doc page is rules/<family>/<ID>.md, wherever the family folder is
    // (the last such file, as the table is ordered).
    const std::string_view id = r.info.id;
    for (const DocPage& page : pages) {
      if (page.name.size() == id.size() + 3 && page.name.starts_with(id)) {
        r.info.doc = page.data;
        r.info.family = page.family;
      }
    }
    r.info.security_severity = SecuritySeverity(r.info.id);
    rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace

const std::vector<RegisteredRule>& Registry() {
  static const std::vector<RegisteredRule> rules = Build();
  return rules;
}

const RegisteredRule* FindRule(std::string_view id_or_slug) { return FindRule(Registry(), id_or_slug); }

std::vector<RuleInfo> AllRuleInfos() {
  std::vector<RuleInfo> out;
  for (const RegisteredRule& r : Registry()) out.push_back(r.info);
  return out;
}

std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter) {
  return Lint(ctx, filter, Registry());
}

void DropSubsumed(std::vector<Diagnostic>* diagnostics) { DropSubsumed(diagnostics, Registry()); }

}  // namespace postvet
