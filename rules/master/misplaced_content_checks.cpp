// PV412 misplaced-content-checks: `-o header_checks=...` (also body_checks,
// mime_header_checks, nested_header_checks) on a master.cf service whose
// daemon is not cleanup(8). Only cleanup reads these four parameters
// (cleanup_init.c); smtpd(8) and the other receiving daemons hand the
// message to the cleanup service named by cleanup_service_name, which runs
// with its own settings. The option is accepted without a word (postconf
// knows the name) and changes nothing. The one exception is a `$name`
// reference: when another value the daemon reads (one of the service's -o
// values, or a main.cf value) says `$header_checks`, the option does reach
// the daemon, and the rule stays silent. No fix: moving the setting to a
// cleanup service is the author's decision.
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/model/expand.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

constexpr std::array<std::string_view, 4> kCleanupChecks = {"header_checks", "body_checks", "mime_header_checks",
                                                            "nested_header_checks"};

bool IsCleanupCheck(std::string_view name) {
  for (std::string_view n : kCleanupChecks) {
    if (n == name) return true;
  }
  return false;
}

bool References(std::string_view value, std::string_view name) {
  for (const MacroRef& r : ListMacroRefs(value)) {
    if (r.name == name) return true;
  }
  return false;
}

// Something the daemon reads refers to `name`, so the -o value is used.
bool Referenced(const LintContext& ctx, const MasterService& svc, std::string_view name) {
  for (const MasterOverride& ov : svc.overrides) {
    if (ov.ok() && References(ov.value, name)) return true;
  }
  if (ctx.main_file() != nullptr) {
    for (const MainCfDefinition& d : ctx.main_cf().definitions()) {
      if (References(d.value, name)) return true;
    }
  }
  return false;
}

class MisplacedContentChecks : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV412",
            .slug = "misplaced-content-checks",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "-o header_checks/body_checks on a service that is not cleanup(8), which never reads them",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, true, false}; }

  void CheckService(const LintContext& ctx, size_t index, Sink& sink) const override {
    const MasterService& svc = ctx.master_cf().services[index];
    if (master_rules::IsArgumentLine(svc)) return;
    std::string_view command = CommandName(svc);
    if (command == "cleanup") return;
    const Source* src = ctx.master_cf().source;
    for (const MasterOverride& ov : svc.overrides) {
      if (!ov.ok() || !IsCleanupCheck(ov.name) || Referenced(ctx, svc, ov.name)) continue;
      Diagnostic& d = sink.Report(
          {src, ov.begin, ov.end},
          fmt::format("-o {} in service {} has no effect: {} never reads it", ov.name, Label(svc), command),
          Label(svc) + "/" + ov.name);
      d.notes.push_back({Location{}, fmt::format("only cleanup(8) applies {}", ov.name)});
      if (command == "smtp" || command == "lmtp") {
        d.notes.push_back({Location{}, fmt::format("for mail that {} sends, use -o {}_{}", command, command,
                                                   ov.name)});
      } else if (command == "smtpd" || command == "qmqpd" || command == "pickup") {
        std::string cleanup =
            master_rules::ExpandInService(ctx, svc, "cleanup_service_name").value_or("cleanup");
        d.notes.push_back({Location{}, fmt::format("{} passes the message to the cleanup service \"{}\": set "
                                                   "{} there (or on a cleanup service of its own, named with -o "
                                                   "cleanup_service_name=...)",
                                                   command, cleanup, ov.name)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewMisplacedContentChecksRule() { return std::make_unique<MisplacedContentChecks>(); }

}  // namespace postvet
