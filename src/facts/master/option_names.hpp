// OptionNames: which master.cf `-o name=...` names postconf accepts for each
// service, i.e. does not call "unused parameter" (postconf_user.c,
// postconf_unused.c; format spec 5.3). A name is accepted when it is built
// in, service-derived (`<service>_destination_concurrency_limit` and
// friends), a main.cf user name that postconf validates (one referenced from
// main.cf or from a service that does not set it), or referenced where
// postconf looks for references that reach this service: `$name` in the service's own `-o` values, in any
// main.cf value, in an `smtpd_restriction_classes` list (the service's own
// or main.cf's), or a database-client name `<prefix>_<suffix>` for an
// `ldap:prefix` (mysql, pgsql, sqlite, memcache) in an expanded value.
// References from another service's `-o` values do not count: postconf
// looks them up in that service's scope only.
//
// Not modelled: `$name` references inside built-in default values (they
// name built-in parameters only), client configuration files named by
// absolute path, and postconf stopping early on a fatal `$` error. Every
// step is linear in the size of main.cf and master.cf. Written for PV406; a candidate for src/model/ once the
// main.cf rules want the same per-service view.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "src/config/lint_context.hpp"
#include "src/model/known_names.hpp"
#include "src/model/param_context.hpp"

namespace postvet::master_rules {

class OptionNames {
 public:
  /// Runs postconf's registration over the context's main.cf and master.cf.
  explicit OptionNames(const LintContext& ctx);

  /// How postconf treats `-o name` in service `service` (an index into
  /// master_cf().services).
  enum class Verdict : uint8_t { kKnown, kReadOnly, kUnused };
  Verdict Check(size_t service, std::string_view name) const;

 private:
  const ServiceParams& service_params_;  // the context's
  const Defaults& defaults_;             // the context's target version's
  std::set<std::string, std::less<>> main_user_;
  std::set<std::string, std::less<>> global_refs_;
  std::vector<std::set<std::string, std::less<>>> local_refs_;
};

}  // namespace postvet::master_rules
