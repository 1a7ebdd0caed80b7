// The `postvet probe` pipeline: for PATH, or for each config dir below a
// PATH that is a directory of them (src/run/targets_discovery.hpp), read
// its .postvet.cf, load the configuration, probe every DNS list it uses
// (src/probe/), run the probe rules (PV9xx) on the results and render them,
// with the zone table in the text format and a "probe" member in JSON. src/cli/probe_command.cpp parses
// the options into a ProbeRequest and calls RunProbe().
//
// Contract: RunProbe() returns the exit code: 0, 1 when a finding reaches
// --fail-on (else .postvet.cf's fail_on, else warning), 2 for a tool error
// (its message on stderr), e.g. a resolver unfit to judge lists.
#pragma once

#include <string>

#include "src/probe/probe_session.hpp"

namespace postvet::run {

/// What `postvet probe` was asked to do (its options).
struct ProbeRequest {
  std::string path = "/etc/postfix";
  probe::ProbeSettings settings;
  std::string format = "text";
  std::string fail_on;
  std::string config;
  std::string root;
  std::string color = "auto";
};

/// Runs the whole probe; the exit code.
int RunProbe(const ProbeRequest& request);

}  // namespace postvet::run
