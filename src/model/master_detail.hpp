// Internal to the master.cf model (master_cf.cpp, master_fields.cpp,
// master_daemon.cpp): the steps BuildMasterCf() runs on one logical line.
// Not for rules; they read the MasterCf that results.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/model/logical_line.hpp"
#include "src/model/master_args.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::master_detail {

/// Positions in `line.text` mapped to Source bytes.
inline MasterWord MakeWord(const LogicalLine& line, TextSpan span) {
  ByteRange r = line.Range(span.begin, span.end);
  return MasterWord{std::string(span.In(line.text)), r.begin, r.end};
}

/// postconf's per-field checks (pcf_check_master_entry), in its order; each
/// a fatal kPostconf problem quoting the logical line.
std::vector<MasterProblem> PostconfFieldProblems(const LogicalLine& line,
                                                 const std::vector<TextSpan>& fields);

/// master(8)'s reading of fields 1-8 (get_master_ent) from its own
/// ungrouped words `plain` (at most 8): kMaster problems in its order.
/// Stops listing missing fields after the first.
std::vector<MasterProblem> MasterFieldProblems(const LogicalLine& line,
                                               const std::vector<TextSpan>& plain);

/// The syntax check master(8) makes of an inet service name (host_port()):
/// the error text, or empty. Also returns the host part ("" when none).
std::string CheckInetName(std::string_view name, std::string* host);

/// master(8)'s number reading: atoi() after checking only the first byte is
/// a digit, so "60x" is 60 and "1k" is 1; overflow wraps like a 32-bit int.
long MasterAtoi(std::string_view digits);

/// The daemon's view of the arguments: master(8) splits the words after its
/// 8 fields from `pos` on, strips `{}` (dying on errors), and the daemon's
/// getopt() reads them. Fills overrides, daemon_args and problems.
void ReadDaemonArgs(const LogicalLine& line, size_t pos, MasterService* service);

}  // namespace postvet::master_detail
