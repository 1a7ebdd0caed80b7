#include "src/facts/facts.hpp"

#include <cstdlib>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/model/target_version.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/param_context.hpp"
#include "src/facts/tune/service_settings.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/config/table_refs.hpp"
#include "src/facts/restriction/restriction_lists.hpp"

namespace postvet {

struct Facts::Cache {
  std::optional<std::vector<dnsbl::DnsblList>> dnsbl_lists;
  std::optional<tune::TuneSettings> settings;
  std::optional<long> default_process_limit;
  std::unique_ptr<main_rules::MainFacts> main;
  std::optional<std::vector<restriction::RestrictionList>> restriction_lists;
};

Facts::Facts(const LintContext& ctx) : ctx_(ctx), cache_(std::make_unique<Cache>()) {}

Facts::~Facts() = default;

const TargetVersion& Facts::target() const { return ctx_.target(); }

Result<std::string> Facts::ValueFor(const MasterService* service, std::string_view param, Stress stress,
                                    const TargetVersion* version) const {
  ParamContext pc = ctx_.Params(service, version);
  if (stress == Stress::kNormal) pc.SetStress(std::string());
  if (stress == Stress::kUnder) pc.SetStress(std::string("yes"));
  return pc.ExpandParam(param);
}

std::optional<std::string> Facts::ValueOrDefault(const MasterService* service, std::string_view param) const {
  Result<std::string> r = ValueFor(service, param);
  if (r.ok()) return std::move(*r);
  ParamContext plain(MainCf::Empty(), target().defaults());
  Result<std::string> d = plain.ExpandParam(param);
  if (d.ok()) return std::move(*d);
  return std::nullopt;
}

long ParseDefaultProcessLimit(const std::optional<std::string>& expanded) {
  if (!expanded || expanded->empty()) return 100;
  char* end = nullptr;
  long n = std::strtol(expanded->c_str(), &end, 10);
  // Postfix refuses anything else (bad numerical configuration / < 1);
  // PV106 says so. Assume the default meanwhile.
  if (end == expanded->c_str() || *end != '\0' || n < 1) return 100;
  return n;
}

long Facts::DefaultProcessLimit() const {
  if (!cache_->default_process_limit) {
    cache_->default_process_limit = ParseDefaultProcessLimit(ValueOrDefault(nullptr, "default_process_limit"));
  }
  return *cache_->default_process_limit;
}

const std::vector<dnsbl::DnsblList>& Facts::DnsblLists() const {
  if (!cache_->dnsbl_lists) cache_->dnsbl_lists = dnsbl::CollectDnsblLists(ctx_);
  return *cache_->dnsbl_lists;
}

std::vector<dnsbl::DnsblUse> Facts::DnsblUses() const {
  std::vector<dnsbl::DnsblUse> out;
  for (const dnsbl::DnsblList& list : DnsblLists()) {
    for (const dnsbl::DnsblUse& use : list.uses) out.push_back(use);
  }
  return out;
}

const tune::TuneSettings& Facts::Settings() const {
  if (!cache_->settings) cache_->settings = tune::ComputeSettings(ctx_);
  return *cache_->settings;
}

main_rules::MainFacts& Facts::Main() const {
  if (!cache_->main) cache_->main = std::make_unique<main_rules::MainFacts>(ctx_);
  return *cache_->main;
}

const std::vector<TableReference>& Facts::TableReferences() const { return TableReferencesOf(ctx_); }

const std::vector<restriction::RestrictionList>& Facts::RestrictionLists() const {
  if (!cache_->restriction_lists) cache_->restriction_lists = restriction::CollectRestrictionLists(ctx_);
  return *cache_->restriction_lists;
}

const Facts& FactsOf(const LintContext& ctx) { return ctx.Derived<Facts>(); }

}  // namespace postvet
