// DNSBL entry syntax: the `zone[=filter][*weight]` items of reject_rbl_client,
// reject_rhsbl_*, permit_dnswl_client, permit_rhswl_client and
// postscreen_dnsbl_sites, and the reply filter (`127.0.0.[2..11]`) inside them.
//
// Contract: the parsers accept exactly what Postfix accepts. The filter parser
// follows ip_match_parse() (src/util/ip_match.c): four "."-separated fields,
// each a decimal 0..255 or a "[...]" list of ";"-separated numbers and
// `lo..hi` ranges; the whole pattern may be wrapped in one pair of "[]".
// The entry parser follows psc_dnsbl_add_site() (postscreen_dnsbl.c): split at
// the first "*" (weight, a signed integer), then at the first "=" (filter),
// and the rest must be a valid host name. smtpd splits only at "=" and has no
// weights. Parsing never allocates more than the input size and never recurses.
#pragma once

#include <array>
#include <bitset>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "src/base/status.hpp"

namespace postvet::dnsbl {

/// The values one octet of a DNSBL answer may take (a subset of 0..255).
class OctetSet {
 public:
  /// The empty set.
  OctetSet() = default;
  /// Every value 0..255.
  static OctetSet All();
  /// Just `value`.
  static OctetSet Single(uint8_t value);

  /// Adds every value in lo..hi (inclusive; nothing when lo > hi).
  void AddRange(uint8_t lo, uint8_t hi);
  bool Contains(uint8_t value) const { return bits_.test(value); }
  /// True when every value of `other` is in this set.
  bool ContainsAll(const OctetSet& other) const { return (other.bits_ & ~bits_).none(); }
  bool Intersects(const OctetSet& other) const { return (bits_ & other.bits_).any(); }
  std::size_t Count() const { return bits_.count(); }
  bool Empty() const { return bits_.none(); }
  bool IsAll() const { return bits_.all(); }
  /// Canonical Postfix spelling: "2", or "[2..11]", "[2;4;6..8]", "[0..255]".
  std::string ToString() const;

  bool operator==(const OctetSet& other) const { return bits_ == other.bits_; }
  /// A hash of the set (for keys that hold filters by meaning).
  std::size_t Hash() const { return std::hash<std::bitset<256>>{}(bits_); }

 private:
  std::bitset<256> bits_;
};

/// A parsed reply filter: an answer matches when each of its four octets is in
/// the corresponding set (ip_match_execute()).
struct ReplyFilter {
  std::array<OctetSet, 4> octets;

  /// What an entry without "=filter" means: any A record counts as listed.
  static ReplyFilter Any();
  /// The filter that matches exactly a.b.c.d.
  static ReplyFilter Exact(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

  bool Matches(const std::array<uint8_t, 4>& address) const;
  /// True when every address `other` matches is matched by this filter too.
  bool Covers(const ReplyFilter& other) const;
  /// True when some address is matched by both filters.
  bool Overlaps(const ReplyFilter& other) const;
  bool IsAny() const;
  /// The number of addresses matched.
  uint64_t Count() const;
  /// Canonical Postfix spelling, e.g. "127.0.0.[2..11]".
  std::string ToString() const;

  bool operator==(const ReplyFilter& other) const { return octets == other.octets; }
};

/// Parses a reply filter (the text after "="). On failure the Status says what
/// is wrong; `*error_offset`, when given, receives the byte offset in `text`.
Result<ReplyFilter> ParseReplyFilter(std::string_view text,
                                     std::size_t* error_offset = nullptr);

/// Which Postfix reader sees a DNSBL entry.
enum class EntrySyntax : uint8_t {
  kSmtpd,       ///< reject_rbl_client & co: `zone[=filter]`
  kPostscreen,  ///< postscreen_dnsbl_sites: `zone[=filter][*weight]`
};

/// One parsed DNSBL entry. Views point into the text given to the parser.
struct DnsblEntry {
  std::string_view zone;         ///< as written (case kept, trailing dot kept)
  std::string_view filter_text;  ///< after "=", empty when there is none
  std::optional<ReplyFilter> filter;
  std::string_view weight_text;  ///< after "*", empty when there is none
  int weight = 1;                ///< postscreen's default weight is 1
  bool has_weight = false;

  /// The filter in effect: the parsed one, or Any() when none is given.
  ReplyFilter EffectiveFilter() const { return filter ? *filter : ReplyFilter::Any(); }
};

/// Parses one DNSBL entry as the given reader would. On failure the Status
/// names the problem and `*error_offset` (when given) the byte in `text`.
Result<DnsblEntry> ParseDnsblEntry(std::string_view text, EntrySyntax syntax,
                                   std::size_t* error_offset = nullptr);

/// True when `name` passes Postfix's valid_hostname(): letters, digits, "_",
/// "-" and "."; labels of 1..63 bytes not starting or ending with "-"; no
/// empty label (so no trailing dot); at most 255 bytes; not all digits.
bool IsValidHostname(std::string_view name);

}  // namespace postvet::dnsbl
