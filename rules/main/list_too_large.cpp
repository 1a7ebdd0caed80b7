// PV108 list-too-large: a list parameter whose `$name` references multiply
// it past the bounds postvet expands (kMaxListEntries entries or
// kMaxListWork steps, src/config/restriction_list.hpp). Postfix expands such
// a list in full, in every smtpd process and for every session that
// evaluates it (smtpd_check.c builds the restriction list at start-up;
// mac_expand() has no size limit), so memory and start-up time grow with it;
// no real list comes near 20,000 entries. postvet stops expanding there, and
// the rules that need the whole list to prove an absence (PV601: "no
// reject_unauth_destination") stay silent on it rather than guess. No fix:
// which reference is wrong is the author's call.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

// The parameters postvet walks as lists (restriction lists, the DNS list
// sites, mynetworks, restriction classes).
bool IsWalkedList(std::string_view name) {
  return name.ends_with("_restrictions") || name == "mynetworks" || name == "postscreen_dnsbl_sites" ||
         name == "smtpd_restriction_classes";
}

class ListTooLarge : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV108",
            .slug = "list-too-large",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "`$name` references multiply a list parameter past 20,000 entries",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {"*"}, false, false}; }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    if (!IsWalkedList(name)) return;
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    if (d == nullptr || d->value.find('$') == std::string_view::npos) return;
    bool truncated = false;
    std::vector<ListEntry> entries = ExpandList(ctx, name, nullptr, &truncated);
    if (!truncated) return;
    Diagnostic& diag =
        sink.Report({ctx.main_file()->source.get(), d->value_begin, d->value_end},
                    fmt::format("the `$name` references in {} multiply the list past {} entries", name,
                                kMaxListEntries),
                    std::string(name));
    diag.notes.push_back({{}, fmt::format("postvet stopped expanding after {}; Postfix expands all of it in every "
                                          "process that uses it",
                                          entries.size())});
    diag.notes.push_back({{}, "rules that need the whole list are not applied to it"});
  }
};

}  // namespace

std::unique_ptr<Rule> NewListTooLargeRule() { return std::make_unique<ListTooLarge>(); }

}  // namespace postvet
