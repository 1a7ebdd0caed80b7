#include "src/cli/probe_options.hpp"

#include <CLI/CLI.hpp>

namespace postvet {

void AddProbeOptions(CLI::App* cmd, probe::ProbeSettings* s, bool all) {
  cmd->add_option("--resolver", s->resolvers, "DNS server(s) for the probe: IP[:PORT] (default: the resolv.conf Postfix uses, inside its chroot if smtpd runs chrooted)")
      ->allow_extra_args(false);  // one value per --resolver, repeatable; commas split in MakeProbeOptions()
  cmd->add_option("--timeout", s->timeout_ms, "Probe: per-try query timeout in ms (default 2000)");
  cmd->add_option("--slow", s->slow_ms, "Probe: p95 answer time in ms above which a list is slow (default 200)");
  if (!all) return;
  cmd->add_option("--tries", s->tries, "Tries per query and server (default 2)");
  cmd->add_option("--deadline", s->deadline_ms, "The whole probe ends after this many ms (default 10000)");
  cmd->add_option("--samples", s->samples, "Random \"not listed\" names asked of a zone whose test points took over half --slow (default 3)");
  cmd->add_option("--concurrency", s->concurrency, "Most queries in flight at once; the window starts at 224 and adapts (default 512)");
}

}  // namespace postvet
