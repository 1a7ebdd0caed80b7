// PV402 stress-disabled: an smtpd service that master(8) would make
// stress-adaptive sets `-o stress=` (empty) itself. master(8) adds
// `-o stress=` to non-local-only inet and pass services whose process limit
// is above 1, and turns it into `stress=yes` for processes started while the
// service is at its limit (format spec 8.1). A user `-o stress=` comes after
// the master's own and wins, so smtpd keeps its normal timeouts and error
// limits while the server is flooded. Only services that receive the
// master's option qualify: elsewhere the option changes nothing. postscreen
// never qualifies: it runs as one process and computes its stress and
// normal values itself (postscreen.c sets stress to "yes" and "" in turn).
// Advice only (info), no fix: turning it off may be deliberate.
#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"
#include "grammar/cst.hpp"

namespace postvet {
namespace {

using master_rules::Label;

class StressDisabled : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV402",
            .slug = "stress-disabled",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "a public smtpd service sets -o stress= (stress-adaptive behaviour off)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc) || master_rules::CommandName(svc) != "smtpd") return;
    const MasterOverride* stress = svc.FindOverride("stress");
    if (stress == nullptr) return;
    for (char c : stress->value) {
      if (!IsSpace(c)) return;  // forced on: PV401
    }
    long default_limit = master_rules::DefaultProcessLimit(ctx);
    if (!ReceivesStressOption(svc, default_limit, master_rules::InetInterfaces(ctx))) return;
    std::optional<long> limit = EffectiveProcessLimit(svc, default_limit);
    Diagnostic& d = sink.Report({ctx.master_cf().source, stress->begin, stress->end},
                                fmt::format("service {} turns stress adaptation off with `-o stress=`", Label(svc)),
                                Label(svc) + "/stress");
    d.notes.push_back({Location{}, fmt::format("master(8) starts smtpd processes with stress=yes while all {} are "
                                               "busy, so that short timeouts and error limits free them for new "
                                               "clients; this `-o stress=` overrides that and keeps the normal "
                                               "values under overload",
                                               limit.value_or(default_limit))});
  }
};

}  // namespace

std::unique_ptr<Rule> NewStressDisabledRule() { return std::make_unique<StressDisabled>(); }

}  // namespace postvet
