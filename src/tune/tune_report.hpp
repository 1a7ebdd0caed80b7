// The text of `postvet tune`: effective process limits and stress behaviour
// per service, the log evidence, the advice (the decisions of
// limit_plan.hpp: a concrete limit up or down, its formula, its confidence
// and what it rests on, the memory it needs or frees, what stress-adaptive
// behaviour does, one memory line for all of it) and the DNS list
// effectiveness (dnsbl_effect.hpp). The findings of
// the tuning rules are rendered by the regular text reporter and appended
// by the command.
//
// Contract: pure formatting of data computed elsewhere; deterministic; the
// text is terminal-safe (input bytes escaped by src/base/printable.hpp).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet::tune {

struct TuneReport {
  std::string config;  ///< the directory as the user named it
  const TuneSettings* settings = nullptr;
  const LogEvidence* evidence = nullptr;  ///< null without --log
  const std::vector<SmtpdAdvice>* advice = nullptr;
  std::optional<unsigned long long> memory;  ///< --memory / .postvet.cf
  std::string memory_origin;                 ///< "--memory", "/proc/meminfo", ".postvet.cf"
  long min_smtpd_processes = 100;
  /// The DNS list zones the configuration rejects with (as written).
  std::vector<std::string> dnsbl_zones;
};

/// The report text (sections separated by blank lines, ending in LF).
std::string RenderTuneText(const TuneReport& report);

}  // namespace postvet::tune
