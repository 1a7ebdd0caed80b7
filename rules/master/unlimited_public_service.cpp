// PV411 unlimited-public-service: an inet service that listens beyond the
// loopback interface has maxproc 0. 0 means no limit at all (format spec 9:
// MASTER_LIMIT_OK is `limit == 0 || count < limit`), so master(8) forks one
// daemon per connection for as long as clients keep connecting: a flood
// exhausts memory, process slots and the connections of the helpers every
// daemon talks to (anvil, proxymap, policy servers). master(8) also never
// makes such a service stress-adaptive, because it adds `-o stress=` only
// to services whose limit is above 1 (spec 8.1). Services whose daemon
// insists on a limit (PV408) and loopback-only services are left out.
// No fix: the right limit depends on the machine (see PV5xx).
#include <fmt/format.h>

#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using master_rules::Label;

class UnlimitedPublicService : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV411",
            .slug = "unlimited-public-service",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "maxproc 0 (unlimited) on an inet service",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (svc.type != ServiceType::kInet || master_rules::IsArgumentLine(svc)) return;
    std::string_view command = master_rules::CommandName(svc);
    if (master_rules::RequiredProcessLimit(command) >= 0) return;  // PV408's business
    std::optional<long> limit = master_rules::ProcessLimit(ctx, svc);
    if (!limit || *limit != 0) return;
    if (IsLocalOnly(svc, master_rules::InetInterfaces(ctx))) return;
    const MasterWord& word = svc.field(MasterField::kProcessLimit);
    Diagnostic& d = sink.Report({ctx.master_cf().source, word.begin, word.end},
                                fmt::format("inet service {} has maxproc {} (no limit)", Label(svc), word.text),
                                Label(svc) + "/process_limit");
    d.notes.push_back({Location{}, fmt::format("master(8) starts a new {} for every connection, so a flood of "
                                               "clients can exhaust memory and processes, and the service never gets "
                                               "stress-adaptive behaviour (that needs a limit above 1)",
                                               command)});
    d.notes.push_back({Location{}, fmt::format("set a limit such as `-` (default_process_limit = {})",
                                               master_rules::DefaultProcessLimit(ctx))});
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnlimitedPublicServiceRule() { return std::make_unique<UnlimitedPublicService>(); }

}  // namespace postvet
