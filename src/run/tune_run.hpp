// The `postvet tune` pipeline: read the .postvet.cf of PATH and apply
// --memory, read the mail logs (--log), load the configuration once, derive
// each service's settings (Facts::Settings()) and the smtpd advice from
// them and the log evidence, hand that evidence to the configuration's
// project settings (ProjectConfig::log_evidence, which PV501 reads), run the
// tuning rules (PV5xx and the stress rules PV104, PV401, PV402, PV411), and
// print the report (text or JSON, src/tune/) or, with --diff, the rules'
// fixes, unsafe ones included, as a unified diff. Nothing is written.
// src/cli/tune_command.cpp parses the options into a TuneRequest and calls
// RunTune().
//
// PATH that is not a config dir: every config dir below it
// (src/run/targets_discovery.hpp), each tuned on its own with its own
// .postvet.cf and freed before the next: text, a "== DIR ==" section
// each; json, {"version": 1, "dirs": [{"path", "report"}]}; --diff, one
// patch. --log with several of them is a tool error (a log is one
// server's); with exactly one, that one is tuned as if given.
//
// Contract: RunTune() returns the exit code: 1 when a finding (of any dir)
// reaches its .postvet.cf's fail_on (else warning), 2 for a tool error (its message,
// escaped, on stderr), else 0.
#pragma once

#include <string>
#include <vector>

namespace postvet::run {

/// What `postvet tune` was asked to do (its options).
struct TuneRequest {
  std::string path = "/etc/postfix";
  std::vector<std::string> logs;
  std::string memory;
  long peak_clients = 0;
  bool diff = false;
  std::string format = "text";
  std::string config;
  std::string root;
  std::string postfix_version;
};

/// Runs the whole tune; the exit code.
int RunTune(const TuneRequest& request);

}  // namespace postvet::run
