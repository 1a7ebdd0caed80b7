// MasterServices: the few facts about master.cf that reading main.cf the way
// postconf does needs (service names and commands for service-derived
// parameter names, and `-o name=value` overrides), taken straight from the
// Cst of ParseMasterCf(). A stop-gap until the full MasterCf model
// (src/model/master_cf.*) can be used instead; keep it tiny.
//
// Contract: entries Postfix rejects (fewer than 8 fields) are skipped; `-o`
// arguments are normalised as postconf's pcf_normalize_daemon_args() does,
// including its greedy split of attached option letters ("-omyhostname=x"
// becomes -o myh -o stname=x ...).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "grammar/cst.hpp"

namespace postvet {

/// One master.cf service as postconf sees it.
struct MasterServiceInfo {
  std::string service;  ///< field 1 (braces kept, as postconf's argv_splitq)
  std::string type;     ///< field 2
  std::string command;  ///< field 8
  /// `-o name=value` settings in order (a later one wins).
  std::vector<std::pair<std::string, std::string>> overrides;
  /// postconf's warnings ("master.cf: missing '}' in ..."), in order.
  std::vector<std::string> warnings;
  uint32_t node = 0;  ///< Cst index of the service node
};

/// The services of a master.cf parsed by ParseMasterCf().
std::vector<MasterServiceInfo> ReadMasterServices(const Cst& cst);

}  // namespace postvet
