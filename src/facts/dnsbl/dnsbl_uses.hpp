// Every place a configuration asks a DNS list something: the zone arguments
// of reject_rbl_client (and its alias reject_rbl), reject_rhsbl_client,
// reject_rhsbl_reverse_client, reject_rhsbl_helo, reject_rhsbl_sender,
// reject_rhsbl_recipient, permit_dnswl_client and permit_rhswl_client in the
// smtpd restriction lists and restriction classes, and the items of
// postscreen_dnsbl_sites; in main.cf and in each smtpd/postscreen service's
// master.cf `-o` scope. Used by the DNSBL rules (PV2xx), the live probe
// (PV9xx) and the tuning advisor.
//
// Contract: lists are read the way smtpd reads them (smtpd_check.c
// generic_checks()): restriction names compare case-insensitively, a name
// that takes an argument consumes the next list word (check_*_access,
// check_policy_service, the DNS list names), `warn_if_reject` applies to the
// next restriction. Each list appears once: a service whose list is exactly
// main.cf's (same entries from the same bytes) is recorded in
// DnsblList::also_services instead of being repeated. Entries keep where
// they are written (ExpandList()), so a zone inside `$name` is located in
// that parameter, with the references followed in `via`. Malformed entries
// are kept, with ParseDnsblEntry()'s error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/facts/dnsbl/reply_filter.hpp"
#include "src/base/location.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
class LintContext;
struct MasterService;
}  // namespace postvet

namespace postvet::dnsbl {

/// Which check asks the list.
enum class CheckKind : uint8_t {
  kRblClient,           ///< reject_rbl_client (reject_rbl is an alias)
  kRhsblClient,         ///< reject_rhsbl_client
  kRhsblReverseClient,  ///< reject_rhsbl_reverse_client
  kRhsblHelo,           ///< reject_rhsbl_helo
  kRhsblSender,         ///< reject_rhsbl_sender
  kRhsblRecipient,      ///< reject_rhsbl_recipient
  kDnswlClient,         ///< permit_dnswl_client
  kRhswlClient,         ///< permit_rhswl_client
  kPostscreen,          ///< an item of postscreen_dnsbl_sites
};

/// The restriction name ("reject_rbl_client"), or "postscreen_dnsbl_sites".
std::string_view CheckKindName(CheckKind kind);
/// The check kind of a restriction name (any case), or nullopt.
std::optional<CheckKind> CheckKindFromKeyword(std::string_view word);
/// permit_dnswl_client / permit_rhswl_client: a hit permits, it never rejects.
bool IsPermitCheck(CheckKind kind);
/// Any of the smtpd reject_rbl_* / reject_rhsbl_* checks.
bool IsRejectCheck(CheckKind kind);

/// What kind of list holds the uses.
enum class ListKind : uint8_t {
  kRestrictions,      ///< smtpd_{client,helo,sender,relay,recipient,data,end_of_data,etrn}_restrictions
  kRestrictionClass,  ///< a class named in smtpd_restriction_classes
  kPostscreenSites,   ///< postscreen_dnsbl_sites
};

/// How smtpd reads one word of a restriction list.
enum class TokenRole : uint8_t {
  kRestriction,  ///< a restriction name (or a map used as one)
  kArgument,     ///< the argument of the restriction before it
  kPrefix,       ///< warn_if_reject
  kSite,         ///< an item of postscreen_dnsbl_sites
};

/// One DNS list query configured somewhere.
struct DnsblUse {
  CheckKind check = CheckKind::kRblClient;
  /// `warn_if_reject` precedes the restriction: a hit is only logged.
  bool log_only = false;

  /// The list parameter evaluated ("smtpd_client_restrictions", a class name,
  /// "postscreen_dnsbl_sites") and what kind of list it is.
  std::string list;
  ListKind list_kind = ListKind::kRestrictions;
  /// The master.cf service whose `-o` scope this was read in; null for main.cf.
  const MasterService* service = nullptr;

  /// The zone word as Postfix sees it ("zen.spamhaus.org=127.0.0.[2..11]*3");
  /// empty when the restriction has no argument (`missing_zone`).
  std::string entry;
  /// Its parts (ParseDnsblEntry()); zone as written, case and final dot kept.
  std::string zone;
  std::string filter_text;
  std::optional<ReplyFilter> filter;
  std::string weight_text;
  int weight = 1;  ///< postscreen weight (default 1); 1 for smtpd checks
  bool has_weight = false;
  /// Why Postfix cannot use the entry (empty when it can), and the byte of
  /// `entry` the problem starts at.
  std::string error;
  std::size_t error_offset = 0;
  /// The restriction is the last word of its list: smtpd warns "restriction
  /// ... requires domain name argument" and skips it.
  bool missing_zone = false;

  /// The parameter whose value holds the zone word, and where it is written
  /// (source null: a built-in default). `zone_exact`: the location is this
  /// word itself, not a larger `$`-expression that produced it.
  std::string param;
  Location zone_location;
  bool zone_exact = true;
  /// The restriction name ("reject_rbl_client"); source null for postscreen.
  Location keyword_location;
  /// The warn_if_reject before it; source null when there is none.
  Location prefix_location;
  /// The `$name` references followed from the list parameter to `param`,
  /// outermost first, and the parameters holding them.
  std::vector<Location> via;
  std::vector<std::string> via_params;

  /// Indices into DnsblList::entries: the zone word, the restriction name
  /// (== zone_index for postscreen), and the first word of the entry (the
  /// warn_if_reject when there is one).
  std::size_t zone_index = 0;
  std::size_t keyword_index = 0;
  std::size_t first_index = 0;

  bool ok() const { return error.empty() && !missing_zone; }
  /// The filter in effect (Any() without "=filter").
  ReplyFilter EffectiveFilter() const { return filter ? *filter : ReplyFilter::Any(); }
  /// The zone as lookups compare it: lowercase, no final dot.
  std::string CanonicalZone() const;
};

/// One restriction list (or postscreen_dnsbl_sites) in one scope.
struct DnsblList {
  ListKind kind = ListKind::kRestrictions;
  std::string param;
  /// Scope the list was read in (null: main.cf), and the other services
  /// whose list is this very one (same entries from the same bytes).
  const MasterService* service = nullptr;
  std::vector<const MasterService*> also_services;
  /// Every word of the list after expansion, and how smtpd reads it.
  std::vector<ListEntry> entries;
  std::vector<TokenRole> roles;
  /// The DNS list uses among them, in list order.
  std::vector<DnsblUse> uses;
  /// For each use, the first use that is the same entry (same check,
  /// warn_if_reject state, zone without case or final dot, filter by
  /// meaning, weight); itself when there is none or it is malformed.
  std::vector<std::size_t> first_copy;

  /// True when the list is in effect in main.cf's scope or `service`'s.
  bool InScope(const MasterService* scope) const;
};

/// The smtpd restriction list parameters, in the order an SMTP session
/// evaluates them.
const std::vector<std::string_view>& SmtpdRestrictionParams();

/// Every list that uses DNS lists or might (all smtpd restriction lists,
/// restriction classes and postscreen_dnsbl_sites that have entries), in
/// main.cf's scope and then in each smtpd/postscreen service's `-o` scope
/// where that differs. Lists without entries are left out. Computes them
/// anew: rules and tools read the cached FactsOf(ctx).DnsblLists().
std::vector<DnsblList> CollectDnsblLists(const LintContext& ctx);

/// Splits one list's expanded entries into uses (exposed for tests and for
/// callers that expand lists themselves).
DnsblList ReadDnsblList(ListKind kind, std::string param, const MasterService* service,
                        std::vector<ListEntry> entries);

/// All uses of all lists, flattened, in CollectDnsblLists() order (from the
/// cached FactsOf(ctx)).
std::vector<DnsblUse> CollectDnsblUses(const LintContext& ctx);

/// The scope's name for messages: "main.cf" or "service submission".
std::string ScopeName(const MasterService* service);

}  // namespace postvet::dnsbl
