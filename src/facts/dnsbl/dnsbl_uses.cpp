#include "src/facts/dnsbl/dnsbl_uses.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/facts/computation_count.hpp"
#include "src/facts/dnsbl/catalogue.hpp"
#include "src/facts/facts.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::dnsbl {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// smtpd_check.c: the check_*_access family and check_address_map take a
// map as their argument (is_map_command()), check_policy_service a server.
bool TakesArgument(std::string_view lower) {
  if (!lower.starts_with("check_")) return false;
  return lower.ends_with("_access") || lower == "check_policy_service" || lower == "check_address_map";
}

void FillUse(const ListEntry& word, DnsblUse* use) {
  use->entry = word.text;
  use->param = word.param;
  use->zone_location = word.where;
  use->zone_exact = word.exact;
  use->via = word.via;
  use->via_params = word.via_params;
  EntrySyntax syntax = use->check == CheckKind::kPostscreen ? EntrySyntax::kPostscreen : EntrySyntax::kSmtpd;
  std::size_t offset = 0;
  Result<DnsblEntry> parsed = ParseDnsblEntry(word.text, syntax, &offset);
  if (!parsed.ok()) {
    use->error = parsed.status().message();
    use->error_offset = offset;
    // Keep the zone part for messages even when the rest is broken.
    std::string_view text = word.text;
    use->zone = std::string(text.substr(0, text.find_first_of("=*")));
    return;
  }
  const DnsblEntry& e = parsed.value();
  // A one-label "zone" after an smtpd DNS list check is almost always the
  // next restriction, taken as the zone because the real one is missing.
  if (syntax == EntrySyntax::kSmtpd && e.zone.find('.') == std::string_view::npos) {
    use->error = fmt::format("\"{}\" has no dot: it is no DNS list zone (is the zone missing, so that "
                             "the next restriction became the argument?)",
                             e.zone);
    use->error_offset = 0;
    use->zone = std::string(e.zone);
    return;
  }
  use->zone = std::string(e.zone);
  use->filter_text = std::string(e.filter_text);
  use->filter = e.filter;
  use->weight_text = std::string(e.weight_text);
  use->weight = e.weight;
  use->has_weight = e.has_weight;
}

// Equal for entries that are the same to Postfix (see DnsblList::first_copy):
// compared by value, not through a formatted string.
struct CopyKey {
  CheckKind check;
  bool log_only;
  int weight;
  std::string zone;  // canonical
  ReplyFilter filter;

  bool operator==(const CopyKey& other) const = default;
};

struct CopyKeyHash {
  std::size_t operator()(const CopyKey& k) const {
    std::size_t h = std::hash<std::string>{}(k.zone);
    auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(static_cast<std::size_t>(k.check));
    mix(k.log_only ? 1 : 0);
    mix(static_cast<std::size_t>(static_cast<unsigned>(k.weight)));
    for (const OctetSet& octet : k.filter.octets) mix(octet.Hash());
    return h;
  }
};

void FindCopies(DnsblList* list) {
  std::unordered_map<CopyKey, std::size_t, CopyKeyHash> first;
  list->first_copy.resize(list->uses.size());
  for (std::size_t i = 0; i < list->uses.size(); ++i) {
    list->first_copy[i] = i;
    const DnsblUse& use = list->uses[i];
    if (!use.ok()) continue;
    CopyKey key{use.check, use.log_only, use.weight, use.CanonicalZone(), use.EffectiveFilter()};
    list->first_copy[i] = first.try_emplace(std::move(key), i).first->second;
  }
}

bool SameLocation(const Location& a, const Location& b) {
  return a.source == b.source && a.begin == b.begin && a.end == b.end;
}

// True when two lists are the very same words from the same bytes (same
// kind and parameter; each word's text, place, exactness and `$` path).
bool SameWords(const DnsblList& a, const DnsblList& b) {
  if (a.kind != b.kind || a.param != b.param || a.entries.size() != b.entries.size()) return false;
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    const ListEntry& x = a.entries[i];
    const ListEntry& y = b.entries[i];
    if (!SameLocation(x.where, y.where) || x.exact != y.exact || x.text != y.text) return false;
    if (x.via.size() != y.via.size()) return false;
    for (std::size_t v = 0; v < x.via.size(); ++v) {
      if (!SameLocation(x.via[v], y.via[v])) return false;
    }
  }
  return true;
}

struct Collector {
  const LintContext& ctx;
  std::vector<DnsblList> lists;

  void Add(ListKind kind, std::string_view param, const MasterService* service) {
    std::vector<ListEntry> entries = ExpandList(ctx, param, service);
    if (entries.empty()) return;
    DnsblList list = ReadDnsblList(kind, std::string(param), service, std::move(entries));
    for (std::size_t i = 0; i < lists.size(); ++i) {
      if (!SameWords(lists[i], list)) continue;
      if (service != nullptr && lists[i].service != service &&
          std::find(lists[i].also_services.begin(), lists[i].also_services.end(), service) ==
              lists[i].also_services.end()) {
        lists[i].also_services.push_back(service);
      }
      return;
    }
    lists.push_back(std::move(list));
  }

  void AddSmtpd(const MasterService* service) {
    for (std::string_view param : SmtpdRestrictionParams()) Add(ListKind::kRestrictions, param, service);
    // smtpd looks restriction classes up by their exact name.
    std::set<std::string> seen;
    for (const ListEntry& name : ExpandList(ctx, "smtpd_restriction_classes", service)) {
      const std::vector<std::string_view>& smtpd = SmtpdRestrictionParams();
      if (std::find(smtpd.begin(), smtpd.end(), name.text) != smtpd.end()) continue;
      if (!seen.insert(name.text).second) continue;
      Add(ListKind::kRestrictionClass, name.text, service);
    }
  }
};

}  // namespace

std::string_view CheckKindName(CheckKind kind) {
  switch (kind) {
    case CheckKind::kRblClient: return "reject_rbl_client";
    case CheckKind::kRhsblClient: return "reject_rhsbl_client";
    case CheckKind::kRhsblReverseClient: return "reject_rhsbl_reverse_client";
    case CheckKind::kRhsblHelo: return "reject_rhsbl_helo";
    case CheckKind::kRhsblSender: return "reject_rhsbl_sender";
    case CheckKind::kRhsblRecipient: return "reject_rhsbl_recipient";
    case CheckKind::kDnswlClient: return "permit_dnswl_client";
    case CheckKind::kRhswlClient: return "permit_rhswl_client";
    case CheckKind::kPostscreen: return "postscreen_dnsbl_sites";
  }
  return "?";
}

std::optional<CheckKind> CheckKindFromKeyword(std::string_view word) {
  std::string lower = Lower(word);
  // "reject_rbl" is smtpd's historical alias of reject_rbl_client.
  if (lower == "reject_rbl_client" || lower == "reject_rbl") return CheckKind::kRblClient;
  if (lower == "reject_rhsbl_client") return CheckKind::kRhsblClient;
  if (lower == "reject_rhsbl_reverse_client") return CheckKind::kRhsblReverseClient;
  if (lower == "reject_rhsbl_helo") return CheckKind::kRhsblHelo;
  if (lower == "reject_rhsbl_sender") return CheckKind::kRhsblSender;
  if (lower == "reject_rhsbl_recipient") return CheckKind::kRhsblRecipient;
  if (lower == "permit_dnswl_client") return CheckKind::kDnswlClient;
  if (lower == "permit_rhswl_client") return CheckKind::kRhswlClient;
  return std::nullopt;
}

bool IsPermitCheck(CheckKind kind) { return kind == CheckKind::kDnswlClient || kind == CheckKind::kRhswlClient; }

bool IsRejectCheck(CheckKind kind) { return kind != CheckKind::kPostscreen && !IsPermitCheck(kind); }

std::string DnsblUse::CanonicalZone() const { return dnsbl::CanonicalZone(zone); }

bool DnsblList::InScope(const MasterService* scope) const {
  if (service == scope) return true;
  return scope != nullptr && std::find(also_services.begin(), also_services.end(), scope) != also_services.end();
}

const std::vector<std::string_view>& SmtpdRestrictionParams() {
  static const std::vector<std::string_view> params = {
      "smtpd_client_restrictions",    "smtpd_helo_restrictions", "smtpd_sender_restrictions",
      "smtpd_relay_restrictions",     "smtpd_recipient_restrictions", "smtpd_data_restrictions",
      "smtpd_end_of_data_restrictions", "smtpd_etrn_restrictions",
  };
  return params;
}

DnsblList ReadDnsblList(ListKind kind, std::string param, const MasterService* service,
                        std::vector<ListEntry> entries) {
  DnsblList list;
  list.kind = kind;
  list.param = std::move(param);
  list.service = service;
  list.entries = std::move(entries);
  const std::size_t n = list.entries.size();
  if (kind == ListKind::kPostscreenSites) {
    list.roles.assign(n, TokenRole::kSite);
    for (std::size_t i = 0; i < n; ++i) {
      DnsblUse use;
      use.check = CheckKind::kPostscreen;
      use.list = list.param;
      use.list_kind = kind;
      use.service = service;
      use.zone_index = use.keyword_index = use.first_index = i;
      FillUse(list.entries[i], &use);
      list.uses.push_back(std::move(use));
    }
    FindCopies(&list);
    return list;
  }
  list.roles.assign(n, TokenRole::kRestriction);
  // The warn_if_reject waiting for its restriction (a plain index rather
  // than an optional: GCC 12 misreports the optional as uninitialized).
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::size_t prefix = kNone;
  for (std::size_t i = 0; i < n; ++i) {
    const ListEntry& word = list.entries[i];
    std::string lower = Lower(word.text);
    // generic_checks(): warn_if_reject applies to the next restriction.
    if (lower == "warn_if_reject") {
      list.roles[i] = TokenRole::kPrefix;
      if (prefix == kNone) prefix = i;
      continue;
    }
    if (std::optional<CheckKind> check = CheckKindFromKeyword(lower)) {
      DnsblUse use;
      use.check = *check;
      use.log_only = prefix != kNone;
      use.list = list.param;
      use.list_kind = kind;
      use.service = service;
      use.keyword_location = word.where;
      use.keyword_index = i;
      use.first_index = prefix != kNone ? prefix : i;
      if (prefix != kNone) use.prefix_location = list.entries[prefix].where;
      if (i + 1 < n) {
        list.roles[i + 1] = TokenRole::kArgument;
        use.zone_index = i + 1;
        FillUse(list.entries[i + 1], &use);
        ++i;
      } else {
        use.missing_zone = true;
        use.zone_index = i;
        use.param = word.param;
        use.zone_location = word.where;
        use.zone_exact = word.exact;
        use.via = word.via;
        use.via_params = word.via_params;
      }
      list.uses.push_back(std::move(use));
    } else if (TakesArgument(lower) && i + 1 < n) {
      list.roles[i + 1] = TokenRole::kArgument;
      ++i;
    }
    prefix = kNone;
  }
  FindCopies(&list);
  return list;
}

std::vector<DnsblList> CollectDnsblLists(const LintContext& ctx) {
  facts::CountComputation(facts::Computation::kDnsblLists);
  Collector c{ctx, {}};
  c.AddSmtpd(nullptr);
  c.Add(ListKind::kPostscreenSites, "postscreen_dnsbl_sites", nullptr);
  if (ctx.master_file() != nullptr) {
    for (const MasterService& s : ctx.master_cf().services) {
      std::string_view command = s.field(MasterField::kCommand).text;
      if (command == "smtpd") c.AddSmtpd(&s);
      if (command == "postscreen") c.Add(ListKind::kPostscreenSites, "postscreen_dnsbl_sites", &s);
    }
  }
  return std::move(c.lists);
}

std::vector<DnsblUse> CollectDnsblUses(const LintContext& ctx) { return FactsOf(ctx).DnsblUses(); }

std::string ScopeName(const MasterService* service) {
  if (service == nullptr) return "main.cf";
  return fmt::format("service {} (master.cf)", service->name());
}

}  // namespace postvet::dnsbl
