// Advice: the tuning advisor's conclusions for each public smtpd, from the
// effective settings (service_settings.hpp) and, when given, the log
// evidence (log_evidence.hpp) or an expected peak (--peak-clients).
//
// The recommended limit is the demand plus headroom: demand is the observed
// peak of concurrent sessions, or the current limit when the logs show the
// limit was reached (then the real demand was higher than what could be
// seen); headroom is half the demand, at least 10, rounded up to a multiple
// of 10. Postfix's own advice when the limit is reached is to raise it or to
// shorten the time each client holds a process (STRESS_README); this
// follows the first and reports the stress settings for the second.
//
// Contract: pure computation, no I/O; the evidence may be empty.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/config/project_config.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet::tune {

/// What the evidence says about one public smtpd service.
struct SmtpdAdvice {
  const ServiceSettings* service = nullptr;
  std::optional<long> limit;      ///< its current limit (0: none)
  long peak = 0;                  ///< observed (or expected) concurrent sessions
  bool peak_from_option = false;  ///< peak came from --peak-clients
  long log_peak = 0;              ///< the peak the log shows (0: none)
  /// When both a log peak and --peak-clients exist: which one was used.
  std::string peak_note;
  size_t limit_hits = 0;          ///< master warnings for this service
  long hit_limit = 0;             ///< the limit those warnings name
  size_t server_ports_busy = 0;   ///< postscreen could not hand clients to it
  const SessionStats* sessions = nullptr;
  /// The limit the evidence calls for (0: no evidence).
  long recommended = 0;
  /// One line of evidence for messages ("peak of 87 concurrent sessions; ...").
  std::string summary;

  bool saturated() const { return limit_hits > 0 || server_ports_busy > 0 || (limit && *limit > 0 && peak >= *limit); }
};

/// Demand plus headroom (see the header), rounded up to a multiple of 10.
long RecommendedLimit(long demand);

/// Advice for every public smtpd in `settings`. `peak_clients` (> 0) is an
/// expected peak: the higher of it and the log's peak is used, with a note.
std::vector<SmtpdAdvice> AdviseSmtpd(const TuneSettings& settings, const LogEvidence& evidence, long peak_clients);

/// The PV501 hook: each service's evidence floor, for ProjectConfig::log_evidence.
void ExportEvidence(const std::vector<SmtpdAdvice>& advice, ProjectConfig* config);

/// One sentence on stress-adaptive behaviour of a service: whether it is
/// working, forced or off, and which values change.
std::string DescribeStress(const ServiceSettings& service);

}  // namespace postvet::tune
