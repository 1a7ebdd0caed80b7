// Helpers shared by the master.cf rules (PV4xx): what a service runs, its
// parameter scope, and the main.cf settings master(8) itself reads. Not a
// rule.
//
// Contract: everything works from the MasterCf model (the daemon's view of
// `-o` options) and the MainCf model of the LintContext; nothing here
// reports. Expansion failures fall back to Postfix's built-in defaults, so a
// rule never fails because main.cf has a `$` error (other rules say so).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/param_context.hpp"

namespace postvet::master_rules {

/// The program a service runs: the last path component of field 8, as
/// master(8) passes it on to the daemon (basename(command)).
std::string_view CommandName(const MasterService& service);

/// The entry is an argument line Postfix read as an entry of its own because
/// it starts at column 0 (its "service" field starts with `-`): PV403's
/// business; the other rules leave it alone.
bool IsArgumentLine(const MasterService& service);

/// The daemon's well-formed `-o name=value` settings, in order (a later one
/// wins): what ParamContext::SetService() expects.
std::vector<std::pair<std::string, std::string>> OverridePairs(const MasterService& service);

/// `smtp/inet`, the name postconf gives the entry (for messages and subjects).
std::string Label(const MasterService& service);

/// Expands parameter `name` in main.cf's scope; nullopt on an expansion error
/// or when the parameter does not exist.
std::optional<std::string> ExpandMain(const LintContext& ctx, std::string_view name);

/// Expands parameter `name` in `service`'s scope: its `-o` options, then
/// main.cf, then the defaults (what the service's daemon sees).
std::optional<std::string> ExpandInService(const LintContext& ctx, const MasterService& service,
                                           std::string_view name);

/// `default_process_limit` as master(8) reads it (100 when unset or not a
/// number): what maxproc `-` stands for.
long DefaultProcessLimit(const LintContext& ctx);

/// `inet_interfaces` after expansion ("all" when it cannot be expanded).
std::string InetInterfaces(const LintContext& ctx);

/// The service's process limit as master(8) uses it (see
/// EffectiveProcessLimit()), with main.cf's default_process_limit.
std::optional<long> ProcessLimit(const LintContext& ctx, const MasterService& service);

/// The process limit a daemon insists on when it starts (MAIL_SERVER_
/// SOLITARY: 1; MAIL_SERVER_UNLIMITED: 0), or -1 when it takes any.
int RequiredProcessLimit(std::string_view command);

/// True for Postfix's yes/no values as the daemons read them (any case).
bool IsYes(std::string_view value);

/// Splits a value into items like Postfix's lists do (at blanks and commas).
std::vector<std::string_view> SplitList(std::string_view value);

}  // namespace postvet::master_rules
