// Catalogue lookups and enum spellings. Loading and validation live in
// catalogue_loader.cpp.
#include "src/facts/dnsbl/catalogue.hpp"

#include <array>
#include <utility>

#include "src/base/embedded.hpp"

namespace postvet::dnsbl {

namespace {

template <typename E>
struct EnumName {
  E value;
  std::string_view name;
};

constexpr std::array<EnumName<ZoneKind>, 6> kKindNames = {{
    {ZoneKind::kIp, "ip"},
    {ZoneKind::kDomain, "domain"},
    {ZoneKind::kUri, "uri"},
    {ZoneKind::kIpAllow, "ip-allow"},
    {ZoneKind::kDomainAllow, "domain-allow"},
    {ZoneKind::kBoth, "both"},
}};

constexpr std::array<EnumName<ZoneStatus>, 6> kStatusNames = {{
    {ZoneStatus::kLive, "live"},
    {ZoneStatus::kDeadEmpty, "dead-empty"},
    {ZoneStatus::kDeadTimeout, "dead-timeout"},
    {ZoneStatus::kDeadListsEverything, "dead-lists-everything"},
    {ZoneStatus::kSuperseded, "superseded"},
    {ZoneStatus::kSubscription, "subscription"},
}};

constexpr std::array<EnumName<PolicyReason>, 6> kReasonNames = {{
    {PolicyReason::kTypo, "typo"},
    {PolicyReason::kPublicResolver, "public-resolver"},
    {PolicyReason::kOverQuota, "over-quota"},
    {PolicyReason::kBadKey, "bad-key"},
    {PolicyReason::kWrongQuery, "wrong-query"},
    {PolicyReason::kRefused, "refused"},
}};

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<EnumName<E>, N>& table, E value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> ValueOf(const std::array<EnumName<E>, N>& table, std::string_view name) {
  for (const auto& entry : table) {
    if (entry.name == name) return entry.value;
  }
  return std::nullopt;
}

// The key label of `canonical` when it matched the keyed row `row`.
std::string_view KeyOf(std::string_view canonical, const ZoneInfo& row) {
  if (!row.IsKeyed() || canonical == row.zone) return {};
  return canonical.substr(0, canonical.find('.'));
}

}  // namespace

std::string_view ZoneKindName(ZoneKind kind) { return NameOf(kKindNames, kind); }
std::string_view ZoneStatusName(ZoneStatus status) { return NameOf(kStatusNames, status); }
std::string_view PolicyReasonName(PolicyReason reason) { return NameOf(kReasonNames, reason); }
std::optional<ZoneKind> ParseZoneKind(std::string_view text) { return ValueOf(kKindNames, text); }
std::optional<ZoneStatus> ParseZoneStatus(std::string_view text) {
  return ValueOf(kStatusNames, text);
}
std::optional<PolicyReason> ParsePolicyReason(std::string_view text) {
  return ValueOf(kReasonNames, text);
}

bool KeyedByAddress(ZoneKind kind) {
  return kind == ZoneKind::kIp || kind == ZoneKind::kIpAllow || kind == ZoneKind::kBoth;
}

bool KeyedByName(ZoneKind kind) { return !KeyedByAddress(kind) || kind == ZoneKind::kBoth; }

std::string CanonicalZone(std::string_view zone) {
  if (zone.size() > 1 && zone.back() == '.') zone.remove_suffix(1);
  std::string out(zone);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool ZoneInfo::IsDead() const {
  return status == ZoneStatus::kDeadEmpty || status == ZoneStatus::kDeadTimeout ||
         status == ZoneStatus::kDeadListsEverything;
}

const PolicyCode* ZoneInfo::PolicyCodeFor(const std::array<uint8_t, 4>& address) const {
  for (const PolicyCode& code : policy_codes) {
    if (code.codes.Matches(address)) return &code;
  }
  return nullptr;
}

const ZoneInfo* Catalogue::Find(std::string_view zone) const {
  std::string canonical = CanonicalZone(zone);
  if (auto it = by_zone_.find(canonical); it != by_zone_.end()) return &zones_[it->second];
  std::size_t dot = canonical.find('.');
  if (dot == 0 || dot == std::string::npos) return nullptr;
  std::string keyed = "*" + canonical.substr(dot);
  if (auto it = by_zone_.find(keyed); it != by_zone_.end()) return &zones_[it->second];
  // Operator rows, nearest enclosing domain first.
  for (; dot != std::string::npos; dot = canonical.find('.', dot + 1)) {
    if (auto it = by_zone_.find(canonical.substr(dot)); it != by_zone_.end()) return &zones_[it->second];
  }
  return nullptr;
}

std::vector<Containment> Catalogue::ContainingLists(std::string_view zone) const {
  std::vector<Containment> out;
  std::string canonical = CanonicalZone(zone);
  const ZoneInfo* row = Find(canonical);
  if (row == nullptr) return out;
  std::string_view key = KeyOf(canonical, *row);
  for (const ZoneInfo& combined : zones_) {
    for (const MemberZone& member : combined.members) {
      if (member.zone != row->zone) continue;
      Containment c;
      c.combined = &combined;
      c.combined_zone = combined.zone;
      // The loader guarantees keyed members belong to keyed combined zones,
      // so the caller's key carries over ("K.sbl.dq..." is in "K.zen.dq...").
      if (!key.empty()) c.combined_zone = std::string(key) + combined.zone.substr(1);
      c.codes = member.codes;
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::optional<ReplyFilter> Catalogue::MemberCodes(std::string_view member,
                                                  std::string_view combined) const {
  std::string target = CanonicalZone(combined);
  for (const Containment& c : ContainingLists(member)) {
    if (c.combined_zone == target) return c.codes;
  }
  return std::nullopt;
}

std::optional<ContainerMatch> Catalogue::FindContainerAmong(
    std::string_view zone, std::span<const std::string_view> candidates) const {
  std::vector<Containment> containers = ContainingLists(zone);
  if (containers.empty()) return std::nullopt;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    std::string candidate = CanonicalZone(candidates[i]);
    for (Containment& c : containers) {
      if (c.combined_zone == candidate) return ContainerMatch{i, std::move(c)};
    }
  }
  return std::nullopt;
}

const Result<Catalogue>& BuiltinCatalogue() {
  // Never destroyed: freeing 150 rows at exit is work nobody needs. It stays
  // reachable through this pointer, so LeakSanitizer does not count it.
  static const Result<Catalogue>* const catalogue = new Result<Catalogue>([]() -> Result<Catalogue> {
    constexpr std::string_view kPath = "rules/data/dnsbl.tsv";
    std::optional<std::string_view> data = FindEmbedded(kPath);
    if (!data) return Status::Error(std::string(kPath) + ": not embedded in this build");
    // The tests check these bytes with the full Parse() (dnsbl_catalogue_test).
    return Catalogue::ParseTrusted(*data, kPath);
  }());
  return *catalogue;
}

const Catalogue* Zones() {
  const Result<Catalogue>& c = BuiltinCatalogue();
  return c.ok() ? &c.value() : nullptr;
}

}  // namespace postvet::dnsbl
