// What the Postfix SMTP server makes of an access table result: the order
// of tests in check_table_result() (smtpd/smtpd_check.c, Postfix 3.7) and
// access(5). The action words come from the generated data
// (action_data.hpp), the restriction names from the target release's
// restriction table (src/facts/restriction/restriction_table.hpp).
//
// Contract: ClassifyAccess() follows check_table_result() test by test:
// a named action (first word, case-insensitive), an all-digit result
// (treated as OK), "4NN text"/"5NN text" (a reply; a bare code is
// all-digit, hence OK), a result containing ':' (a lookup table: the
// server answers with a configuration error), else a list of restriction
// names; the first one must be a built-in restriction or a restriction
// class, or the server answers with a configuration error. Results whose
// first word comes from a `$n` group are kDynamic: callers must not judge
// them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/facts/restriction/restriction_table.hpp"
#include "src/facts/table/action_data.hpp"
#include "src/facts/table/actions.hpp"

namespace postvet {

class LintContext;

enum class AccessVerdict : uint8_t {
  kAction,              // a named access(5) action (REJECT, OK, DEFER_IF_PERMIT, ...)
  kCompiledOut,         // a word Postfix's source knows but does not compile (DELAY)
  kAllNumeric,          // all digits: accepted like OK
  kReplyCode,           // "4NN text" / "5NN text"
  kLookupTable,         // contains ':': "do not specify lookup tables inside SMTPD access maps"
  kRestriction,         // the first word is a restriction name or a restriction class
  kUnknownRestriction,  // the first word is none of the above: "unknown smtpd restriction"
  kEmpty,               // empty result: "has empty value", accepted like OK
  kDynamic,             // depends on a `$n` group
};

struct AccessAction {
  AccessVerdict verdict = AccessVerdict::kDynamic;
  const ActionWord* action = nullptr;  ///< kAction, kCompiledOut
  int code = 0;                        ///< kReplyCode: the three-digit code
};

/// Classifies `split` (from SplitAction()) of an access table result.
/// `classes`: the restriction classes the configuration defines;
/// `restrictions`: the target release's restriction names.
AccessAction ClassifyAccess(const ActionText& split, const std::vector<std::string>& classes,
                            const restriction::RestrictionTable& restrictions);

/// The names smtpd_restriction_classes defines (main.cf), in order.
std::vector<std::string> RestrictionClasses(const LintContext& ctx);

/// The RFC 3463 status at the start of `text` the way dsn_split() finds it
/// ("5.7.1" followed by a blank or the end), or nullopt.
std::optional<std::string_view> LeadingDsn(std::string_view text);

/// Whether an access action answers like a reject (5) or a deferral (4):
/// '5' for REJECT, '4' for DEFER, DEFER_IF_PERMIT, DEFER_IF_REJECT, 0 for
/// an action that sends no reply of its own.
char ReplyClassOf(const ActionWord& action);

}  // namespace postvet
