// ServiceSettings: what each master.cf service runs with, as far as capacity
// and overload are concerned: its process limit and where that number comes
// from, whether master(8) makes it stress-adaptive, and the values of the
// stress-dependent parameters it would use in normal and in stress mode.
// The tuning rules (PV5xx) and `postvet tune` read this; nothing here
// reports.
//
// Postfix behaviour followed (format spec 8 and 9):
// * maxproc `-` is the current default_process_limit (100 when unset); `0`
//   is no limit; postscreen, qmgr, anvil & co. run as one process whatever
//   the field says (MAIL_SERVER_SOLITARY), dnsblog, cleanup & co. without a
//   limit (MAIL_SERVER_UNLIMITED).
// * master(8) adds `-o stress=` to services that are not local-only and
//   have a limit above 1, and switches it to `stress=yes` for processes it
//   starts while the service is at its limit. A `-o stress=...` of the
//   service's own comes later on the command line and wins.
// * postscreen runs its own STRESS mode: it evaluates postscreen_greet_wait
//   and postscreen_command_time_limit once with stress=yes and once with
//   stress= at start-up, and enters STRESS at 0.9 × postscreen_pre_queue_limit
//   connections under test.
// * postscreen hands clients that pass to the `pass` service named by
//   smtpd_service_name (default smtpd).
//
// Contract: built from the LintContext's models; expansion failures fall
// back to "?" (other rules report them). Argument lines that Postfix reads
// as entries of their own (PV403) are left out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/location.hpp"

namespace postvet {
class LintContext;
struct MasterService;
}  // namespace postvet

namespace postvet::tune {

/// Where a service's process limit comes from.
enum class LimitSource : uint8_t {
  kMaxproc,              ///< a number in the maxproc field
  kDefaultProcessLimit,  ///< maxproc `-`: default_process_limit (main.cf or built-in 100)
  kDaemonSolitary,       ///< the daemon insists on one process (postscreen, qmgr, anvil, ...)
  kDaemonUnlimited,      ///< the daemon insists on no limit (cleanup, bounce, dnsblog, ...)
  kInvalid,              ///< master(8) rejects the field
};

/// How stress-adaptive behaviour applies to a service.
enum class StressMode : uint8_t {
  kAdaptive,     ///< master(8) gives it -o stress= and switches to yes at the limit
  kForcedOn,     ///< its own -o stress=<non-empty>: stress values all the time
  kForcedOff,    ///< its own -o stress= (empty) where master(8) would adapt it
  kSelfManaged,  ///< postscreen: its own STRESS mode by queue length
  kNone,         ///< master(8) never adapts it (local-only, or limit 0 or 1)
};

/// "adaptive", "forced on", "forced off", "own STRESS mode", "never".
std::string_view StressModeName(StressMode mode);

/// One stress-dependent parameter as the service would use it.
struct StressValue {
  std::string param;
  std::string normal;  ///< outside stress (or always, when the mode is fixed)
  std::string stress;  ///< under stress
};

struct ServiceSettings {
  const MasterService* service = nullptr;
  std::string label;    ///< "smtpd/pass"
  std::string command;  ///< base name of field 8: "smtpd"
  /// The limit master(8) enforces (0: none); nullopt when it rejects the field.
  std::optional<long> process_limit;
  LimitSource limit_source = LimitSource::kMaxproc;
  /// The maxproc field.
  Location limit_location;
  bool local_only = false;
  /// master(8) would add `-o stress=` (before the service's own options).
  bool receives_stress_option = false;
  StressMode stress_mode = StressMode::kNone;
  /// The service's own `-o stress=...` (source null when it has none).
  Location stress_override;
  /// smtpd receiving mail from the Internet on port 25: an inet smtpd on
  /// smtp/25 that is not local-only, or the pass service a public postscreen
  /// hands clients to.
  bool public_smtpd = false;
  /// The postscreen service in front of it (null: none).
  const MasterService* behind = nullptr;
  /// For a public postscreen: the pass service it hands off to (null: none found).
  const MasterService* hands_off_to = nullptr;
  /// The log tag its processes use: `$syslog_name/<process>` ("postfix/smtpd").
  std::string log_tag;
  /// smtpd and postscreen: the stress-dependent parameters.
  std::vector<StressValue> stress_values;
  /// postscreen: postscreen_pre_queue_limit, and the connection counts at
  /// which it enters (0.9×) and leaves (0.7×) STRESS mode.
  long pre_queue_limit = 0;
  long stress_enter_at = 0;
  long stress_leave_at = 0;
};

/// The settings of a whole configuration.
struct TuneSettings {
  /// default_process_limit as master(8) reads it, and where main.cf sets it
  /// (source null: the built-in 100).
  long default_process_limit = 100;
  Location default_process_limit_location;
  std::string inet_interfaces = "all";
  /// In master.cf order.
  std::vector<ServiceSettings> services;

  /// The settings of `service`, or null.
  const ServiceSettings* Find(const MasterService* service) const;
};

/// Computes the settings of every service in `ctx` anew: rules and tools
/// read the cached FactsOf(ctx).Settings() (src/facts/facts.hpp).
TuneSettings ComputeSettings(const LintContext& ctx);

/// "maxproc 30 (master.cf line 4)", "maxproc `-`, so default_process_limit = 50
/// (main.cf line 17)", "maxproc `-`, so the built-in default_process_limit of 100",
/// "postscreen runs as a single process by design", ...
std::string DescribeLimitSource(const ServiceSettings& service, const TuneSettings& settings);

/// The port part of an inet service name ("smtp" for "127.0.0.1:smtp").
std::string_view InetPort(std::string_view service_name);
/// True for the SMTP port: "smtp" or "25".
bool IsSmtpPort(std::string_view port);

/// "line N" of the byte `offset` in `location`'s file ("built-in" when none).
std::string LineOf(const Location& location);

}  // namespace postvet::tune
