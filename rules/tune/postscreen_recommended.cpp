// PV505 postscreen-recommended: a public smtpd on port 25 without
// postscreen in front has a high process limit (at least the floor,
// min_smtpd_processes) and asks DNS lists in its restrictions. Such a
// server keeps one smtpd process busy per bot connection while it queries
// the lists one after another; postscreen(8) runs as a single process, asks
// all its postscreen_dnsbl_sites in parallel (through dnsblog), drops most
// bots before any smtpd is started and hands only the rest to smtpd
// (POSTSCREEN_README). Advice only (info), no fix: enabling postscreen means
// editing master.cf in several places (PV409 checks the wiring).
#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet {
namespace {

class PostscreenRecommended : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV505",
            .slug = "postscreen-recommended",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "a public smtpd with a high process limit and DNSBLs in smtpd restrictions, without postscreen",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const tune::TuneSettings& settings = FactsOf(ctx).Settings();
    long floor = ctx.config().min_smtpd_processes;
    const std::vector<dnsbl::DnsblList>* lists = nullptr;
    bool lists_read = false;
    for (const tune::ServiceSettings& s : settings.services) {
      if (!s.public_smtpd || s.behind != nullptr || !s.process_limit) continue;
      long limit = *s.process_limit;
      // 0 is no limit at all, the highest there is (PV411 warns about it).
      if (limit != 0 && limit < floor) continue;
      if (!lists_read) {
        lists = &FactsOf(ctx).DnsblLists();
        lists_read = true;
      }
      const dnsbl::DnsblUse* first = nullptr;
      std::vector<std::string> zones;
      for (const dnsbl::DnsblList& list : *lists) {
        if (list.kind == dnsbl::ListKind::kPostscreenSites || !list.InScope(s.service)) continue;
        for (const dnsbl::DnsblUse& use : list.uses) {
          if (!use.ok() || !dnsbl::IsRejectCheck(use.check)) continue;
          if (first == nullptr) first = &use;
          std::string zone = use.CanonicalZone();
          if (std::find(zones.begin(), zones.end(), zone) == zones.end()) zones.push_back(zone);
        }
      }
      if (first == nullptr) continue;
      const MasterWord& name = s.service->field(MasterField::kService);
      Diagnostic& d = sink.Report(
          {ctx.master_cf().source, name.begin, name.end},
          fmt::format("smtpd service {} takes port-25 clients directly with {} processes and asks {} DNS list{}",
                      s.label, limit == 0 ? std::string("unlimited") : std::to_string(limit), zones.size(),
                      zones.size() == 1 ? "" : "s"),
          s.label);
      if (first->zone_location.source != nullptr) {
        d.notes.push_back({first->zone_location, fmt::format("{} {} is queried here", dnsbl::CheckKindName(first->check),
                                                             first->zone)});
      }
      d.notes.push_back({{}, fmt::format("it asks them ({}) in its restrictions, one after another, while each "
                                         "client holds a process",
                                         fmt::join(zones, ", "))});
      d.notes.push_back({{}, "postscreen in front would ask them in parallel (postscreen_dnsbl_sites) in one "
                             "process and keep most bots away from smtpd"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewPostscreenRecommendedRule() { return std::make_unique<PostscreenRecommended>(); }

}  // namespace postvet
