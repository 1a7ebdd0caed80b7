// The restriction lists of one configuration, parsed the way smtpd's
// generic_checks() walks them: which entries name a restriction, which are
// its argument, which are restriction classes, implicit `type:table`
// lookups, or names smtpd does not know.
//
// Contract: CollectRestrictionLists() reads main.cf's lists (and its
// smtpd_restriction_classes definitions) and, for every master.cf service
// that runs smtpd, the same lists as that service sees them (its -o
// overrides first). Entries come from ExpandList() (src/config/
// restriction_list.hpp): with locations, `$name` references followed.
// Nothing here reports; the rules PV109-PV111, PV601 and PV604 do. A list
// seen from several scopes holds the same entries more than once (same
// locations): a rule reports each location once. A service whose -o
// settings cannot change a list (none names a parameter the list's value
// reaches through `$`, the restriction classes are the same, and nothing
// service-dependent such as $service_name is used) shares main.cf's parsed
// list instead of walking it again, so 100 services over a list of 20,000
// entries cost one walk, not 100.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "src/config/restriction_list.hpp"
#include "src/facts/restriction/restriction_table.hpp"

namespace postvet {
class LintContext;
struct MasterService;
}  // namespace postvet

namespace postvet::restriction {

/// What is wrong with a restriction's argument, as smtpd sees it.
enum class ArgProblem : uint8_t {
  kNone,
  kMissing,           ///< the list ends where the argument should be
  kNotTable,          ///< the next entry has no ':' (smtpd: "need maptype:mapname", server error)
  kNotServer,         ///< check_policy_service not followed by transport:server (server error)
  kNotNumber,         ///< sleep not followed by digits (server error)
  kSwallowed,         ///< a zone argument that is a restriction name (that restriction never runs)
};

/// One step of generic_checks() over a list.
struct Item {
  enum class Kind : uint8_t {
    kRestriction,    ///< a name of the restriction table (`info`)
    kClass,          ///< a smtpd_restriction_classes name
    kImplicitTable,  ///< a bare type:table (the list's implicit restriction; `info` null when it has none)
    kUnknown,        ///< smtpd: "unknown smtpd restriction", server error
    kStrayArgument,  ///< an unknown name that reads as a second argument of item `of`
  };
  Kind kind = Kind::kUnknown;
  size_t entry = 0;               ///< index of the name's entry in RestrictionList::entries
  std::optional<size_t> arg;      ///< index of the argument entry smtpd consumes
  const RestrictionInfo* info = nullptr;
  ArgProblem problem = ArgProblem::kNone;
  size_t of = 0;                  ///< kStrayArgument: the item it follows
  bool warn_only = false;         ///< preceded by warn_if_reject
};

/// A list's entries and their walk. Scopes that see the same list share
/// one (a service without -o settings that could change it sees main.cf's).
struct ParsedList {
  std::vector<ListEntry> entries;
  std::vector<Item> items;
  bool truncated = false;                 ///< ExpandList() stopped at its bounds
  bool opaque = false;                    ///< an entry comes from a template expression (src/template/)
};

struct RestrictionList {
  std::string param;                      ///< the parameter ("smtpd_client_restrictions", or a class name)
  const MasterService* service = nullptr; ///< null: main.cf's scope
  const ListInfo* list = nullptr;         ///< null: a restriction class definition
  std::shared_ptr<const ParsedList> parsed;  ///< never null

  const std::vector<ListEntry>& entries() const { return parsed->entries; }
  const std::vector<Item>& items() const { return parsed->items; }
  bool truncated() const { return parsed->truncated; }
  /// Some entry is a template expression: what the list holds is unknown,
  /// so nothing can be concluded from what it lacks (docs/templates.md).
  bool opaque() const { return parsed->opaque; }
};

/// Walks `entries` like generic_checks(); `classes` are the restriction
/// class names in scope (case-sensitive, as smtpd's hash table); `list`
/// null for a class definition (its implicit table depends on the caller).
std::vector<Item> ParseRestrictions(const std::vector<ListEntry>& entries, const RestrictionTable& table,
                                    const std::set<std::string, std::less<>>& classes, const ListInfo* list);

/// Every restriction list of `ctx` in main.cf's scope, then per smtpd service.
std::vector<RestrictionList> CollectRestrictionLists(const LintContext& ctx);

/// The restriction class names `service` (null: main.cf) sees.
std::set<std::string, std::less<>> RestrictionClasses(const LintContext& ctx, const MasterService* service);

/// True when `service` runs smtpd (master.cf command `smtpd`).
bool RunsSmtpd(const MasterService& service);

}  // namespace postvet::restriction
