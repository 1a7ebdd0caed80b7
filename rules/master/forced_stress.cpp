// PV401 forced-stress: a master.cf service sets `-o stress=<non-empty>`.
// master(8) adds `-o stress=` (empty) to non-local services with a process
// limit above 1 and patches it to `stress=yes` only while the service is at
// its limit (format spec 8.1); the user's `-o` comes after the master's own,
// so it wins and the service runs in overload mode all the time: smtpd
// drops its timeouts to 10s and its error limits to 1 for every client.
// Any non-empty value counts, `stress=no` included (spec 8.1, edge case 60).
// Fix (safe): delete the service's `-o stress=...` options, which gives the
// service back to the master's adaptive mechanism (not offered when `-o`
// shares its word with other option letters, as in `-vo stress=yes`).
#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/fix/option_text.hpp"
#include "src/engine/rule.hpp"
#include "grammar/cst.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

bool AllBlank(std::string_view s) {
  for (char c : s) {
    if (!IsSpace(c)) return false;
  }
  return true;
}

class ForcedStress : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV401",
            .slug = "forced-stress",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "a service sets -o stress=yes (permanent overload mode, RFC-violating timeouts)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc)) return;
    const MasterOverride* stress = svc.FindOverride("stress");
    // The daemon's split_nameval() trims the value; blanks alone mean "off".
    if (stress == nullptr || AllBlank(stress->value)) return;
    const Source* src = ctx.master_cf().source;

    std::string any_value =
        stress->value == "yes" ? std::string() : "any non-empty value means stress, even \"no\"; ";
    bool adaptive = ReceivesStressOption(svc, master_rules::DefaultProcessLimit(ctx), master_rules::InetInterfaces(ctx));
    std::string effect =
        CommandName(svc) == "smtpd"
            ? "smtpd then uses its overload settings for every client (smtpd_timeout 10s, "
              "smtpd_hard_error_limit 1, smtpd_junk_command_limit 1), far below RFC 5321's timeouts"
            : "every ${stress}-dependent setting of this service takes its overload value";
    std::string normally = adaptive ? "master(8) would set stress only while the service is at its process limit"
                                    : "without it the service follows main.cf's `stress` (normally empty)";
    Diagnostic& d = sink.Report(
        {src, stress->begin, stress->end},
        fmt::format("service {} is forced into stress mode for good by `stress={}`", Label(svc), stress->value),
        Label(svc) + "/stress");
    d.notes.push_back({Location{}, fmt::format("{}{}; {}", any_value, effect, normally)});

    Fix fix{Applicability::kSafe, "remove the -o stress option", {}};
    for (const MasterOverride& ov : svc.overrides) {
      if (!ov.ok() || ov.name != "stress") continue;
      // `-vo stress=yes` shares its word with other option letters.
      if (ov.form == OverrideForm::kCombined) return;
      fix.edits.push_back(master_rules::DeleteOptionEdit(*src, ov.begin, ov.end));
    }
    for (size_t i = 1; i < fix.edits.size(); ++i) {
      // Two options on one line can claim the same blanks; keep them apart.
      if (fix.edits[i].begin < fix.edits[i - 1].end) fix.edits[i].begin = fix.edits[i - 1].end;
      if (fix.edits[i].end < fix.edits[i].begin) fix.edits[i].end = fix.edits[i].begin;
    }
    d.fix = std::move(fix);
  }
};

}  // namespace

std::unique_ptr<Rule> NewForcedStressRule() { return std::make_unique<ForcedStress>(); }

}  // namespace postvet
