// The DNS list catalogue: what postvet knows about DNSBL/RHSBL/DNSWL zones
// (kind, shut-down status, combined lists and their members, recommended
// reply filter, error answers, registration), loaded from the embedded
// rules/data/dnsbl.tsv. rules/data/README.md documents the columns.
//
// Contract: Parse() checks every row (field count, enums, zone syntax,
// filters, member consistency, superseded_by targets, URLs) and fails with a
// message naming the file and line; a Catalogue that exists is consistent.
// Lookups take zone names as users write them: case and one trailing dot do
// not matter. A catalogue zone may start with "*." for services where the
// first label is the subscriber's key (Spamhaus DQS): "*.zen.dq.spamhaus.net"
// matches "KEY.zen.dq.spamhaus.net" for any single label KEY. A catalogue
// zone that starts with "." is an operator row: it stands for every zone
// under that domain, at any depth (".sorbs.net" covers
// "safe.dnsbl.sorbs.net"), and only operators that shut everything down
// get one (the loader requires the row and every row under it to be dead).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/facts/dnsbl/reply_filter.hpp"
#include "src/base/status.hpp"

namespace postvet::dnsbl {

/// What a zone is keyed by and what a listing means.
enum class ZoneKind : uint8_t {
  kIp,           ///< IP blocklist (reject_rbl_client, postscreen_dnsbl_sites)
  kDomain,       ///< domain blocklist, RHSBL (reject_rhsbl_*)
  kUri,          ///< domains seen in message bodies; not for SMTP-level checks
  kIpAllow,      ///< IP allowlist (permit_dnswl_client, negative postscreen weight)
  kDomainAllow,  ///< domain allowlist (permit_rhswl_client)
  kBoth,         ///< answers IP and domain queries (an operator that ran both kinds of list)
};

/// True when a zone of this kind is asked about IP addresses (reversed
/// octets), respectively about domain names; kBoth is asked about both.
bool KeyedByAddress(ZoneKind kind);
bool KeyedByName(ZoneKind kind);

/// The zone's state as our sources report it.
enum class ZoneStatus : uint8_t {
  kLive,
  kDeadEmpty,            ///< shut down; answers "not listed" or nothing at all
  kDeadTimeout,          ///< shut down; lookups time out or fail (costs latency)
  kDeadListsEverything,  ///< shut down; every query answers "listed"
  kSuperseded,           ///< data lives on in `superseded_by`
  kSubscription,         ///< answers paying subscribers only
};

/// Why a zone gives an answer that is an error rather than a listing.
enum class PolicyReason : uint8_t {
  kTypo,            ///< the zone name is misspelt
  kPublicResolver,  ///< query came through a public or open resolver
  kOverQuota,       ///< too many queries, or a shared resolver over the limit
  kBadKey,          ///< access key disabled or refused
  kWrongQuery,      ///< the wrong kind of query (an IP asked of a domain list)
  kRefused,         ///< blocked, reason unspecified
};

enum class Ipv6Support : uint8_t { kYes, kNo, kUnknown, kNotApplicable };
enum class Confidence : uint8_t { kHigh, kMedium, kLow };

/// A member list of a combined zone, and the answers its data gives there.
struct MemberZone {
  std::string zone;   ///< catalogue spelling (may start with "*.")
  ReplyFilter codes;  ///< answers in the combined zone that come from this member
  std::string codes_text;
};

/// Answers that mean "error", not "listed".
struct PolicyCode {
  PolicyReason reason;
  ReplyFilter codes;
  std::string codes_text;
};

/// One row of dnsbl.tsv.
struct ZoneInfo {
  std::string zone;  ///< lowercase; may start with "*." (keyed zone) or "." (operator row)
  ZoneKind kind = ZoneKind::kIp;
  ZoneStatus status = ZoneStatus::kLive;
  std::string since;          ///< "YYYY", "YYYY-MM" or "YYYY-MM-DD"; empty if unknown
  std::string superseded_by;  ///< empty if none
  std::vector<MemberZone> members;
  std::optional<ReplyFilter> recommended_filter;
  std::string recommended_filter_text;  ///< as written in the table; empty if none
  std::vector<PolicyCode> policy_codes;
  bool needs_registration = false;
  Ipv6Support ipv6 = Ipv6Support::kUnknown;
  Confidence confidence = Confidence::kMedium;
  std::string note;
  std::vector<std::string> sources;
  int line = 0;  ///< line in dnsbl.tsv

  bool IsDead() const;
  bool IsAllowlist() const { return kind == ZoneKind::kIpAllow || kind == ZoneKind::kDomainAllow; }
  bool IsKeyed() const { return zone.starts_with("*."); }
  /// An operator row (".sorbs.net"): it covers every zone under the domain.
  bool IsOperator() const { return zone.starts_with("."); }
  /// True when `canonical` (a lowercase zone without final dot) lies under
  /// this operator row's domain; false for other rows.
  bool Covers(std::string_view canonical) const {
    return IsOperator() && canonical.size() > zone.size() && canonical.ends_with(zone);
  }
  bool HasRecommendedFilter() const { return recommended_filter.has_value(); }
  bool HasPolicyCodes() const { return !policy_codes.empty(); }
  /// The policy entry matching `address`, or null when it is an ordinary answer.
  const PolicyCode* PolicyCodeFor(const std::array<uint8_t, 4>& address) const;
};

/// A combined zone that contains a member's data.
struct Containment {
  const ZoneInfo* combined = nullptr;
  std::string combined_zone;  ///< concrete name; a keyed zone gets the caller's key
  ReplyFilter codes;          ///< the member's answers inside the combined zone
};

/// Which of several configured zones contains a member's data.
struct ContainerMatch {
  std::size_t index = 0;  ///< position in the candidates given
  Containment containment;
};

/// The loaded catalogue.
class Catalogue {
 public:
  /// Parses and validates TSV text; `file` names it in error messages.
  static Result<Catalogue> Parse(std::string_view tsv, std::string_view file);
  /// Parses TSV text that Parse() has accepted before (the built-in table,
  /// which the catalogue tests check): the same rows, without the checks
  /// that only catch a bad edit (zone, date and URL syntax, rules between
  /// columns and between rows). Malformed fields still fail.
  static Result<Catalogue> ParseTrusted(std::string_view tsv, std::string_view file);

  /// The zone's row: exact match first, then a keyed "*." row, then the
  /// operator row of the nearest enclosing domain (".sorbs.net" for
  /// "safe.dnsbl.sorbs.net"). Null if unknown.
  const ZoneInfo* Find(std::string_view zone) const;
  /// Every combined zone listing `zone` as a member, with the member's codes.
  std::vector<Containment> ContainingLists(std::string_view zone) const;
  /// The codes `member` has inside `combined`, if it is one of its members.
  std::optional<ReplyFilter> MemberCodes(std::string_view member, std::string_view combined) const;
  /// The first of `candidates` (zone names as configured, e.g. the other
  /// entries of one restriction list) that is a combined zone containing
  /// `zone`; nullopt when none is (sbl.spamhaus.org finds zen.spamhaus.org).
  std::optional<ContainerMatch> FindContainerAmong(
      std::string_view zone, std::span<const std::string_view> candidates) const;
  /// True when `member` is a member of `combined` (as ContainingLists sees it).
  bool IsMemberOf(std::string_view member, std::string_view combined) const {
    return MemberCodes(member, combined).has_value();
  }

  const std::vector<ZoneInfo>& zones() const { return zones_; }

 private:
  static Result<Catalogue> Load(std::string_view tsv, std::string_view file, bool verify);

  std::vector<ZoneInfo> zones_;
  std::unordered_map<std::string, std::size_t> by_zone_;
};

/// The catalogue built from the embedded rules/data/dnsbl.tsv, parsed once
/// (ParseTrusted) and kept until the process ends (never destroyed).
/// Not ok only if the shipped data is broken (the tests prevent that).
const Result<Catalogue>& BuiltinCatalogue();

/// The built-in catalogue, or null if it failed to load (a build bug the
/// catalogue tests catch; rules then stay silent rather than crash).
const Catalogue* Zones();

/// The spelling lookups use: ASCII lowercase, one trailing dot removed.
std::string CanonicalZone(std::string_view zone);

/// Table spellings of the enums ("ip", "dead-empty", "over-quota", ...).
std::string_view ZoneKindName(ZoneKind kind);
std::string_view ZoneStatusName(ZoneStatus status);
std::string_view PolicyReasonName(PolicyReason reason);
std::optional<ZoneKind> ParseZoneKind(std::string_view text);
std::optional<ZoneStatus> ParseZoneStatus(std::string_view text);
std::optional<PolicyReason> ParsePolicyReason(std::string_view text);

}  // namespace postvet::dnsbl
