// Access table checks shared by the PV3xx rules that judge access(5)
// results (PV303 for words Postfix does not know, PV312 for reply codes,
// PV313 for actions of the other table kind): the active match rules of a
// table read by a check_*_access restriction, with each result split and
// classified the way smtpd's check_table_result() reads it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "src/facts/table/access_action.hpp"
#include "src/facts/table/table_common.hpp"

namespace postvet {

class LintContext;
class Sink;
struct InputFile;

/// One access rule's result, as the SMTP server reads it.
struct AccessRuleResult {
  const TableEntry* entry;
  ActionText split;
  AccessAction action;
};

/// Calls `visit` for every active match rule of `file` when some user reads
/// it as an access table; `uses` gets those users. Does nothing otherwise.
void ForEachAccessResult(const LintContext& ctx, const InputFile& file, std::vector<TableUse>* uses,
                         const std::function<void(const AccessRuleResult&)>& visit);

/// "check_client_access" or "check_client_access and check_sender_access".
std::string JoinRestrictions(const std::vector<TableUse>& uses);

/// PV303's access table part: results smtpd does not understand.
void CheckUnknownAccessActions(const LintContext& ctx, const InputFile& file, Sink& sink);

/// PV308's access table part: FILTER, REDIRECT, BCC, PREPEND without the text they need.
void CheckAccessArguments(const LintContext& ctx, const InputFile& file, Sink& sink);

}  // namespace postvet
