// One probe of one configuration, as the commands run it: settings from
// the command line checked and turned into ProbeOptions, the zones the
// configuration uses asked through c-ares. Shared by `postvet probe` and
// `postvet check --probe` (src/cli/).
//
// Contract: MakeProbeOptions() refuses (Status) settings that cannot work
// (a bad --resolver, non-positive times); ProbeConfig() fails only when
// c-ares cannot be set up. A configuration without DNS lists gives empty
// results without any network traffic.
#pragma once

#include <string>
#include <vector>

#include "src/probe/probe.hpp"
#include "src/status.hpp"

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
  int samples = 3;          ///< --samples: random names per zone
  /// --concurrency: queries in flight at once. 200 zones of an IP list ask
  /// about 1200 names, so the default sends them all in one round.
  int concurrency = 2048;
};

/// Checks `settings`; the options RunProbe() takes.
Result<ProbeOptions> MakeProbeOptions(const ProbeSettings& settings);

/// Probes every zone `ctx` uses with c-ares.
Result<ProbeResults> ProbeConfig(const LintContext& ctx, const ProbeOptions& options);

}  // namespace postvet::probe
