// PV503 many-processes: a service may run more than 1000 processes. Postfix
// supports that only when built with kernel event filters (epoll, kqueue,
// /dev/poll; Postfix 2.4 and later, the Debian build uses epoll): with
// select() a process watches at most FD_SETSIZE = 1024 descriptors, and the
// single-process servers (anvil, scache, tlsmgr, proxymap, postscreen, qmgr)
// hold one connection per client process. Beyond that, the file descriptor
// limit (RLIMIT_NOFILE), the process limits of the OS and the process
// limits of the policy servers smtpd talks to must be raised as well
// (format spec 9; STRESS_README, TUNING_README). Advice only, no fix.
#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet {
namespace {

constexpr long kThreshold = 1000;

constexpr std::string_view kWhat =
    "Postfix needs a build with epoll, kqueue or /dev/poll event handling (select() stops at 1024 descriptors in "
    "anvil, scache, proxymap, tlsmgr, postscreen and qmgr, which keep one connection per client process), "
    "enough file descriptors (RLIMIT_NOFILE) and OS process slots, and policy servers sized to match";

class ManyProcesses : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV503",
            .slug = "many-processes",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "more than 1000 processes: needs epoll/kqueue and enough file descriptors",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const tune::TuneSettings& settings = FactsOf(ctx).Settings();
    std::string via_default;
    size_t via_default_count = 0;
    for (const tune::ServiceSettings& s : settings.services) {
      if (!s.process_limit || *s.process_limit <= kThreshold) continue;
      if (s.limit_source == tune::LimitSource::kMaxproc) {
        Diagnostic& d = sink.Report(s.limit_location,
                                    fmt::format("service {} may run {} {} processes", s.label, *s.process_limit, s.command),
                                    s.label + "/process_limit");
        d.notes.push_back({{}, std::string(kWhat)});
      } else if (s.limit_source == tune::LimitSource::kDefaultProcessLimit) {
        if (via_default_count < 5) via_default += (via_default.empty() ? "" : ", ") + s.label;
        ++via_default_count;
      }
    }
    if (via_default_count == 0) return;
    if (via_default_count > 5) via_default += fmt::format(" and {} more", via_default_count - 5);
    Location where = settings.default_process_limit_location;
    if (where.source == nullptr) return;  // the built-in 100 is not above the threshold
    Diagnostic& d = sink.Report(where,
                                fmt::format("default_process_limit = {} lets {} run that many processes each",
                                            settings.default_process_limit, via_default),
                                "default_process_limit");
    d.notes.push_back({{}, std::string(kWhat)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewManyProcessesRule() { return std::make_unique<ManyProcesses>(); }

}  // namespace postvet
