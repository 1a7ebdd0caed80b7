// Control queries: is the resolver the probe asks fit to judge DNS lists?
//
// A resolver that answers NXDOMAIN for every name (locked-down hosts,
// containers without upstream), one that answers every name with an
// address (NXDOMAIN rewriting, a wildcard), one that does not answer, or
// one the lists refuse (Spamhaus' 127.255.255.254 to public resolvers,
// DNSWL's 127.0.0.255, ...) makes every list look dead, listed-for-all or
// broken. Verdicts from such a resolver would delete working lists. So the
// probe asks two control names besides the zones' test points:
//
//   a.root-servers.net   exists everywhere (must have an A record)
//   pv<random>.invalid   can exist nowhere (RFC 6761: must be NXDOMAIN)
//
// and judges the resolver from them together with every zone's RFC 5782
// points (127.0.0.2 must be listed, 127.0.0.1 must not). Failures, in order:
// no answer to anything; a list's resolver-refusal code; an address for the
// .invalid name; NXDOMAIN for the root server name and every list's listed
// point; nothing but errors. Each gives one message naming the resolver.
//
// Contract: pure functions of classified answers (ClassifyAnswer()).
// ResolverFailure() returns nullopt when the resolver passes, so the
// per-zone verdicts stand. PublicResolverRefusal() needs no query: a known
// public resolver address plus lists documented to refuse it.
#pragma once

#include <optional>
#include <random>
#include <string>
#include <vector>

#include "src/probe/probe.hpp"

namespace postvet::probe {

/// The control names, "exists" first.
std::vector<TestPoint> ControlPoints(std::mt19937& rng);

/// Why the answers show the resolver (`resolver`, e.g. "127.0.0.1:53 (from
/// /etc/resolv.conf)") cannot judge lists, as one sentence; nullopt if fit.
std::optional<std::string> ResolverFailure(const ProbeResults& results, const std::string& resolver);

/// With a known public resolver among `servers`: which of `targets` are
/// documented to refuse public resolvers, as one sentence; nullopt when
/// no server is public or no target refuses them.
std::optional<std::string> PublicResolverRefusal(const std::vector<ServerAddress>& servers,
                                                 const std::vector<ZoneTarget>& targets);

}  // namespace postvet::probe
