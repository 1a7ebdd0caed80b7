// PV405 split-option-value: an `-o` value with blanks that is not wrapped
// in `{ }`, as in `-o smtpd_client_restrictions=permit_mynetworks, reject`.
// master.cf splits arguments at blanks (format spec 5.3): the option's value
// ends at the first blank, and the daemon's getopt() stops reading options
// at the next word, which it then takes as a command-line argument. Most
// daemons die on it ("unexpected command-line argument"); smtp, lmtp and
// postscreen silently ignore it, so the setting is quietly cut short; pipe
// and spawn take it as their own argument. Any `-o` after it is no longer
// an option either. The stray words are those up to the next word starting
// with `-` (for pipe and spawn, also up to their own `attribute=value`
// arguments). Options written after that point are checked as well
// (stranded_overrides), so every split value of an entry is reported in one
// run. Fix (safe): `-o { name = value words }` (Postfix 3.0+), the
// same rewrite PV404 proposes when the option is also spaced.
#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/fix/option_text.hpp"
#include "rules/master/written_options.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using master_rules::Label;

class SplitOptionValue : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV405",
            .slug = "split-option-value",
            .severity = Severity::kError,
            .fix = FixKind::kSafe,
            .summary = "an -o value with whitespace not wrapped in { }, so its later words become daemon arguments",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc)) return;
    const Source* src = ctx.master_cf().source;
    for (const MasterOverride* option : master_rules::WrittenOptions(svc)) {
      std::optional<master_rules::IntendedOption> intent = master_rules::IntendOption(*src, svc, *option);
      if (!intent || intent->stray_words == 0) continue;
      const MasterOverride& ov = *intent->option;
      std::string_view strays = src->Slice(intent->stray_begin, intent->stray_end);
      std::string_view first = strays.substr(0, strays.find_first_of(" \t\r\n"));
      std::string rewrite = intent->rewrite ? *intent->rewrite : "-o { " + ov.name + " = ... }";
      const bool spaced = ov.form == OverrideForm::kSpaced;
      std::string message = fmt::format("the value of `-o {}` in service {} {}", ov.name, Label(svc),
                                        spaced ? "has blanks outside { }" : "ends at the first blank");
      Diagnostic& d = sink.Report({src, intent->stray_begin, intent->stray_end}, std::move(message),
                                  Label(svc) + "/" + ov.name);
      d.notes.push_back({{src, ov.begin, ov.end}, fmt::format("the option -o {} starts here", ov.name)});
      std::string effect;
      if (spaced) {
        effect = fmt::format("even with the blanks around '=' removed, `{}` would be a command-line argument, not "
                             "part of the value",
                             first);
      } else if (ov.stranded) {
        effect = master_rules::StrandedNote(svc) + fmt::format("; `{}` would end the value anyway", first);
      } else {
        effect = fmt::format("the daemon gets {}={}, and then {}", ov.name, ov.value,
                             master_rules::ArgumentFate(svc, first));
      }
      d.notes.push_back({Location{}, std::move(effect)});
      d.notes.push_back({Location{}, spaced ? fmt::format("write `{}`", rewrite)
                                            : fmt::format("wrap the value in braces: `{}`", rewrite)});
      if (intent->rewrite) {
        d.fix = Fix{Applicability::kSafe, "wrap the option in { } so that the value keeps all its words",
                    {Edit{src, intent->begin, intent->end, *intent->rewrite}}};
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewSplitOptionValueRule() { return std::make_unique<SplitOptionValue>(); }

}  // namespace postvet
