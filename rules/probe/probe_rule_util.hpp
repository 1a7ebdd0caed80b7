// What the live-probe rules (PV901-PV905) share: finding, for every DNS list
// use in the configuration, the probe's verdict on its zone, and reporting
// it once per place the zone is written (with notes for `$name` provenance
// and further lists), as the PV2xx rules do.
//
// Contract: the rules are registered like every rule and subscribe to
// CheckConfig, but they only report when the command that ran the probe
// (`postvet probe`, `postvet check --probe`) has put its results on the
// LintContext (LintContext::set_probe_results); without results they are
// silent, so a normal lint never touches the network. Uses whose zone was
// not probed (malformed entries, names no DNS query can carry) are skipped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/engine/rule.hpp"
#include "src/probe/probe.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::probe_rules {

/// What a finding says (docs/messages.md): the one-sentence message and the
/// detail notes (what the probe saw, what it means, what to do), which
/// follow the located notes.
struct Message {
  std::string text;
  std::vector<std::string> details;
};

/// The message for one use whose zone got the verdict, or nullopt to leave
/// that use alone (e.g. its reply filter keeps the bad answers out).
using MessageFn = std::function<std::optional<Message>(const dnsbl::DnsblList& list, const dnsbl::DnsblUse& use,
                                                       const probe::ZoneReport& zone)>;

/// Reports every use whose zone's verdict is `verdict`, with `message`;
/// with `fix`, each finding gets an unsafe fix deleting the entry (where the
/// entry is written literally), whose text says what the probe observed,
/// when (UTC) and through which resolver: a live answer is evidence, not
/// proof, so no probe-derived fix is ever applied without --unsafe-fixes.
void ReportVerdict(const LintContext& ctx, Sink& sink, probe::Verdict verdict, const MessageFn& message, bool fix);

/// What the use does when its list answers "listed" for everyone:
/// "reject_rbl_client rejects mail from every client", "postscreen adds 2
/// to the DNSBL score of every client", ...
std::string HitEffect(const dnsbl::DnsblUse& use);

/// The list's own TXT explanation, quoted and shortened, as `its TXT record
/// says "..."`; "" if none.
std::string TxtNote(const probe::ZoneReport& zone);

}  // namespace postvet::probe_rules
