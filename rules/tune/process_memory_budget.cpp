// PV502 process-memory-budget: if every service ran at its process limit,
// the processes would need more memory than the machine has (`--memory
// SIZE`, `--memory auto` in `postvet tune`, or `memory` in .postvet.cf).
// master(8) starts processes up to each service's limit under load
// (format spec 9); when they do not fit, the kernel swaps or its OOM killer
// ends processes, which is worse than clients waiting for a free process.
// Per-process sizes are the estimates of rules/data/daemon-memory.tsv.
// Services with maxproc 0 have no limit to multiply and are named apart.
// No fix: whether to lower limits or add memory is the admin's call.
#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet {
namespace {

class ProcessMemoryBudget : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV502",
            .slug = "process-memory-budget",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "the services at their process limits need more memory than --memory gives",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const std::optional<unsigned long long>& memory = ctx.config().memory_bytes;
    if (!memory || ctx.master_file() == nullptr) return;
    const tune::TuneSettings& settings = FactsOf(ctx).Settings();
    tune::MemoryBudget budget = tune::ComputeBudget(settings);
    if (budget.total <= *memory || budget.services.empty()) return;
    std::string top;
    size_t shown = 0;
    for (const tune::ServiceMemory& m : budget.services) {
      if (shown == 3) break;
      top += fmt::format("{}{} {} x {} = {}", shown == 0 ? "" : ", ", m.service->label, m.processes,
                         tune::FormatBytes(tune::MemoryFor(m.service->command).bytes), tune::FormatBytes(m.bytes));
      ++shown;
    }
    std::string unlimited;
    for (const tune::ServiceSettings* s : budget.unlimited) {
      unlimited += (unlimited.empty() ? "" : ", ") + s->label;
    }
    const tune::ServiceMemory& biggest = budget.services.front();
    Diagnostic& d = sink.Report(
        biggest.service->limit_location,
        fmt::format("at their process limits the services need about {} of memory, more than the {} available",
                    tune::FormatBytes(budget.total), tune::FormatBytes(*memory)),
        "memory");
    if (biggest.service->limit_source == tune::LimitSource::kDefaultProcessLimit &&
        settings.default_process_limit_location.source != nullptr) {
      d.notes.push_back({settings.default_process_limit_location,
                         fmt::format("default_process_limit = {} sizes every `-` service",
                                     settings.default_process_limit)});
    }
    d.notes.push_back({{}, "under load the machine would swap or the kernel would kill processes"});
    d.notes.push_back({{}, fmt::format("largest: {}{} (estimates from rules/data/daemon-memory.tsv)", top,
                                       unlimited.empty() ? "" : "; not counted, no limit: " + unlimited)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewProcessMemoryBudgetRule() { return std::make_unique<ProcessMemoryBudget>(); }

}  // namespace postvet
