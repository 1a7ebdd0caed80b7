// PV406 unknown-option-parameter: a master.cf `-o name=value` whose name
// Postfix does not know. postconf warns "DIR/master.cf: unused parameter:
// name=value" and the daemon stores the setting where nothing reads it, so
// a typo silently leaves the service on main.cf's value. The notion of
// "known" is postconf's (option_names.hpp, format spec 5.3): built in for
// the target version, service-derived, a validated main.cf user name, or
// referenced as $name where postconf looks. Read-only names (process_name,
// process_id, service_name) are reported too: postconf drops the assignment
// ("read-only parameter assignment"). A name the target version does not
// have yet ("needs Postfix ≥ 3.10"), or no longer has, is reported with the
// version. A detail note
// offers the nearest known name. No fix: which name was meant is a guess.
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/facts/master/option_names.hpp"
#include "src/engine/rule.hpp"
#include "src/model/name_suggester.hpp"
#include "src/model/param_info.hpp"

namespace postvet {
namespace {

using master_rules::Label;
using master_rules::OptionNames;

class UnknownOptionParameter : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV406",
            .slug = "unknown-option-parameter",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "-o name=... with a name Postfix does not know (as PV101)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const MasterCf& master = ctx.master_cf();
    bool any = false;
    for (const MasterService& svc : master.services) any = any || !svc.overrides.empty();
    if (!any) return;

    OptionNames names(ctx);
    const Result<ParamTable>& table = BuiltinParamTable();
    std::optional<PostfixVersion> version = ctx.target().version();
    // The registration above uses the target's own defaults table when one
    // is embedded (3.5 to 3.10); for other versions the parameter table's
    // availability decides.
    const bool exact = ctx.target().exact_table();
    std::optional<NameSuggester> suggester;  // built on first need

    for (size_t s = 0; s < master.services.size(); ++s) {
      const MasterService& svc = master.services[s];
      if (master_rules::IsArgumentLine(svc)) continue;
      for (const MasterOverride& ov : svc.overrides) {
        if (ov.name.empty() || !(ov.ok() || ov.form == OverrideForm::kSpaced)) continue;
        OptionNames::Verdict verdict = names.Check(s, ov.name);
        Availability avail = table.ok() ? table->AvailabilityIn(ov.name, *version) : Availability::kUnknown;
        std::string message;
        std::vector<std::string> details;
        if (verdict == OptionNames::Verdict::kReadOnly) {
          message = fmt::format("`-o {}` in service {} sets a read-only parameter", ov.name, Label(svc));
          details.push_back(fmt::format("postconf warns \"read-only parameter assignment: {}={}\" and Postfix sets "
                                        "it itself",
                                        ov.name, ov.value));
        } else if ((avail == Availability::kTooNew || avail == Availability::kRemoved) &&
                   (!exact || verdict == OptionNames::Verdict::kUnused)) {
          const ParamInfo* info = table->Find(ov.name);
          if (avail == Availability::kTooNew) {
            message = fmt::format("`-o {}` in service {} needs Postfix ≥ {} (the target is Postfix {})", ov.name,
                                  Label(svc),
                                  info != nullptr && info->since ? info->since->ToString() : std::string("?"),
                                  version->ToString());
          } else {
            message = fmt::format("`-o {}` in service {}: Postfix {} no longer knows it (removed in {})", ov.name,
                                  Label(svc), version->ToString(),
                                  info != nullptr && info->removed ? info->removed->ToString() : std::string("?"));
          }
          details.push_back(fmt::format("postconf warns \"unused parameter: {}={}\" and the service ignores the "
                                        "setting",
                                        ov.name, ov.value));
        } else if (verdict == OptionNames::Verdict::kUnused && (exact || avail != Availability::kKnown)) {
          if (!suggester) suggester.emplace(table.ok() ? table->NamesKnownIn(*version) : std::vector<std::string_view>{},
                                            std::vector<std::string_view>{});
          std::string nearest = suggester->Nearest(ov.name);
          message = fmt::format("`-o {}` in service {} names no Postfix parameter", ov.name, Label(svc));
          details.push_back(fmt::format("postconf warns \"unused parameter: {}={}\" and the service ignores the "
                                        "setting",
                                        ov.name, ov.value));
          if (!nearest.empty()) details.push_back(fmt::format("did you mean {}?", nearest));
        } else {
          continue;
        }
        Diagnostic& d =
            sink.Report({master.source, ov.name_begin, ov.name_end}, std::move(message), Label(svc) + "/" + ov.name);
        for (std::string& text : details) d.notes.push_back({Location{}, std::move(text)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnknownOptionParameterRule() { return std::make_unique<UnknownOptionParameter>(); }

}  // namespace postvet
