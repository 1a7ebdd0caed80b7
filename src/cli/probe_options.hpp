// The live probe's command-line options, shared by `postvet probe` and
// `postvet check --probe`, so that both spell and check them alike.
#pragma once

#include "src/probe/probe_session.hpp"

namespace CLI {
class App;
}

namespace postvet {

/// Adds --resolver, --timeout and --slow to `cmd`; with `all`, also
/// --tries, --deadline, --samples and --concurrency.
void AddProbeOptions(CLI::App* cmd, probe::ProbeSettings* settings, bool all);

}  // namespace postvet
