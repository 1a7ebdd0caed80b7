// DNS list effectiveness for `postvet tune`: per list, from the log
// evidence (LogEvidence::dnsbl_effect, dnsbl_errors), what it caught, how
// much of that another list caught too, its lookup errors, and a verdict:
// * "caught nothing": a list the configuration uses that caught no client
//   in a log of at least 24 h with DNS list activity (some list caught
//   something, or postscreen ranked clients): advised for removal;
// * "redundant": every client it caught, another list caught too;
// * "effective": it caught clients no other list caught.
// Lists that only allow (permit_dnswl_client, negative postscreen weights)
// are not judged: catching nothing is what an allowlist may well do.
//
// Contract: pure computation and formatting; names are printed as given
// (the caller escapes the text); at most kMaxPrintedLists lines.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

inline constexpr size_t kMaxPrintedLists = 20;

enum class DnsblVerdict : uint8_t { kEffective, kRedundant, kCaughtNothing, kNotJudged };
/// "effective", "redundant", "caught nothing", "not judged".
std::string_view DnsblVerdictName(DnsblVerdict verdict);

struct DnsblListReport {
  std::string zone;
  bool configured = false;  ///< the configuration uses it to reject
  DnsblEffect effect;       ///< zeros when the log never names it
  size_t errors = 0;        ///< lookup errors and timeouts
  DnsblVerdict verdict = DnsblVerdict::kNotJudged;
  std::string reason;
};

/// Every list the configuration rejects with (`configured`, zones as
/// written) and every list the log names, configured first, then by
/// clients caught.
std::vector<DnsblListReport> JudgeDnsbls(const LogEvidence& evidence, const std::vector<std::string>& configured);

/// The "DNS list effectiveness" section (ending in LF), or "" when there is
/// nothing to say.
std::string RenderDnsblEffect(const LogEvidence& evidence, const std::vector<DnsblListReport>& lists);

}  // namespace postvet::tune
