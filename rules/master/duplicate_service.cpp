// PV407 duplicate-service: two master.cf entries that master(8) takes for
// the same service: the same type and canonical endpoint (endpoint.hpp;
// format spec 5.4), so `smtp inet` and `25 inet` collide while `foo unix y`
// and `foo unix n` (private/foo, public/foo) do not. master(8) warns
// `duplicate master.cf entry for service "smtp" (25) -- using the last entry`
// and runs only the last one; postconf lists both without a word. Every
// earlier entry is reported, with a note at the one that wins. No fix: which
// of the two was meant is for the author to say.
#include <fmt/format.h>

#include <map>

#include "src/facts/master/endpoint.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using master_rules::Label;

class DuplicateService : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV407",
            .slug = "duplicate-service",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "the same service name and type defined twice",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const MasterCf& master = ctx.master_cf();
    std::map<std::string, std::vector<const MasterService*>> by_key;
    std::vector<std::string> order;
    for (const MasterService& svc : master.services) {
      if (master_rules::IsArgumentLine(svc)) continue;
      std::optional<master_rules::Endpoint> e = master_rules::ServiceEndpoint(svc);
      if (!e) continue;
      auto& list = by_key[e->Key()];
      if (list.empty()) order.push_back(e->Key());
      list.push_back(&svc);
    }
    for (const std::string& key : order) {
      const auto& list = by_key[key];
      if (list.size() < 2) continue;
      const MasterService* last = list.back();
      std::string canonical = master_rules::ServiceEndpoint(*last)->Canonical();
      for (size_t i = 0; i + 1 < list.size(); ++i) {
        const MasterService* dead = list[i];
        const MasterWord& name = dead->field(MasterField::kService);
        std::string same = dead->name() == last->name()
                               ? std::string()
                               : fmt::format(" (`{}` and `{}` are the same endpoint, {})", dead->name(),
                                             last->name(), canonical);
        Diagnostic& d = sink.Report({master.source, name.begin, name.end},
                                    fmt::format("service {} is defined again on line {}{}", Label(*dead),
                                                last->line, same),
                                    key);
        d.notes.push_back({{master.source, last->field(MasterField::kService).begin,
                            last->field(MasterField::kService).end},
                           fmt::format("the entry master(8) uses: {}", Label(*last))});
        d.notes.push_back({Location{}, fmt::format("master(8) warns 'duplicate master.cf entry for service \"{}\" "
                                                   "({}) -- using the last entry' and ignores this one",
                                                   dead->name(), canonical)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewDuplicateServiceRule() { return std::make_unique<DuplicateService>(); }

}  // namespace postvet
