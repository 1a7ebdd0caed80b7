#include "src/probe/resolver_check.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "src/facts/dnsbl/catalogue.hpp"
#include "src/probe/which_resolver.hpp"

namespace postvet::probe {
namespace {

constexpr std::string_view kHint =
    "no list verdicts were given and nothing was fixed; probe through the resolver Postfix should use, a local "
    "recursive one (--resolver IP[:PORT])";

bool ResolverLevelPolicy(const PointResult& r) {
  return r.answer == AnswerClass::kPolicy &&
         (r.policy == "public-resolver" || r.policy == "over-quota" || r.policy == "refused");
}

std::string Address(const std::array<uint8_t, 4>& a) { return fmt::format("{}.{}.{}.{}", a[0], a[1], a[2], a[3]); }

bool IsError(AnswerClass a) {
  return a == AnswerClass::kServFail || a == AnswerClass::kRefused || a == AnswerClass::kMalformed ||
         a == AnswerClass::kNoAnswer;
}

// The zone's IPv4 (or domain) "must be listed" point.
const PointResult* ListedPoint(const ZoneReport& z) {
  for (const PointResult& r : z.points) {
    if (r.point.expect == Expect::kListed && !r.point.ipv6) return &r;
  }
  return nullptr;
}

}  // namespace

std::vector<TestPoint> ControlPoints(std::mt19937& rng) {
  std::uniform_int_distribution<uint32_t> word(0, 0xffffff);
  std::string invalid = fmt::format("pv{:06x}.invalid", word(rng));
  return {
      {"a.root-servers.net", "a.root-servers.net", Expect::kListed, false, false},
      {invalid, invalid, Expect::kNotListed, false, true},
  };
}

std::optional<std::string> ResolverFailure(const ProbeResults& results, const std::string& resolver) {
  const std::vector<PointResult>& controls = results.controls;
  if (controls.size() < 2) return std::nullopt;
  const PointResult& exists = controls[0];
  const PointResult& invalid = controls[1];

  // 1. Nothing answered at all.
  bool any_answer = std::any_of(controls.begin(), controls.end(),
                                [](const PointResult& r) { return r.answer != AnswerClass::kNoAnswer; });
  for (const ZoneReport& z : results.zones) {
    for (const PointResult& r : z.points) any_answer = any_answer || r.answer != AnswerClass::kNoAnswer;
  }
  if (!any_answer) {
    std::string why = exists.outcome.detail.empty() ? std::string(DnsStatusName(exists.outcome.status))
                                                    : exists.outcome.detail;
    return fmt::format("the resolver {} did not answer any query ({}), not even for {}: it is down, blocked, or "
                       "nothing listens there; {}",
                       resolver, why, exists.point.query, kHint);
  }

  // 2. Lists refuse this resolver (public or shared resolver, over quota).
  std::vector<std::string> refusing;
  for (const ZoneReport& z : results.zones) {
    for (const PointResult& r : z.points) {
      if (!ResolverLevelPolicy(r)) continue;
      refusing.push_back(fmt::format("{} answers {} (its \"{}\" code)", z.target.zone,
                                     r.outcome.addresses.empty() ? "?" : Address(r.outcome.addresses.front()),
                                     r.policy));
      break;
    }
  }
  if (!refusing.empty()) {
    std::string list;
    for (const std::string& s : refusing) list += (list.empty() ? "" : "; ") + s;
    return fmt::format("DNS lists refuse the resolver {}: {}. These lists will not work through it, for Postfix "
                       "either, and it is most likely a public or shared resolver; {}",
                       resolver, list, kHint);
  }

  // 3. An address for a name that can exist nowhere: every negative point
  // would look listed.
  if (invalid.outcome.status == DnsStatus::kAnswer && !invalid.outcome.addresses.empty()) {
    return fmt::format("the resolver {} answers {} for {}, a name that cannot exist (RFC 6761): it rewrites "
                       "NXDOMAIN or answers every name, so every DNS list would look as if it listed everyone; {}",
                       resolver, Address(invalid.outcome.addresses.front()), invalid.point.query, kHint);
  }

  // 4. NXDOMAIN for a name that exists everywhere and for every list's
  // listed test point: every list would look dead.
  bool exists_missing = exists.answer == AnswerClass::kNotListed;
  bool all_dead = !results.zones.empty();
  for (const ZoneReport& z : results.zones) {
    const PointResult* p = ListedPoint(z);
    all_dead = all_dead && p != nullptr && p->answer == AnswerClass::kNotListed;
  }
  if (exists_missing && all_dead) {
    return fmt::format("the resolver {} answers {} for {}, a name that exists, and for the RFC 5782 test point "
                       "127.0.0.2 of every DNS list ({} zone{}): it has no working upstream (a locked-down host "
                       "or container?), so every list would look dead; {}",
                       resolver, DnsStatusName(exists.outcome.status), exists.point.query, results.zones.size(),
                       results.zones.size() == 1 ? "" : "s", kHint);
  }

  // 5. Nothing but errors (SERVFAIL, REFUSED, no answer) from controls and lists.
  bool only_errors = IsError(exists.answer) && IsError(invalid.answer);
  for (const ZoneReport& z : results.zones) {
    for (const PointResult& r : z.points) only_errors = only_errors && IsError(r.answer);
  }
  if (only_errors) {
    return fmt::format("the resolver {} answered every query with an error ({} for {}): it cannot resolve DNS "
                       "list names, so every list would look broken; {}",
                       resolver, DnsStatusName(exists.outcome.status), exists.point.query, kHint);
  }
  return std::nullopt;
}

std::optional<std::string> PublicResolverRefusal(const std::vector<ServerAddress>& servers,
                                                 const std::vector<ZoneTarget>& targets) {
  const ServerAddress* public_server = nullptr;
  std::string_view name;
  for (const ServerAddress& s : servers) {
    if (std::optional<std::string_view> n = PublicResolverName(s)) {
      public_server = &s;
      name = *n;
      break;
    }
  }
  const Result<dnsbl::Catalogue>& catalogue = dnsbl::BuiltinCatalogue();
  if (public_server == nullptr || !catalogue.ok()) return std::nullopt;
  std::string refusing;
  for (const ZoneTarget& t : targets) {
    const dnsbl::ZoneInfo* info = catalogue->Find(t.zone);
    if (info == nullptr) continue;
    bool refuses = info->needs_registration;
    for (const dnsbl::PolicyCode& code : info->policy_codes) {
      refuses = refuses || code.reason == dnsbl::PolicyReason::kPublicResolver;
    }
    if (refuses) refusing += (refusing.empty() ? "" : ", ") + t.zone;
  }
  if (refusing.empty()) return std::nullopt;
  return fmt::format("the resolver {} is a public resolver ({}); these DNS lists refuse or limit queries through "
                     "public resolvers and will not work through it: {}; {}",
                     ServerText(*public_server), name, refusing, kHint);
}

}  // namespace postvet::probe
