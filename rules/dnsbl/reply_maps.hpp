// What the reply maps of the DNS list checks answer, so that a fix can tell
// whether deleting or rewriting an entry keeps the reply a client gets.
//
// rbl_reply_maps (smtpd): smtpd_check.c rbl_reject_reply() looks the
// restriction's argument up exactly as written, "zone=filter" included
// (Postfix 3.7; only 3.10 falls back to the bare zone), and uses
// default_rbl_reply when no map answers. postscreen_dnsbl_reply_map
// (postscreen) is keyed on the bare domain, so no fix of postvet changes
// its lookups (none renames a zone).
//
// Contract: a map reference is read when postvet can see all of it:
// inline:{...} and static:... from the value itself, texthash: files inside
// the configuration directory (read from disk, keys folded to lowercase as
// Postfix folds fixed-table keys), regexp:/pcre: tables the loader loaded.
// Anything else (hash:, lmdb:, ldap:, a file outside the config dir, a value
// that does not expand) gives kUnknown: then nothing can be proven.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postvet {
class LintContext;
struct MasterService;
}  // namespace postvet

namespace postvet::dnsbl {

struct DnsblList;
struct DnsblUse;

/// The answer of a map list to one key.
struct ReplyAnswer {
  enum class Kind { kNotFound, kFound, kUnknown };
  Kind kind = Kind::kNotFound;
  std::string text;  ///< the reply template (kFound), or why postvet cannot tell (kUnknown)

  bool operator==(const ReplyAnswer& o) const {
    return kind == o.kind && (kind != Kind::kFound || text == o.text);
  }
};

/// Looks `key` up in the maps parameter `param` names in `scope` (null:
/// main.cf), as maps_find() does: each map in order, the first that answers.
ReplyAnswer LookupReply(const LintContext& ctx, std::string_view param, const MasterService* scope,
                        std::string_view key);

/// Every scope a list is in effect in: its own service (or main.cf) and the
/// services sharing it.
std::vector<const MasterService*> ListScopes(const DnsblList& list);

/// Why smtpd's reply would change when a client that `use` rejects gets
/// rejected under the argument `new_key` instead (rbl_reply_maps answers
/// differently, or postvet cannot read a map it names); nullopt when the
/// reply stays the same in every scope of `list`. Only reject checks reply.
std::optional<std::string> ReplyChange(const LintContext& ctx, const DnsblList& list, const DnsblUse& use,
                                       std::string_view new_key);

}  // namespace postvet::dnsbl
