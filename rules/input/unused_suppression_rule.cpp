// PV004 unused-suppression: a `# postvet: disable=...` directive that
// silenced nothing. The rule subscribes to nothing: the engine finds such
// directives itself, after filtering every finding, with
// src/engine/unused_suppression.hpp. This file gives the rule its ID, slug,
// severity and fix kind, so it is listed, selected and documented like
// every other rule (rules/input/PV004.md).
#include <memory>

#include "src/engine/rule.hpp"
#include "src/engine/unused_suppression.hpp"

namespace postvet {
namespace {

class UnusedSuppression : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = kUnusedSuppressionId,
            .slug = "unused-suppression",
            .severity = Severity::kInfo,
            .fix = FixKind::kSafe,
            .summary = "a `# postvet: disable=...` directive that silenced nothing",
            .doc = {}};
  }
  Subscription subscription() const override { return {}; }  // driven by the engine
};

}  // namespace

std::unique_ptr<Rule> NewUnusedSuppressionRule() { return std::make_unique<UnusedSuppression>(); }

}  // namespace postvet
