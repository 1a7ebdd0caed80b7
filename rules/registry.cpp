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

std::vector<RegisteredRule> Build() {
  std::unique_ptr<Rule> (*const factories[])() = {
#define POSTVET_RULE(id, factory) factory,
#include "rules/rule_list.inc"
#undef POSTVET_RULE
  };
  std::vector<RegisteredRule> rules;
  for (auto* factory : factories) {
    RegisteredRule r{{}, factory()};
    r.info = r.rule->info();
    // The doc page is rules/<family>/<ID>.md, wherever the family folder is.
    for (const EmbeddedFile* f = EmbeddedFiles(); f->path != nullptr; ++f) {
      std::string_view path = f->path;
      std::string suffix = "/" + std::string(r.info.id) + ".md";
      if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
        r.info.doc = f->data;
        // "rules/<family>/<ID>.md": the family is the folder's name.
        const std::string_view folder = path.substr(0, path.size() - suffix.size());
        r.info.family = folder.substr(folder.rfind('/') + 1);
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
