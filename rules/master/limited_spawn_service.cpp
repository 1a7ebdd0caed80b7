// PV413 limited-spawn-service: a master.cf service run by spawn(8) (the
// way Postfix runs a policy server, SMTPD_POLICY_README) whose process
// limit is not 0. spawn(8) serves one client connection per process, and
// every smtpd process holds a connection to its policy server while it
// runs; with a fixed limit, once more smtpd processes ask than there are
// policy processes, the extra ones get "connection refused" or time out
// (STRESS_README). SMTPD_POLICY_README asks for "0" instead of the default
// "-". A limit master(8) rejects is PV408's business. Fix (unsafe: it
// changes how many processes may run): set the maxproc field to 0.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/master/master_common.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

class LimitedSpawnService : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV413",
            .slug = "limited-spawn-service",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "a spawn(8) service (a policy server) whose maxproc is not 0",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const MasterCf& master = ctx.master_cf();
    // How many smtpd processes may run at once (0: no limit).
    long smtpd_total = 0;
    bool smtpd_unlimited = false;
    for (const MasterService& svc : master.services) {
      if (CommandName(svc) != "smtpd" || master_rules::IsArgumentLine(svc)) continue;
      std::optional<long> limit = master_rules::ProcessLimit(ctx, svc);
      if (!limit) continue;
      if (*limit == 0) smtpd_unlimited = true;
      smtpd_total += *limit;
    }
    for (const MasterService& svc : master.services) {
      if (CommandName(svc) != "spawn" || master_rules::IsArgumentLine(svc)) continue;
      std::optional<long> limit = master_rules::ProcessLimit(ctx, svc);
      if (!limit || *limit == 0) continue;
      const MasterWord& word = svc.field(MasterField::kProcessLimit);
      std::string shown = word.text == "-" ? fmt::format("- ({})", *limit) : word.text;
      Diagnostic& d = sink.Report({master.source, word.begin, word.end},
                                  fmt::format("spawn service {} has maxproc {}, not 0", Label(svc), shown),
                                  Label(svc) + "/process_limit");
      if (smtpd_unlimited || smtpd_total > *limit) {
        std::string smtpd = smtpd_unlimited ? std::string("smtpd services without a limit")
                                            : fmt::format("up to {} smtpd processes", smtpd_total);
        d.notes.push_back({Location{}, fmt::format("spawn(8) runs one policy process per connection and each smtpd "
                                                   "process keeps its connection open; with {} and at most {} policy "
                                                   "processes, the others get \"connection refused\" or time out",
                                                   smtpd, *limit)});
      } else {
        d.notes.push_back({Location{}, fmt::format("spawn(8) runs one policy process per connection; today's {} smtpd "
                                                   "processes fit, but raising an smtpd maxproc later makes the "
                                                   "others get \"connection refused\" or time out",
                                                   smtpd_total)});
      }
      d.notes.push_back({Location{}, "SMTPD_POLICY_README: specify a \"0\" process limit for a spawn policy service"});
      d.fix = Fix{Applicability::kUnsafe, "set the process limit to 0 (no limit)",
                  {Edit{master.source, word.begin, word.end, "0"}}};
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewLimitedSpawnServiceRule() { return std::make_unique<LimitedSpawnService>(); }

}  // namespace postvet
