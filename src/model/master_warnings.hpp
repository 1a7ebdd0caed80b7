// MasterWarnings: every warning `postconf -c DIR -n` (and -M, -F, -P) gives
// about master.cf, in postconf's words and order, computed once from the
// services and the result of postconf's name registration (known_names.hpp;
// postconf_user.c, postconf_unused.c, postconf_dbms.c).
//
// Three groups, printed by postconf at three moments:
//  - reading: master.cf syntax warnings ("master.cf: missing '}' in ..."),
//    before anything else about master.cf, and the error (bad field count,
//    invalid field) that stops postconf, from the MasterCf model;
//  - registration: "DIR/master.cf: undefined parameter: NAME" for a $NAME in
//    an -o value that no -o of the same service, main.cf, or Postfix
//    defines; "DIR/master.cf: read-only parameter assignment: N=V";
//    "master.cf:SERVICE/TYPE: ..." list errors. These are interleaved with
//    the main.cf ones, so they stay in KnownNames::warnings (FormatWarning
//    words either scope);
//  - unused: after stdout, "DIR/master.cf: unused parameter: N=V" for each
//    -o name of each service that is neither a Postfix parameter (built in,
//    service-derived, a validated main.cf user name) nor validated in that
//    service's name space. One line per service and name, as postconf (no
//    deduplication across services).
//
// Contract: `main_path` / `master_path` are the files as postconf names them
// (the -c directory as given, then /main.cf or /master.cf); texts carry no
// "postconf: warning: " prefix.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "src/model/defaults.hpp"
#include "src/model/deprecated_params.hpp"
#include "src/model/known_names.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_services.hpp"

namespace postvet {

/// A registration warning (main.cf or master.cf scope) in postconf's words.
std::string FormatWarning(const PostconfWarning& w, const std::string& main_path, const std::string& master_path);

/// What postconf -n says while reading master.cf.
struct MasterReading {
  std::vector<std::string> warnings;  ///< "master.cf: ..." in file order
  std::optional<std::string> fatal;   ///< the error that stops postconf (its text)
  uint32_t fatal_line = 0;            ///< where (master.cf line)
};

/// The master.cf reading warnings and the reading error, in file order.
MasterReading ReadMasterLikePostconf(const MasterCf& master_cf);

/// The "unused parameter" warnings about master.cf, in service order; with
/// `deprecated` (the target's DeprecatedParams), a deprecated -o name gets
/// its deprecation text instead (Postfix 3.9+ postconf_unused.c).
std::vector<std::string> MasterUnusedWarnings(const KnownNames& known, const Defaults& defaults,
                                              const ServiceParams& service_params,
                                              const std::string& master_path,
                                              const DeprecatedParams* deprecated = nullptr);

/// The names of postconf's "DIR/master.cf: undefined parameter: NAME"
/// warnings, per service (indexed like the services given to
/// ComputeKnownNames; `service_count` of them): what PV103 places in the -o
/// values and `postvet show` prints, from the same registration.
std::vector<std::set<std::string, std::less<>>> MasterUndefinedByService(const KnownNames& known,
                                                                          size_t service_count);

/// The fatal text postconf -M/-F/-P gives for a master.cf it cannot open
/// (`open PATH: No such file or directory`), from errno.
std::string MasterOpenFailure(const std::string& path, int error);

}  // namespace postvet
