// KnownNames: which main.cf names Postfix's postconf counts as "used", and
// the warnings it gives on the way (postconf_user.c, postconf_service.c,
// postconf_dbms.c; format spec 2.3).
//
// A name is known when it is built in (any class), service-derived from a
// master.cf service whose command is local/error/virtual/smtp/lmtp/pipe/spawn,
// or user-defined and validated: set in main.cf AND referenced as $name from
// a scanned value (an explicit main.cf or master.cf -o value, or the default
// of a parameter main.cf leaves alone), listed in smtpd_restriction_classes,
// or a legacy database-client name <prefix>_<suffix> for a `ldap:prefix`
// (mysql, pgsql, sqlite, memcache) found in an expanded built-in value.
//
// Contract: ComputeKnownNames() follows postconf's order of work and stops
// where postconf would die (`fatal`); warnings are data, in a deterministic
// order (file order where postconf uses hash order). The master.cf-scope
// warnings of the registration (undefined $name in an -o value, read-only -o
// assignment, list syntax) are reported too, with kinds of their own; which
// -o names end up "used" is in `local_valid` / `local_params`, from which
// master_warnings.hpp derives postconf's master.cf "unused parameter" list.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/model/dbms_config.hpp"
#include "src/model/defaults.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/param_context.hpp"

namespace postvet {

/// A warning postconf prints while registering names (main.cf scope).
struct PostconfWarning {
  enum class Kind {
    kUndefined,  ///< "DIR/main.cf: undefined parameter: NAME" (text = NAME)
    kReadOnly,   ///< "DIR/main.cf: read-only parameter assignment: N=V" (text = N=V)
    kMacro,      ///< a mac_parse/mac_expand warning (text as Postfix prints it)
    kList,       ///< "main.cf: missing '}' in ..." from the list scan (text after "main.cf: ")
    kMasterUndefined,  ///< "DIR/master.cf: undefined parameter: NAME" (text = NAME)
    kMasterReadOnly,   ///< "DIR/master.cf: read-only parameter assignment: N=V" (text = N=V)
    kMasterList,       ///< "master.cf:SERVICE/TYPE: missing '}' ..." (text after "master.cf:")
    /// Postfix 3.8+: "DIR/main.cf: #comment after other text is not
    /// allowed: ..." or "DIR/main.cf: missing '}' ..." from the
    /// database-name scan (text after "DIR/main.cf: ").
    kComment,
    kMasterComment,  ///< the #comment warning for a master.cf -o value (after "DIR/master.cf: ")
    kMasterPathList,  ///< 3.8+ "DIR/master.cf:SERVICE/TYPE: missing '}' ..." (after "DIR/master.cf:")
  };
  Kind kind = Kind::kMacro;
  std::string text;
  /// kMasterUndefined: the index of the service whose -o value holds the
  /// reference (as given to ComputeKnownNames); -1 otherwise.
  int service = -1;
};

/// The outcome of postconf's name registration.
struct KnownNames {
  std::set<std::string, std::less<>> user;  ///< validated user-defined names
  std::vector<PostconfWarning> warnings;    ///< in order
  std::vector<std::string> hidden;          ///< read-only assignments postconf deletes
  std::optional<std::string> fatal;         ///< postconf would stop with this message
  /// Per master.cf service (same index as the services given): its -o name
  /// space as postconf keeps it (last value wins, read-only names deleted),
  /// in order of first appearance.
  std::vector<std::vector<std::pair<std::string, std::string>>> local_params;
  /// Per service: the -o names a $name reference, a restriction class or a
  /// database-client prefix validated (postconf's valid_names).
  std::vector<std::set<std::string, std::less<>>> local_valid;
  /// The database client configuration files (`mysql:/etc/x.cf`, through
  /// `proxy:`) named in scanned values, as (type, path), each type:path once,
  /// in the order postconf reads them (pcf_check_dbms_client()).
  std::vector<std::pair<std::string, std::string>> dbms_files;

  /// Per main.cf effective definition (MainCf::EffectiveInOrder() order):
  /// its built-in row, looked up once by the registration (null when the
  /// name is not built in).
  std::vector<const DefaultEntry*> main_entries;

  /// True when postconf prints `name` with -n and does not call it unused.
  bool IsKnown(std::string_view name, const Defaults& defaults, const ServiceParams& service) const;
  /// IsKnown() of the `i`-th effective main.cf definition, named `name`,
  /// without looking its name up in `defaults` again.
  bool IsKnownEffective(size_t i, std::string_view name, const Defaults& defaults,
                        const ServiceParams& service) const;
};


/// `<service>_<suffix>` names for master.cf delivery/pipe/spawn services.
ServiceParams DeriveServiceParams(const std::vector<MasterServiceInfo>& services, const Defaults& defaults);

/// Runs postconf's registration over main.cf (through `ctx`, which must have
/// `service_params` set) and the master.cf services.
KnownNames ComputeKnownNames(const MainCf& main_cf, const Defaults& defaults,
                             const std::vector<MasterServiceInfo>& services,
                             const ServiceParams& service_params, ParamContext& ctx);

}  // namespace postvet
