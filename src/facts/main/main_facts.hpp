// MainFacts: what the main.cf rules (PV101-PV107) need to know about one
// configuration, built once per configuration and reached through
// FactsOf(ctx).Main() (src/facts/facts.hpp): postconf's
// name registration (src/model/known_names.hpp) over main.cf and master.cf,
// the service-derived names, the main.cf lookup context, the parameter table
// and the target Postfix version; plus helpers that place a byte range of a
// stored main.cf value at its bytes in the file (continuation lines
// included) and tell which names PV105 owns.
//
// Contract: built from a context that has a main.cf (rules check
// ctx.main_file() first). The parameter table may be missing (a build
// defect); callers then skip what needs it. Nothing here reports.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/location.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/defaults.hpp"
#include "src/model/expand.hpp"
#include "src/model/known_names.hpp"
#include "src/model/logical_line.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/param_context.hpp"
#include "src/model/param_info.hpp"

namespace postvet::main_rules {

/// The target version of `ctx` (ProjectConfig::postfix_version; 3.7 when unparsable).
PostfixVersion TargetVersion(const LintContext& ctx);

/// The embedded parameter table, or null when it failed to load.
const ParamTable* Params();

/// The obsolete-parameter entry PV105 reports for `name` in series `v`, or null.
const ObsoleteInfo* ObsoleteParameter(const ParamTable& table, std::string_view name, PostfixVersion v);

/// True when a `$name` reference ending at `end` in `value` is a test
/// (`${name?...}`, `${name:...}`): Postfix checks whether the name has a
/// value but does not expand it.
bool IsTestReference(std::string_view value, uint32_t end);

class MainFacts {
 public:
  explicit MainFacts(const LintContext& ctx);
  MainFacts(const MainFacts&) = delete;
  MainFacts& operator=(const MainFacts&) = delete;

  const LintContext& ctx() const { return ctx_; }
  const MainCf& main_cf() const { return ctx_.main_cf(); }
  const Source& source() const { return *ctx_.main_file()->source; }
  const Defaults& defaults() const { return ctx_.target().defaults(); }
  PostfixVersion version() const { return version_; }
  /// A master.cf is part of the configuration (service-derived names are known).
  bool has_master() const { return ctx_.master_file() != nullptr; }
  const std::vector<MasterServiceInfo>& services() const { return services_; }
  const ServiceParams& service_params() const { return service_params_; }
  /// postconf's registration outcome (user names, undefined names, ...).
  const KnownNames& known() const { return known_; }
  /// The main.cf lookup scope as postconf leaves it after registration
  /// (read-only assignments hidden).
  ParamContext& scope() { return scope_; }

  /// postconf 3.7 does not call `name` an unused parameter. When postconf
  /// would stop before finishing its registration, names referenced anywhere
  /// as `$name` or listed as restriction classes count as known too.
  bool PostconfKnows(std::string_view name) const;
  /// `name` is service-derived or a validated user-defined name (or, when
  /// postconf would stop early, referenced anywhere).
  bool UserOrService(std::string_view name) const;
  /// main.cf assigns a read-only name here (postconf deletes the assignment).
  bool IsHidden(std::string_view name) const;

  /// The file bytes of stored value bytes [b, e) of definition `d`.
  Location ValueLocation(const MainCfDefinition& d, size_t b, size_t e) const;

 private:
  const LintContext& ctx_;
  PostfixVersion version_;
  std::vector<MasterServiceInfo> services_;
  const ServiceParams& service_params_;  // the context's
  ParamContext scope_;
  KnownNames known_;
  std::set<std::string, std::less<>> fallback_refs_;  // only when known_.fatal
  // The joined value lines of the definition ValueLocation() saw last: it
  // is called once per reference, mostly several times in a row for one.
  mutable const MainCfDefinition* joined_for_ = nullptr;
  mutable LogicalLine joined_;
};

}  // namespace postvet::main_rules
