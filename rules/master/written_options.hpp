// The `-o` options of a master.cf entry as their author wrote them, for the
// rules that check how options are spelled (PV404, PV405): the ones the
// daemon reads, then the "stranded" ones written after a stray word had
// already ended the daemon's options (MasterService::stranded_overrides).
// Reporting both lets one run name every broken option of an entry instead
// of only the first. Not a rule.
//
// Contract: pointers into the service, in file order within each group;
// valid as long as the MasterCf is.
#pragma once

#include <string>
#include <vector>

#include "src/model/master_cf.hpp"

namespace postvet::master_rules {

/// The service's overrides followed by its stranded overrides.
std::vector<const MasterOverride*> WrittenOptions(const MasterService& service);

/// For a stranded option: the note that the daemon never reads it, naming
/// the word at which its options ended.
std::string StrandedNote(const MasterService& service);

}  // namespace postvet::master_rules
