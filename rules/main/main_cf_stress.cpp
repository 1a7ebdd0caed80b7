// PV112 main-cf-stress: main.cf sets `stress` to a non-empty value. The
// parameter is master(8)'s signal to a daemon (format spec 8.1): for a
// service that is not local-only and whose process limit is above 1,
// master_ent.c adds `-o stress=` to the command line and master_spawn.c
// patches it to `stress=yes` while the service is at its limit. That
// option overrides main.cf, so for those services a main.cf value does
// nothing. Every other process reads main.cf's value as it is: local-only
// services (every unix service, inet services on loopback only), services
// with maxproc 0 or 1, and the command-line tools. Since `${stress?...}`
// tests for any non-empty value ("no" included), they all run with the
// overload settings for good: smtpd on a content-filter return port drops
// to a 10s timeout and an error limit of 1, address verification polls
// once. PV401 is the same mistake as `-o stress=...` on one service. Fix
// (unsafe: it ends overload mode where it held): delete the definition.
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/master/master_common.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::Label;

bool AllBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  }
  return true;
}

// "a, b and 3 more".
std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  const size_t shown = names.size() > 3 ? 2 : names.size();
  for (size_t i = 0; i < shown; ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  if (shown < names.size()) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

class MainCfStress : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV112",
            .slug = "main-cf-stress",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "main.cf sets stress, which puts every service master(8) does not pass -o stress= into "
                       "overload mode for good",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {"stress"}, false, false}; }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    if (d == nullptr) return;
    std::optional<std::string> value = master_rules::ExpandMain(ctx, name);
    if (!value || AllBlank(*value)) return;  // empty is the default: no stress

    std::vector<std::string> adaptive;  // master(8) overrides main.cf for these
    std::vector<std::string> stressed_smtpd;
    std::vector<std::string> stressed_other;
    if (ctx.master_file() != nullptr) {
      const long default_limit = master_rules::DefaultProcessLimit(ctx);
      const std::string interfaces = master_rules::InetInterfaces(ctx);
      for (const MasterService& svc : ctx.master_cf().services) {
        if (master_rules::IsArgumentLine(svc) || svc.FindOverride("stress") != nullptr) continue;  // PV401's
        if (ReceivesStressOption(svc, default_limit, interfaces)) {
          adaptive.push_back(Label(svc));
        } else if (CommandName(svc) == "smtpd") {
          stressed_smtpd.push_back(Label(svc));
        } else {
          stressed_other.push_back(Label(svc));
        }
      }
    }

    const Source& src = *ctx.main_file()->source;
    Diagnostic& diag = sink.Report({&src, d->name_begin, d->value_end > d->name_end ? d->value_end : d->name_end},
                                   fmt::format("main.cf sets stress = {}, a value only master(8) should set", *value),
                                   std::string(name));
    if (*value != "yes") {
      diag.notes.push_back({{}, "${stress?...} tests for any non-empty value, so this means overload mode too"});
    }
    if (!adaptive.empty()) {
      diag.notes.push_back({{}, fmt::format("master(8) starts {} with its own -o stress= (yes only while at the "
                                            "process limit), which overrides main.cf: there it does nothing",
                                            NameList(adaptive))});
    }
    if (!stressed_smtpd.empty()) {
      diag.notes.push_back({{}, fmt::format("local-only services and those with maxproc 0 or 1 get no -o stress= "
                                            "and read this value: smtpd on {} uses the overload values (by default "
                                            "smtpd_timeout 10s, smtpd_hard_error_limit 1) for every client",
                                            NameList(stressed_smtpd))});
    }
    if (!stressed_other.empty() || ctx.master_file() == nullptr) {
      diag.notes.push_back(
          {{}, stressed_other.empty()
                   ? std::string("daemons that master(8) does not start with -o stress= (local-only services, "
                                 "maxproc 0 or 1) and the command-line tools read it and use their overload "
                                 "settings all the time")
                   : fmt::format("{} and the command-line tools also read it and use the overload value of every "
                                 "${{stress}}-dependent setting all the time",
                                 NameList(stressed_other))});
    }
    // Every definition goes: deleting only the last would revive an earlier one.
    Fix fix{Applicability::kUnsafe, "delete the stress setting and leave it to master(8)", {}};
    for (const MainCfDefinition& def : ctx.main_cf().definitions()) {
      if (def.name != name) continue;
      const Node& n = ctx.main_file()->cst->node(def.node);
      fix.edits.push_back(Edit{&src, n.begin, n.end, ""});
    }
    diag.fix = std::move(fix);
  }
};

}  // namespace

std::unique_ptr<Rule> NewMainCfStressRule() { return std::make_unique<MainCfStress>(); }

}  // namespace postvet
