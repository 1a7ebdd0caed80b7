// What one DNS reply means to the probe: the c-ares status of a finished
// query plus the raw reply bytes, turned into a DnsOutcome (status,
// addresses, TXT strings). Separate from the event loop so that the fuzz
// target (fuzz/dns_reply_fuzz.cpp) can feed it arbitrary bytes.
//
// Contract: never reads outside [abuf, abuf + alen); only a NOERROR reply
// that decodes into A (or TXT) records of the asked type gives
// DnsStatus::kAnswer, so an error or an undecodable reply can never be
// taken for a listing. At most kMaxAddresses A records are kept.
#pragma once

#include <cstddef>

#include "src/probe/resolver.hpp"

namespace postvet::probe {

inline constexpr int kMaxAddresses = 64;

/// Fills out->status, addresses, texts and detail (not elapsed_ms) from
/// the c-ares `status` (ARES_SUCCESS, ARES_ENOTFOUND, ...) and the reply.
void DecodeReply(QueryType type, int status, const unsigned char* abuf, int alen, DnsOutcome* out);

/// True when the reply's header has the TC (truncated) bit.
bool ReplyTruncated(const unsigned char* abuf, int alen);

}  // namespace postvet::probe
