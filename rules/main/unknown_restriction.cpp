// PV109 unknown-restriction: an entry of a smtpd restriction list (main.cf,
// a master.cf -o override, or a smtpd_restriction_classes definition) that
// is no restriction Postfix knows, no restriction class and no type:table.
// smtpd_check.c's generic_checks() ends its chain of names with
// msg_warn("unknown smtpd restriction: ...") and reject_server_error(): every
// client whose evaluation reaches the entry gets "451 4.3.5 Server
// configuration error", i.e. all such mail is deferred, while postconf says
// nothing. When exactly one known name or class is close (suggest.hpp), a
// note names it and an UNSAFE fix writes it: the fix turns a deferral into
// whatever that restriction does, which changes mail behaviour. When the
// suggestion takes a DNS list zone, the domain after the misspelt name is
// its zone, not a second unknown restriction (smtpd never gets that far).
#include <map>
#include <utility>

#include <fmt/format.h>

#include "rules/main/restriction_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/facts/restriction/suggest.hpp"
#include "src/model/name_suggester.hpp"
#include "src/model/target_version.hpp"

namespace postvet {
namespace {

using restriction::Item;
using restriction::RestrictionList;

class UnknownRestriction : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV109",
            .slug = "unknown-restriction",
            .severity = Severity::kError,
            .fix = FixKind::kUnsafe,
            .summary = "a smtpd restriction list names a restriction Postfix does not know (smtpd answers 451)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const restriction::RestrictionTable& table = restriction::RestrictionTableFor(ctx.target().version());
    restriction_rules::Once once;
    // Suggestions per (scope's classes, name), and at most kMaxSuggestions
    // distinct ones per run, as NameSuggester bounds its work: a generated
    // list of a million unknown names still lints in linear time.
    std::map<std::pair<const MasterService*, std::string>, std::string, std::less<>> suggested;
    for (const RestrictionList& list : FactsOf(ctx).RestrictionLists()) {
      std::set<std::string, std::less<>> classes;  // the classes of this list's scope, on first need
      bool have_classes = false;
      bool zone_due = false;  // the last item is a misspelt restriction that takes a zone
      for (const Item& item : list.items()) {
        const bool after_zone_typo = zone_due;
        zone_due = false;
        if (item.kind != Item::Kind::kUnknown) continue;
        const ListEntry& e = list.entries()[item.entry];
        // `reject_rbl_clinet zen.spamhaus.org`: the zone is its argument;
        // smtpd stops at the misspelt name and never reads the zone.
        if (after_zone_typo && e.text.find('.') != std::string::npos) continue;
        if (!have_classes) {
          classes = restriction::RestrictionClasses(ctx, list.service);
          have_classes = true;
        }
        std::string suggestion;
        auto key = std::make_pair(list.service, e.text);
        if (auto it = suggested.find(key); it != suggested.end()) {
          suggestion = it->second;
        } else if (suggested.size() < NameSuggester::kMaxSuggestions) {
          suggestion = restriction::SuggestRestriction(e.text, table, classes);
          suggested.emplace(std::move(key), suggestion);
        }
        if (const restriction::RestrictionInfo* meant = table.Find(suggestion)) {
          zone_due = meant->arg == restriction::ArgKind::kZone;
        }
        if (!once.First(e, "unknown")) continue;
        Diagnostic& d = sink.Report(
            e.where,
            fmt::format("\"{}\" in {} is not a Postfix {} smtpd restriction", e.text, e.param,
                        ctx.target().version().ToString()),
            e.text);
        restriction_rules::AddViaNotes(d, e);
        d.notes.push_back({{}, "smtpd answers every client that reaches this entry with \"451 4.3.5 Server "
                               "configuration error\" and logs \"unknown smtpd restriction\""});
        if (suggestion.empty()) continue;
        d.notes.push_back({{}, fmt::format("did you mean \"{}\"?", suggestion)});
        if (e.exact) {
          d.fix = Fix{Applicability::kUnsafe, fmt::format("replace \"{}\" with \"{}\"", e.text, suggestion),
                      {Edit{e.where.source, e.where.begin, e.where.end, suggestion}}};
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnknownRestrictionRule() { return std::make_unique<UnknownRestriction>(); }

}  // namespace postvet
