// PV604 sasl-after-relay-guard: in a smtpd service with SASL authentication
// on (smtpd_sasl_auth_enable = yes in its -o options or main.cf), the relay
// or recipient list reaches reject_unauth_destination (or
// defer_unauth_destination) before permit_sasl_authenticated, while the
// service's lists do permit authenticated clients somewhere. generic_checks()
// evaluates a list in order and stops at the first entry that decides, so an
// authenticated user's mail to another domain is refused ("Relay access
// denied") before permit_sasl_authenticated is reached. Entries that might
// already permit such a user earlier (an unconditional permit, access
// tables, policy services, client certificates, restriction classes) make
// the finding uncertain, so none is reported then.
#include <fmt/format.h>

#include "rules/main/restriction_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using restriction::Effect;
using restriction::Item;
using restriction::RestrictionList;

bool Named(const Item& item, std::string_view name) {
  return item.kind == Item::Kind::kRestriction && item.info->name == name;
}

bool IsUnauthGuard(const Item& item) {
  return Named(item, "reject_unauth_destination") || Named(item, "defer_unauth_destination");
}

// Permits that never match a remote authenticated client as such.
bool IsOtherPermit(const Item& item) {
  return Named(item, "permit_mynetworks") || Named(item, "permit_inet_interfaces") ||
         Named(item, "permit_auth_destination") || Named(item, "permit_mx_backup") ||
         Named(item, "permit_dnswl_client") || Named(item, "permit_rhswl_client");
}

const ListEntry* FindSaslPermit(const RestrictionList* list) {
  if (list == nullptr) return nullptr;
  for (const Item& item : list->items()) {
    if (!item.warn_only && Named(item, "permit_sasl_authenticated")) return &list->entries()[item.entry];
  }
  return nullptr;
}

// The guard an authenticated client meets first in `list`, if it meets one
// for certain.
const Item* FirstGuard(const RestrictionList& list) {
  for (const Item& item : list.items()) {
    if (item.warn_only) continue;
    if (IsUnauthGuard(item)) return &item;
    if (Named(item, "permit_sasl_authenticated")) return nullptr;
    if (item.kind == Item::Kind::kClass || item.kind == Item::Kind::kImplicitTable) return nullptr;
    if (item.kind == Item::Kind::kRestriction && !IsOtherPermit(item) &&
        (item.info->effect == Effect::kPermit || item.info->effect == Effect::kAny)) {
      return nullptr;
    }
  }
  return nullptr;
}

bool IsYes(const std::optional<std::string>& v) {
  if (!v || v->size() != 3) return false;
  std::string s = *v;
  for (char& c : s) c = static_cast<char>(c | 0x20);
  return s == "yes";
}

class SaslRelayOrder : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV604",
            .slug = "sasl-after-relay-guard",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a SASL-enabled smtpd rejects relaying before permit_sasl_authenticated, so users cannot send out",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const Facts& facts = FactsOf(ctx);
    bool services = false;
    for (const RestrictionList& l : facts.RestrictionLists()) services |= l.service != nullptr;
    restriction_rules::Once once;
    const RestrictionList* relay = nullptr;
    for (const RestrictionList& l : facts.RestrictionLists()) {
      if (l.list == nullptr || (services && l.service == nullptr)) continue;
      // The lists come per scope in table order: relay, then recipient.
      if (l.param == "smtpd_relay_restrictions") {
        relay = &l;
        continue;
      }
      if (l.param != "smtpd_recipient_restrictions" || relay == nullptr || relay->service != l.service) continue;
      if (!IsYes(facts.ValueOrDefault(l.service, "smtpd_sasl_auth_enable"))) continue;
      const ListEntry* sasl_relay = FindSaslPermit(relay);
      const ListEntry* sasl_rcpt = FindSaslPermit(&l);
      if (sasl_relay == nullptr && sasl_rcpt == nullptr) continue;  // no sign that users relay here
      Check(*relay, sasl_relay != nullptr ? sasl_relay : sasl_rcpt, once, sink);
      Check(l, sasl_rcpt != nullptr ? sasl_rcpt : sasl_relay, once, sink);
    }
  }

 private:
  static void Check(const RestrictionList& list, const ListEntry* sasl, restriction_rules::Once& once, Sink& sink) {
    const Item* guard = FirstGuard(list);
    if (guard == nullptr) return;
    const ListEntry& e = list.entries()[guard->entry];
    if (!once.First(e, "sasl")) return;
    std::string who = restriction_rules::ScopeLabel(list);
    Diagnostic& d = sink.Report(e.where,
                                fmt::format("{} in {} comes before permit_sasl_authenticated for {}", e.text,
                                            list.param, who),
                                e.text);
    if (sasl->where.source != nullptr) d.notes.push_back({sasl->where, "authenticated clients are permitted only here"});
    restriction_rules::AddViaNotes(d, e);
    d.notes.push_back({{}, fmt::format("smtpd stops at the first entry that decides, so {} refuses an authenticated "
                                       "user's mail to other domains (\"Relay access denied\") first",
                                       e.text)});
    d.notes.push_back({{}, fmt::format("put permit_sasl_authenticated before {} in {}", e.text, list.param)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewSaslRelayOrderRule() { return std::make_unique<SaslRelayOrder>(); }

}  // namespace postvet
