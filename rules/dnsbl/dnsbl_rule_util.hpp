// Helpers shared by the DNSBL rules (PV201-PV210): naming a use in
// messages, notes for `$name` provenance, the comparisons that decide when
// one entry repeats or covers another, and the fixes that delete entries.
//
// Contract: the comparisons follow what smtpd and postscreen do (smtpd
// stops at the first restriction that decides and caches lookups per zone;
// postscreen adds the weight of every matching entry), and deletion fixes
// are produced only when every word of the entry is written literally in
// one parameter value (list_edit.hpp has the byte-level rules).
#pragma once

#include <deque>
#include <map>
#include <tuple>
#include <optional>
#include <string>
#include <vector>

#include "src/facts/dnsbl/catalogue.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/fix/list_edit.hpp"
#include "src/engine/rule.hpp"
#include "src/engine/diagnostic.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::dnsbl {

/// The entry as written in the list: "reject_rbl_client zen.spamhaus.org",
/// "warn_if_reject reject_rbl_client ...", or "zen.spamhaus.org*3".
std::string Describe(const DnsblUse& use);
/// What the check looks up, for messages: "client", "client hostname",
/// "HELO name", "sender domain", ...
std::string_view LookedUp(CheckKind kind);
/// True for the checks that look up the client's IP address
/// (reject_rbl_client, permit_dnswl_client, postscreen_dnsbl_sites); false
/// for those that look up a domain name (reject_rhsbl_*, permit_rhswl_client).
bool AsksAboutAddress(CheckKind kind);
/// " (since 2024-06-05)" from the catalogue row, or "".
std::string Since(const ZoneInfo& info);
/// For a use matched by an operator row (".sorbs.net"): that the catalogue
/// has no row for the zone itself but covers every zone under the domain.
std::string OperatorNote(const DnsblUse& use, const ZoneInfo& info);

/// The list for messages: "smtpd_client_restrictions", "restriction class
/// foo", "postscreen_dnsbl_sites", plus " (service submission)" in a
/// master.cf scope.
std::string ListName(const DnsblList& list);
std::string ListName(const DnsblUse& use);

/// Notes at each `$name` reference followed to reach the use ("included in
/// smtpd_client_restrictions here"), and at the services sharing the list.
void AddUseNotes(const LintContext& ctx, const DnsblList& list, const DnsblUse& use, Diagnostic* d);

/// Same check, warn_if_reject state, zone (case and final dot ignored),
/// reply filter (by meaning: `127.0.0.2` equals `127.0.0.[2]`) and weight.
bool SameEntry(const DnsblUse& a, const DnsblUse& b);
/// The first use before `uses[i]` in the list that is SameEntry() with it.
std::optional<size_t> EarlierDuplicate(const DnsblList& list, size_t i);

/// True when `earlier` sits inside the expansion of the parameter holding
/// `later`: deleting `later` from that parameter then keeps `earlier` in
/// every list that includes the parameter.
bool InsideExpansionOf(const DnsblUse& earlier, const DnsblUse& later);

/// An entry that makes a use unnecessary in an smtpd list: the same check
/// with the same warn_if_reject state, whose hits include every hit of the
/// use, and that smtpd reaches whenever it reaches the use with the same
/// outcome (earlier in the list, or later with only DNS list checks of the
/// same direction in between). Entries without a filter of lists with error
/// codes are compared as if they had the recommended filter (PV205's fix),
/// so the answer does not change when PV205's fixes are applied.
struct Cover {
  size_t index = 0;     ///< into list.uses
  std::string reason;   ///< why, for the message
};
/// The earliest cover of each use of `list` (nullopt: none); always none in
/// postscreen_dnsbl_sites, where weights add up.
std::vector<std::optional<Cover>> FindCovers(const Catalogue& zones, const DnsblList& list);

/// Edits deleting every word of each use (warn_if_reject, restriction name,
/// zone); nullopt when some word is not written literally or the words of
/// one use lie in different parameter values.
/// `cache` (optional) keeps scanned values between calls of one rule run.
std::optional<std::vector<Edit>> DeleteUses(const LintContext& ctx, const DnsblList& list,
                                            const std::vector<const DnsblUse*>& uses,
                                            WordCache* cache = nullptr);
/// A safe fix deleting one use, or nullopt.
std::optional<Fix> DeleteUseFix(const LintContext& ctx, const DnsblList& list, const DnsblUse& use,
                                std::string description, WordCache* cache = nullptr);

/// Turns `fix` (when set) into an unsafe one: `why` says what it could
/// change beyond what the rule states (a reply map, a postscreen score).
void MarkUnsafe(std::optional<Fix>* fix, const std::string& why);

/// The zone word's byte range when it is written literally (exact and the
/// same length as the entry), else nullopt.
std::optional<Location> LiteralZoneWord(const DnsblUse& use);

/// Appends a detail note (a Note without a place) with `text`, a final
/// period dropped; empty text adds nothing. Findings::Emit() puts detail
/// notes after the located ones.
void AddDetail(Diagnostic* d, std::string text);

/// "zen.spamhaus.org", lowercase, for Diagnostic::subject.
std::string Subject(const DnsblUse& use);

/// A rule's findings keyed by where they are reported, so that a word used
/// by several lists (through `$name`, or by several services) is reported
/// once, with notes for the further uses.
class Findings {
 public:
  /// The finding reported at `at`, or null.
  Diagnostic* At(const Location& at);
  /// A new finding (rule and severity are stamped by Emit()); the reference
  /// stays valid until Emit().
  Diagnostic& Add(Location at, std::string message, std::string subject);
  /// Appends the notes `d` does not have yet.
  static void AddNotes(Diagnostic* d, const std::vector<Note>& notes);
  /// Reports every finding through `sink`, each with its located notes
  /// before its detail notes.
  void Emit(Sink& sink);

 private:
  std::deque<Diagnostic> items_;  // a deque: references stay valid as findings are added
  std::map<std::tuple<const Source*, uint32_t, uint32_t>, Diagnostic*> by_place_;
};

}  // namespace postvet::dnsbl
