// ParamContext: where a `$name` is looked up when a main.cf value is
// expanded, in Postfix's order (postconf_lookup.c, mail_conf.c): a service's
// read-only names (process_name, service_name), its master.cf `-o`
// overrides, main.cf, then the built-in defaults (with service-derived
// names and the host-computed myhostname/mydomain/mynetworks).
//
// Contract: the MainCf, Defaults and service-parameter map must outlive the
// context. Expansion errors come back as data (MacroOutcome) or as a Status
// whose message carries Postfix's warning and "macro processing error".
// Host-computed defaults that Postfix derives by evaluating main.cf values
// can fail (a $-loop through mydomain is fatal even for `postconf -n`); such
// a failure is reported by the expansion that needed it.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "src/model/defaults.hpp"
#include "src/model/expand.hpp"
#include "src/model/main_cf.hpp"
#include "src/base/status.hpp"

namespace postvet {

/// `<service>_<suffix>` parameter names derived from master.cf, with their
/// default text (`$default_...`), as postconf_service.c registers them.
/// The values point into a static table (known_names.cpp).
using ServiceParams = std::map<std::string, std::string_view, std::less<>>;

/// The lookup context of one expansion.
class ParamContext {
 public:
  ParamContext(const MainCf& main_cf, const Defaults& defaults);

  /// Seeds config_directory = `dir`, as `postconf -c DIR` does (main.cf may override it).
  void SetConfigDirectory(std::string dir);
  /// Service-derived names known from master.cf (not owned).
  void SetServiceParams(const ServiceParams* params) { service_params_ = params; }
  /// Per-service scope: master.cf -o overrides (later wins) and the service's
  /// process_name / service_name.
  void SetService(std::string service, std::string command,
                  std::vector<std::pair<std::string, std::string>> overrides);
  /// Forces the `stress` value (the master's `-o stress=`); nullopt = main.cf/default.
  void SetStress(std::optional<std::string> stress) { stress_ = std::move(stress); }
  /// Sets the value process_name has without a service (postconf: "postconf").
  void SetProcessName(std::string name) { process_name_ = std::move(name); }
  /// Makes main.cf's assignment of `name` invisible (postconf deletes
  /// read-only assignments).
  void HideExplicit(std::string_view name) { hidden_.insert(std::string(name)); }

  /// The value main.cf (plus the config_directory seed) gives `name`
  /// (mail_conf_lookup()), unexpanded.
  std::optional<std::string_view> Explicit(std::string_view name) const;
  /// The raw value of `name` in this context, or nullopt when undefined.
  std::optional<std::string_view> Lookup(std::string_view name);
  /// True when `name` is a built-in or a service-derived parameter.
  bool IsTableName(std::string_view name) const;

  /// Expands `value` recursively in this context (pcf_expand_parameter_value).
  MacroOutcome ExpandOutcome(std::string_view value);
  /// Expands `value`; an error Status has Postfix's warnings and reason.
  Result<std::string> Expand(std::string_view value);
  /// The expanded value of parameter `name` (raw parameters are not expanded).
  Result<std::string> ExpandParam(std::string_view name);
  /// main.cf-only recursive evaluation (mail_conf_lookup_eval / dict_eval);
  /// nullopt value when main.cf does not set `name`.
  MacroOutcome EvalExplicit(std::string_view name, bool* is_set);

  /// Computes the host-derived default of `name` (myhostname, mydomain,
  /// mynetworks) as postconf does; warnings/fatal go into `out`.
  std::string HostDefault(std::string_view name, MacroOutcome* out);

 private:
  const MainCf& main_cf_;
  const Defaults& defaults_;
  MacroDialect dialect_;  // the release's operator suffixes (source_features.hpp)
  const ServiceParams* service_params_ = nullptr;
  std::optional<std::string> config_dir_;
  std::optional<std::string> stress_;
  std::string process_name_ = "postconf";
  bool has_service_ = false;
  std::string service_name_;
  std::string service_process_;
  std::unordered_map<std::string, std::string> overrides_;
  std::set<std::string, std::less<>> hidden_;
  std::unordered_map<std::string, std::string> host_cache_;
  // Warnings and fatal error raised by host defaults during a lookup.
  MacroOutcome pending_;
  int host_depth_ = 0;
};

}  // namespace postvet
