// PV501 undersized-process-limit: the smtpd that receives mail from the
// Internet (port 25, directly or behind postscreen) may run fewer processes
// than the floor. Each smtpd process serves one client at a time, for as
// long as the client takes (up to smtpd_timeout per command, 300s by
// default); when all are busy, master(8) stops accepting on the port and new
// clients wait or give up, and postscreen answers "421 All server ports are
// busy" (format spec 8.1, 9). The floor is min_smtpd_processes (default 100,
// Postfix's own default_process_limit), raised by log evidence when
// `postvet tune --log` saw a higher demand (ProjectConfig::log_evidence).
// The message says where the number comes from: the maxproc field, or
// default_process_limit for `-`.
//
// Fix (unsafe: more processes, more memory): write the floor into the
// service's maxproc field. default_process_limit is left alone because it
// sizes every other `-` service too. When a memory budget is known
// (--memory, `memory` in .postvet.cf) and the raise does not fit in it, no
// fix is offered and a note says so, as tune's advice and PV502 do.
#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet {
namespace {

using tune::LimitSource;
using tune::ServiceSettings;

class UndersizedProcessLimit : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV501",
            .slug = "undersized-process-limit",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "the public smtpd's process limit is below the floor (min_smtpd_processes or log evidence)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const tune::TuneSettings& settings = FactsOf(ctx).Settings();
    const ProjectConfig& config = ctx.config();
    for (const ServiceSettings& s : settings.services) {
      if (!s.public_smtpd || !s.process_limit) continue;
      long limit = *s.process_limit;
      if (limit == 0) continue;  // no limit at all: PV411
      long floor = config.min_smtpd_processes;
      std::string why;
      auto ev = config.log_evidence.find(s.service->name());
      if (ev != config.log_evidence.end() && ev->second.floor > floor) {
        floor = ev->second.floor;
        why = fmt::format("{}, what the logs call for ({}, plus headroom)", floor, ev->second.summary);
      } else {
        why = fmt::format("{} (min_smtpd_processes)", floor);
      }
      if (limit >= floor) continue;
      std::string where = s.behind != nullptr
                              ? fmt::format("smtpd service {} (behind postscreen on {})", s.label,
                                            s.behind->NameSpace())
                              : fmt::format("smtpd service {} (port 25)", s.label);
      Diagnostic& d = sink.Report(
          s.limit_location, fmt::format("{} may run at most {} processes, below the floor of {}", where, limit, floor),
          s.label + "/process_limit");
      if (s.limit_source == LimitSource::kDefaultProcessLimit && settings.default_process_limit_location.source) {
        d.notes.push_back({settings.default_process_limit_location,
                           fmt::format("default_process_limit = {} is set here and sizes every `-` service",
                                       settings.default_process_limit)});
      }
      d.notes.push_back({{}, fmt::format("each process serves one client at a time, so under load new clients wait "
                                         "or are turned away{}",
                                         s.behind != nullptr ? " (postscreen: \"421 All server ports are busy\")" : "")});
      d.notes.push_back({{}, fmt::format("the limit comes from {}; the floor is {}",
                                         tune::DescribeLimitSource(s, settings), why)});
      // One memory budget with tune's advice and PV502: when the raise does
      // not fit in the memory given (--memory, `memory` in .postvet.cf),
      // say so instead of offering it.
      if (config.memory_bytes) {
        const unsigned long long more =
            static_cast<unsigned long long>(floor - limit) * tune::MemoryFor(s.command).bytes;
        const unsigned long long now = tune::ComputeBudget(settings).total;
        if (now + more > *config.memory_bytes) {
          d.notes.push_back({{}, fmt::format("raising it needs about {} more, but the limits already need {} of the {} "
                                             "available: lower other limits or add memory (PV502)",
                                             tune::FormatBytes(more), tune::FormatBytes(now),
                                             tune::FormatBytes(*config.memory_bytes))});
          continue;
        }
      }
      if (s.limit_source == LimitSource::kMaxproc || s.limit_source == LimitSource::kDefaultProcessLimit) {
        d.fix = Fix{Applicability::kUnsafe,
                    fmt::format("raise the maxproc of {} to {} (more processes need more memory)", s.label, floor),
                    {Edit{s.limit_location.source, s.limit_location.begin, s.limit_location.end,
                          std::to_string(floor)}}};
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUndersizedProcessLimitRule() { return std::make_unique<UndersizedProcessLimit>(); }

}  // namespace postvet
