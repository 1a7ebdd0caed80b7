// Facts: what rules, probe, diff and tune derive from one configuration
// beyond its models, each computed on first use and then shared: the DNSBL
// lists with their entries, the per-service effective settings (process
// limits, stress modes, the stress-dependent values), the parsed smtpd
// restriction lists of main.cf and every smtpd service, default_process_limit,
// and the one answer to "what value does service S see for parameter X,
// under stress or not, for target version V" (ValueFor()).
//
// Contract: one Facts per LintContext, reached with FactsOf(ctx) (cached in
// the context: built once, lazily, and dropped with it). It refers to the
// context's models: use it while the context lives, from one thread (as
// the context). Nothing here reports; expansion errors come back as data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

class LintContext;
class TargetVersion;
struct MasterService;
namespace dnsbl {
struct DnsblList;
struct DnsblUse;
}  // namespace dnsbl
namespace tune {
struct TuneSettings;
}  // namespace tune
namespace main_rules {
class MainFacts;
}  // namespace main_rules
struct TableReference;
namespace restriction {
struct RestrictionList;
}  // namespace restriction

/// Which value of a stress-dependent parameter (`${stress?{a}:{b}}`) to take.
enum class Stress : uint8_t {
  kAsConfigured,  ///< as the service's own `stress` (or main.cf's) sets it
  kNormal,        ///< stress= (empty), as master(8) starts a service below its limit
  kUnder,         ///< stress=yes, as master(8) starts processes at the limit
};

class Facts {
 public:
  explicit Facts(const LintContext& ctx);
  ~Facts();
  Facts(const Facts&) = delete;
  Facts& operator=(const Facts&) = delete;

  const LintContext& ctx() const { return ctx_; }
  /// The configuration's target Postfix version (the context's).
  const TargetVersion& target() const;

  /// The value service `service` (null: main.cf's scope, no service) sees
  /// for parameter `param`: its `-o` options and read-only names, main.cf,
  /// the service-derived names of master.cf, then the built-in defaults of
  /// `version` (null: target()), $-expanded with `stress`. The error when
  /// the value does not expand (PV103/PV107 report it).
  Result<std::string> ValueFor(const MasterService* service, std::string_view param,
                               Stress stress = Stress::kAsConfigured, const TargetVersion* version = nullptr) const;
  /// ValueFor(), but when the configured value does not expand, the
  /// built-in default of the target version (what the author can rely on);
  /// nullopt when neither expands.
  std::optional<std::string> ValueOrDefault(const MasterService* service, std::string_view param) const;

  /// default_process_limit as master(8) reads it: what maxproc `-` stands
  /// for (100 when unset, not a number or below 1; PV106 reports those).
  long DefaultProcessLimit() const;

  /// Every list that uses DNS lists or might, with its entries split into
  /// uses (rules/dnsbl/dnsbl_uses.hpp, CollectDnsblLists()).
  const std::vector<dnsbl::DnsblList>& DnsblLists() const;
  /// All uses of all lists, flattened, in DnsblLists() order.
  std::vector<dnsbl::DnsblUse> DnsblUses() const;

  /// The settings of every service (src/tune/service_settings.hpp).
  const tune::TuneSettings& Settings() const;

  // main.cf facts and table references (issue 17).
  /// What the main.cf rules share (src/facts/main/main_facts.hpp): postconf's
  /// name registration, the lookup scope, the service-derived names. Built on
  /// the first call; only for a context that has a main.cf.
  main_rules::MainFacts& Main() const;
  /// Every regexp:/pcre: table main.cf and master.cf name, and which
  /// parameter or service option names it (src/config/table_refs.hpp): the
  /// list the loader read the tables from, not computed again.
  const std::vector<TableReference>& TableReferences() const;
  /// The smtpd restriction lists of main.cf and of every smtpd service,
  /// parsed (src/facts/restriction/restriction_lists.hpp).
  const std::vector<restriction::RestrictionList>& RestrictionLists() const;

 private:
  struct Cache;
  const LintContext& ctx_;
  std::unique_ptr<Cache> cache_;
};

/// The Facts of `ctx`, built on first use and cached in it.
const Facts& FactsOf(const LintContext& ctx);

/// Parses default_process_limit's expanded value as master(8) does: 100 when
/// it is missing, empty, not a whole number or below 1.
long ParseDefaultProcessLimit(const std::optional<std::string>& expanded);

}  // namespace postvet
