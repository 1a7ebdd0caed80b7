// PV102 duplicate-parameter: a main.cf name defined more than once. Postfix
// keeps the last definition (dict_load_fp() replaces the entry and, when the
// values differ, warns "overriding earlier entry"), so every earlier one is
// dead text that misleads whoever reads the file top-down. Identical
// repeats draw no warning from Postfix but are just as dead; the message
// says which case it is. Fix (safe): delete the earlier definition's whole
// logical line (continuation lines and its LF included; the comment lines
// before it stay), which leaves Postfix's configuration unchanged.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"

namespace postvet {
namespace {

class DuplicateParameter : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV102",
            .slug = "duplicate-parameter",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "a main.cf name is defined twice; the earlier definition is dead",
            .doc = {}};
  }
  Subscription subscription() const override { return {{FileKind::kMainCf}, {}, false, false}; }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    if (&file != ctx.main_file()) return;
    const MainCf& m = ctx.main_cf();
    const Source& src = *file.source;
    const Cst& cst = *file.cst;
    for (const MainCfOverride& o : m.overrides()) {
      const MainCfDefinition& earlier = m.definitions()[o.earlier];
      const MainCfDefinition& later = m.definitions()[o.later];
      std::string message =
          o.value_differs
              ? fmt::format("\"{}\" is defined again on line {}", earlier.name, later.line)
              : fmt::format("\"{}\" is defined again with the same value on line {}", earlier.name, later.line);
      Diagnostic& d = sink.Report({&src, earlier.name_begin, earlier.name_end}, std::move(message),
                                  std::string(earlier.name));
      d.notes.push_back({{&src, later.name_begin, later.name_end}, "overridden by the definition here"});
      d.notes.push_back({{}, o.value_differs ? "Postfix uses only the later value, this one is dead (postconf: "
                                               "\"overriding earlier entry\")"
                                             : "this definition is a dead duplicate (Postfix does not warn about "
                                               "identical repeats)"});
      // The parameter node spans the logical line with its continuation
      // lines and final LF (or runs to the end of the file).
      const Node& n = cst.node(earlier.node);
      d.fix = Fix{Applicability::kSafe, fmt::format("delete the earlier definition of {}", earlier.name),
                  {Edit{&src, n.begin, n.end, ""}}};
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewDuplicateParameterRule() { return std::make_unique<DuplicateParameter>(); }

}  // namespace postvet
