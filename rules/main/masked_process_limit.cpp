// PV113 masked-process-limit: main.cf raises default_process_limit above
// its default (100), but no master.cf service takes its limit from it:
// every service that could (inet, unix, unix-dgram and pass services whose
// daemon does not insist on a limit of its own, format spec 8.1) has an
// explicit maxproc instead of `-`. The author most likely meant to let more
// smtpd processes run, and none will. It stays silent when the value is
// read anyway: a `$default_process_limit` reference in main.cf or an -o
// value, or a postscreen service whose postscreen_pre_queue_limit or
// postscreen_post_queue_limit default ($default_process_limit) is in force.
// What is left for it to do is minor (master_listen.c sizes the listen()
// backlog as the larger of maxproc and default_process_limit; qmgr keeps
// that many in_flow_delay tokens), hence severity info. No fix: which
// maxproc was meant to grow is the author's call.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/model/expand.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

constexpr long kDefaultLimit = 100;  // DEF_PROC_LIMIT

bool References(std::string_view value, std::string_view name) {
  for (const MacroRef& r : ListMacroRefs(value)) {
    if (r.name == name) return true;
  }
  return false;
}

bool TakesDefaultLimit(const MasterService& svc) {
  switch (svc.type) {
    case ServiceType::kInet:
    case ServiceType::kUnix:
    case ServiceType::kUnixDgram:
    case ServiceType::kPass: break;
    default: return false;
  }
  return master_rules::RequiredProcessLimit(CommandName(svc)) < 0;
}

class MaskedProcessLimit : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV113",
            .slug = "masked-process-limit",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "default_process_limit is raised, but every service has its own maxproc, so no limit changes",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {"default_process_limit"}, false, false}; }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    if (d == nullptr || ctx.master_file() == nullptr) return;
    const long limit = master_rules::DefaultProcessLimit(ctx);
    if (limit <= kDefaultLimit) return;
    for (const MainCfDefinition& def : ctx.main_cf().definitions()) {
      if (References(def.value, name)) return;
    }
    std::vector<std::string> masking;
    std::string smtpd_example;
    for (const MasterService& svc : ctx.master_cf().services) {
      if (master_rules::IsArgumentLine(svc)) continue;
      for (const MasterOverride& ov : svc.overrides) {
        if (ov.ok() && References(ov.value, name)) return;
      }
      if (CommandName(svc) == "postscreen") {
        for (std::string_view queue : {"postscreen_pre_queue_limit", "postscreen_post_queue_limit"}) {
          if (svc.FindOverride(queue) == nullptr && ctx.main_cf().Find(queue) == nullptr) return;
        }
      }
      if (!TakesDefaultLimit(svc)) continue;
      const MasterWord& maxproc = svc.field(MasterField::kProcessLimit);
      if (maxproc.text == "-") return;  // this one uses it
      masking.push_back(Label(svc));
      if (smtpd_example.empty() && CommandName(svc) == "smtpd" && svc.type == ServiceType::kInet) {
        smtpd_example = fmt::format("{} (maxproc {})", Label(svc), maxproc.text);
      }
    }
    if (masking.empty()) return;

    const Source& src = *ctx.main_file()->source;
    Diagnostic& diag = sink.Report({&src, d->value_begin, d->value_end},
                                   fmt::format("default_process_limit = {} changes no process limit: every service "
                                               "sets its own maxproc",
                                               d->value),
                                   std::string(name));
    diag.notes.push_back({{}, fmt::format("master(8) uses default_process_limit only for a maxproc of `-`; all {} "
                                          "services that could use it have a number instead",
                                          masking.size())});
    diag.notes.push_back({{}, "it still sizes the listen() backlog of services with a lower maxproc and qmgr's "
                              "in_flow_delay tokens, nothing else"});
    if (!smtpd_example.empty()) {
      diag.notes.push_back({{}, fmt::format("to run more SMTP server processes, raise the maxproc field of {}, or "
                                            "set it to `-`",
                                            smtpd_example)});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewMaskedProcessLimitRule() { return std::make_unique<MaskedProcessLimit>(); }

}  // namespace postvet
