// One probe of one configuration, as the commands run it: settings from
// the command line checked and turned into ProbeOptions, the zones the
// configuration uses asked through c-ares. Shared by `postvet probe` and
// `postvet check --probe` (src/cli/).
//
// Contract: MakeProbeOptions() refuses (Status) settings that cannot work
// (a bad --resolver, non-positive times). ProbeConfig() asks the resolver
// Postfix would use (which_resolver.hpp) unless --resolver names one, and
// fails (Status, one sentence naming the resolver) when c-ares cannot be
// set up or the resolver is unfit to judge lists (resolver_check.hpp): a
// public resolver the configured lists refuse, no answers, NXDOMAIN or an
// address for everything, refusal codes. Then there are no per-zone
// verdicts, so nothing can be fixed from them. A configuration without DNS
// lists gives empty results without any network traffic.
#pragma once

#include <string>
#include <vector>

#include "src/probe/probe.hpp"
#include "src/base/status.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::probe {

/// The probe's command-line settings.
struct ProbeSettings {
  /// --resolver IP[:PORT], repeatable or comma-separated; empty: resolv.conf.
  std::vector<std::string> resolvers;
  int timeout_ms = 2000;    ///< --timeout: per try
  int tries = 2;            ///< --tries
  int deadline_ms = 10000;  ///< --deadline: the whole probe
  double slow_ms = 200;     ///< --slow: PV904 threshold for the p95
  int samples = 3;          ///< --samples: random names per zone that answered slowly
  /// --concurrency: the most queries in flight at once (the flow-control
  /// window starts at 224 and widens up to this while answers keep up).
  int concurrency = 512;
};

/// Checks `settings`; the options RunProbe() takes.
Result<ProbeOptions> MakeProbeOptions(const ProbeSettings& settings);

/// Probes every zone `ctx` uses with c-ares.
Result<ProbeResults> ProbeConfig(const LintContext& ctx, const ProbeOptions& options);

}  // namespace postvet::probe
