// PV404 spaced-option: `-o name = value`, `-o name =value` or
// `-o name= value` outside `{ }`. master.cf splits arguments at blanks, so
// the option's value is only the word after `-o` (format spec 5.3):
// `-o name` has no '=' and the daemon dies with `invalid "-o name" option
// value: missing '=' after attribute name`; `-o name=` sets name to the
// empty value and the next word ends the options. postconf says nothing in
// either case (spec 5.3, edge case 39), so `postfix check` passes and the
// service fails only when it starts. Fix (safe): rewrite the option as
// `-o name=value`, or `-o { name = value }` when the value has blanks
// (option_text.hpp), which is what the line says.
#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/fix/option_text.hpp"
#include "rules/master/written_options.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using master_rules::Label;

class SpacedOption : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV404",
            .slug = "spaced-option",
            .severity = Severity::kError,
            .fix = FixKind::kSafe,
            .summary = "-o name = value / -o name= value outside { }, or an -o option without '=', name or value",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc)) return;
    const Source* src = ctx.master_cf().source;
    for (const MasterOverride* option : master_rules::WrittenOptions(svc)) {
      if (!option->ok() && option->form != OverrideForm::kSpaced) {
        ReportMalformed(*src, svc, *option, sink);
        continue;
      }
      std::optional<master_rules::IntendedOption> intent = master_rules::IntendOption(*src, svc, *option);
      if (!intent || !intent->spaced) continue;
      const MasterOverride& ov = *intent->option;
      std::string written(src->Slice(ov.begin, ov.end));
      std::string effect;
      if (ov.form == OverrideForm::kSpaced) {
        effect = fmt::format("the daemon reads `-o {}` alone and dies with: {}", ov.name, ov.error);
      } else {
        std::string_view next = intent->value;
        size_t blank = next.find_first_of(" \t\r\n");
        if (blank != std::string_view::npos) next = next.substr(0, blank);
        effect = fmt::format("the daemon sets {} to the empty value, and then {}", ov.name,
                             master_rules::ArgumentFate(svc, next));
      }
      std::string message = fmt::format("`{}` in service {} has blanks around '='", written, Label(svc));
      Diagnostic& d = sink.Report({src, ov.begin, ov.end}, std::move(message), Label(svc) + "/" + ov.name);
      if (ov.stranded) {
        d.notes.push_back({Location{}, master_rules::StrandedNote(svc)});
      } else {
        d.notes.push_back({Location{}, fmt::format("master.cf arguments end at blanks: {} (postconf does not "
                                                   "complain)",
                                                   effect)});
      }
      if (intent->rewrite) d.notes.push_back({Location{}, fmt::format("write `{}`", *intent->rewrite)});
      if (intent->rewrite) {
        d.fix = Fix{Applicability::kSafe, "join name, '=' and value into one -o option",
                    {Edit{src, intent->begin, intent->end, *intent->rewrite}}};
      }
    }
  }

 private:
  // An option the daemon (or, for braces, master(8)) rejects for another
  // reason: no '=', no name, no value, unbalanced braces. Which text was
  // meant is unknown, so there is no fix.
  static void ReportMalformed(const Source& src, const MasterService& svc, const MasterOverride& ov, Sink& sink) {
    std::string written(src.Slice(ov.begin, ov.end));
    std::string message;
    std::string advice;
    bool braces = false;
    switch (ov.form) {
      case OverrideForm::kNoEquals:
        message = fmt::format("`-o {}` in service {} has no '=' and no value", ov.name, Label(svc));
        advice = fmt::format("write `-o {}=VALUE`, or delete the option", ov.name);
        break;
      case OverrideForm::kMissingName:
        message = fmt::format("`{}` in service {} names no parameter before '='", written, Label(svc));
        advice = "write `-o name=value`, or delete the option";
        break;
      case OverrideForm::kMissingValue:
        message = fmt::format("`-o` at the end of service {} has no name=value after it", Label(svc));
        advice = "complete the option or delete it";
        break;
      default:
        message = fmt::format("`-o` option in service {} has unbalanced braces", Label(svc));
        advice = "balance the braces: `-o { name = value }`";
        braces = true;
        break;
    }
    Diagnostic& d = sink.Report({&src, ov.begin, ov.end}, std::move(message), Label(svc) + "/-o");
    if (ov.stranded) {
      d.notes.push_back({Location{}, master_rules::StrandedNote(svc)});
    } else if (braces) {
      d.notes.push_back({Location{}, fmt::format("master(8) stops with: {} (postconf only warns)", ov.error)});
    } else {
      d.notes.push_back({Location{}, fmt::format("the daemon dies with: {} (postconf does not complain)", ov.error)});
    }
    d.notes.push_back({Location{}, std::move(advice)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewSpacedOptionRule() { return std::make_unique<SpacedOption>(); }

}  // namespace postvet
