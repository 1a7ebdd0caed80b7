// PV601 open-relay: relaying is not stopped. At RCPT TO, smtpd(8) evaluates
// smtpd_relay_restrictions and then smtpd_recipient_restrictions, each in
// order; the first `permit`-type entry that matches ends a list with
// "permit", and a list that runs out also permits. Mail to any domain is
// relayed when both lists permit a stranger. A stranger matches no
// conditional permit (permit_mynetworks, permit_sasl_authenticated, access
// tables, ...), so a list protects against relaying when one of
// reject_unauth_destination, defer_unauth_destination, reject, defer,
// defer_if_permit, check_relay_domains (the `relay-guard` rows of the
// restriction table generated from smtpd_check.c) comes before any
// unconditional `permit`; names match in any case, restriction classes are
// followed, and a guard under warn_if_reject only logs, so it does not
// count. smtpd also refuses to start when neither list has a guard before
// its first `permit` (has_required(); fatal "specify at least one working
// instance of ..."). Checked for every smtpd service of master.cf with its
// -o overrides, or for main.cf when master.cf runs no smtpd.
#include <map>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/config/restriction_list.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/facts/restriction/restriction_lists.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"

namespace postvet {
namespace {

using restriction::Item;
using restriction::RestrictionList;

// The lists of one smtpd scope: its relay and recipient lists and its
// restriction class definitions.
struct Scope {
  const RestrictionList* relay = nullptr;
  const RestrictionList* recipient = nullptr;
  std::map<std::string, const RestrictionList*, std::less<>> classes;
};

constexpr int kMaxClassDepth = 20;  // classes naming classes; smtpd itself recurses without a bound

bool IsPermit(const Item& item) { return item.kind == Item::Kind::kRestriction && item.info->name == "permit"; }

// smtpd_check_init()'s has_required(): a relay guard before any `permit`,
// looking into classes; the entry after warn_if_reject does not count.
bool HasRequired(const RestrictionList& list, const Scope& scope, int depth) {
  for (const Item& item : list.items()) {
    if (item.warn_only) continue;
    if (IsPermit(item)) return false;
    if (item.kind == Item::Kind::kRestriction && item.info->relay_guard) return true;
    if (item.kind == Item::Kind::kClass && depth < kMaxClassDepth) {
      auto it = scope.classes.find(list.entries()[item.entry].text);
      if (it != scope.classes.end() && HasRequired(*it->second, scope, depth + 1)) return true;
    }
  }
  return false;
}

// Evaluation of one list for a client that matches nothing conditional.
struct Verdict {
  bool has_blocker = false;       // smtpd's start-up check passes for this list
  bool blocks_stranger = false;   // a blocker comes before any unconditional permit
  const ListEntry* open_at = nullptr;  // the unconditional permit that opens it
};

// Walks `list` (and the classes it names) as a stranger: the first
// unconditional permit or relay guard (not under warn_if_reject) decides.
// Returns true once decided.
bool Walk(const RestrictionList& list, const Scope& scope, int depth, Verdict& v) {
  for (const Item& item : list.items()) {
    if (item.warn_only) continue;  // warn_if_reject: logs instead of rejecting
    if (item.kind == Item::Kind::kRestriction && item.info->relay_guard) {
      v.blocks_stranger = true;
      return true;
    }
    if (IsPermit(item)) {
      v.open_at = &list.entries()[item.entry];
      return true;
    }
    if (item.kind == Item::Kind::kClass && depth < kMaxClassDepth) {
      auto it = scope.classes.find(list.entries()[item.entry].text);
      if (it != scope.classes.end() && Walk(*it->second, scope, depth + 1, v)) return true;
    }
  }
  return false;
}

Verdict Evaluate(const RestrictionList* list, const Scope& scope) {
  Verdict v;
  if (list == nullptr) return v;
  v.has_blocker = HasRequired(*list, scope, 0);
  Walk(*list, scope, 0, v);
  return v;
}

class OpenRelay : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV601",
            .slug = "open-relay",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "neither smtpd_relay_restrictions nor smtpd_recipient_restrictions stops relaying",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    // The scopes: every smtpd service of master.cf, else main.cf alone.
    std::map<const MasterService*, Scope> scopes;
    bool any_smtpd = false;
    for (const RestrictionList& l : FactsOf(ctx).RestrictionLists()) any_smtpd |= l.service != nullptr;
    for (const RestrictionList& l : FactsOf(ctx).RestrictionLists()) {
      if (any_smtpd && l.service == nullptr) continue;
      Scope& scope = scopes[l.service];
      if (l.list == nullptr) scope.classes[l.param] = &l;
      else if (l.param == "smtpd_relay_restrictions") scope.relay = &l;
      else if (l.param == "smtpd_recipient_restrictions") scope.recipient = &l;
    }
    // Report in master.cf order (main.cf first).
    std::vector<std::pair<const MasterService*, const Scope*>> ordered;
    for (const RestrictionList& l : FactsOf(ctx).RestrictionLists()) {
      if (l.list == nullptr || l.param != "smtpd_relay_restrictions") continue;
      auto it = scopes.find(l.service);
      if (it != scopes.end()) ordered.emplace_back(l.service, &it->second);
    }
    for (const auto& [service, scope] : ordered) Check(ctx, service, *scope, sink);
  }

 private:
  static void Check(const LintContext& ctx, const MasterService* service, const Scope& scope, Sink& sink) {
    Verdict a = Evaluate(scope.relay, scope);
    Verdict b = Evaluate(scope.recipient, scope);
    std::string who = service != nullptr ? fmt::format("service {}", service->NameSpace()) : "smtpd";
    if (a.blocks_stranger || b.blocks_stranger) return;
    // A list cut short by the expansion bounds (PV108) cannot prove what it
    // lacks: no verdict rather than a guess.
    // Nor one holding a template expression (docs/templates.md).
    if ((scope.relay != nullptr && (scope.relay->truncated() || scope.relay->opaque())) ||
        (scope.recipient != nullptr && (scope.recipient->truncated() || scope.recipient->opaque()))) {
      return;
    }
    Location where = Anchor(ctx, service, a, b);
    if (!a.has_blocker && !b.has_blocker) {
      Diagnostic& d = sink.Report(where,
                                  fmt::format("{}: neither smtpd_relay_restrictions nor smtpd_recipient_restrictions "
                                              "has reject_unauth_destination before a `permit`",
                                              who),
                                  who);
      if (const ListEntry* late = LateGuard(scope)) {
        d.notes.push_back({late->where, "this one comes after `permit`, where smtpd's start-up check stops looking"});
      }
      d.notes.push_back({{}, "nor defer_unauth_destination, reject or defer, so smtpd refuses to start (\"specify "
                             "at least one working instance of ...\")"});
      return;
    }
    const ListEntry* open = a.open_at != nullptr ? a.open_at : b.open_at;
    Diagnostic& d = sink.Report(
        where,
        fmt::format("{} is an open relay: `permit` in {} comes before reject_unauth_destination", who,
                    open != nullptr ? open->param : "the restrictions"),
        who);
    if (service != nullptr && ctx.master_file() != nullptr) {
      d.notes.push_back({{ctx.master_file()->source.get(), service->begin, service->begin + static_cast<uint32_t>(service->name().size())},
                         "for this service"});
    }
    d.notes.push_back({{}, "any client reaches that `permit`, so mail to any domain is relayed"});
  }

  // A relay guard written after a `permit` (which has_required() does not reach).
  static const ListEntry* LateGuard(const Scope& scope) {
    for (const RestrictionList* l : {scope.relay, scope.recipient}) {
      if (l == nullptr) continue;
      for (const Item& item : l->items()) {
        if (item.kind == Item::Kind::kRestriction && item.info->relay_guard && !item.warn_only &&
            l->entries()[item.entry].where.source != nullptr) {
          return &l->entries()[item.entry];
        }
      }
    }
    return nullptr;
  }

  // Where to point: the opening `permit`, else the lists' definitions, else main.cf/master.cf start.
  static Location Anchor(const LintContext& ctx, const MasterService* service, const Verdict& a, const Verdict& b) {
    for (const Verdict* v : {&a, &b}) {
      if (v->open_at != nullptr && v->open_at->where.source != nullptr) return v->open_at->where;
    }
    if (service != nullptr && ctx.master_file() != nullptr) {
      return {ctx.master_file()->source.get(), service->begin, service->begin + static_cast<uint32_t>(service->name().size())};
    }
    const InputFile* main = ctx.main_file();
    if (main == nullptr) return {ctx.master_file()->source.get(), 0, 0};
    for (const char* name : {"smtpd_recipient_restrictions", "smtpd_relay_restrictions"}) {
      for (const auto& def : ctx.main_cf().definitions()) {
        if (def.name == name) return {main->source.get(), def.name_begin, def.name_end};
      }
    }
    return {main->source.get(), 0, 0};
  }
};

}  // namespace

std::unique_ptr<Rule> NewOpenRelayRule() { return std::make_unique<OpenRelay>(); }

}  // namespace postvet
