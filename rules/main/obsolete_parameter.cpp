// PV105 obsolete-parameter: a main.cf parameter, or a restriction inside an
// smtpd restriction list (main.cf or a master.cf `-o`), that the target
// Postfix has renamed, deprecated or removed (rules/data/postfix-obsolete.tsv
// through ParamTable): `*_whitelist_*` names, `virtual_maps`,
// `smtpd_use_tls`, `reject_maps_rbl`, `check_relay_domains`, ... Removed ones
// do nothing (parameters) or fail every use (restrictions in newer
// releases); deprecated ones stop working in some later release.
// Fix (safe, only for pure renames): replace the name bytes with the new
// name. Withheld when that would change the configuration: the new
// parameter is set too, or `$old_name` is used somewhere.
#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"
#include "src/model/master_cf.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

using main_rules::MainFacts;

// The restriction lists smtpd reads (smtpd_check.c), besides the classes.
constexpr std::string_view kRestrictionLists[] = {
    "smtpd_client_restrictions",     "smtpd_helo_restrictions",          "smtpd_sender_restrictions",
    "smtpd_relay_restrictions",      "smtpd_recipient_restrictions",     "smtpd_data_restrictions",
    "smtpd_end_of_data_restrictions", "smtpd_etrn_restrictions",
};

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// One word naming a parameter or restriction (not "a, b" or prose).
bool IsSingleName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

std::string ObsoleteStatus(const ObsoleteInfo& o, PostfixVersion v, std::string_view what) {
  if (o.RemovedIn(v)) {
    return fmt::format("{} was removed in Postfix {}", what, o.removed->ToString());
  }
  return fmt::format("{} is deprecated since Postfix {}{}", what, o.deprecated ? o.deprecated->ToString() : "?",
                     o.removed ? fmt::format(" and removed in {}", o.removed->ToString()) : std::string());
}

// The detail notes of a finding about `o`: `consequence` (what Postfix does
// with it; may be empty), then what to use instead, with the table's notes
// on it when `with_notes`.
void AddDetails(Diagnostic& diag, std::string_view consequence, const ObsoleteInfo& o, bool with_notes) {
  std::string extra;
  if (with_notes && !o.notes.empty() && o.notes != "-") extra = fmt::format(" ({})", o.notes);
  const bool has_replacement = !o.replacement.empty() && o.replacement != "-";
  if (!consequence.empty()) {
    diag.notes.push_back({{}, std::string(consequence) + (has_replacement ? "" : extra)});
    if (has_replacement) diag.notes.push_back({{}, fmt::format("use {}{}", o.replacement, extra)});
  } else if (has_replacement) {
    diag.notes.push_back({{}, fmt::format("use {}{}", o.replacement, extra)});
  } else if (!extra.empty()) {
    diag.notes.push_back({{}, extra.substr(2, extra.size() - 3)});
  }
}

// A located note, placed before the detail notes.
void AddLocated(Diagnostic& diag, Note note) {
  auto first_detail = std::find_if(diag.notes.begin(), diag.notes.end(),
                                   [](const Note& n) { return n.location.source == nullptr; });
  diag.notes.insert(first_detail, std::move(note));
}

class ObsoleteParameterRule : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV105",
            .slug = "obsolete-parameter",
            .severity = Severity::kWarning,
            .fix = FixKind::kSometimes,
            .summary = "a parameter or restriction that the target Postfix has renamed, deprecated or removed",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const ParamTable* table = main_rules::Params();
    if (table == nullptr) return;
    const PostfixVersion v = main_rules::TargetVersion(ctx);
    if (ctx.main_file() != nullptr) CheckParameters(ctx, *table, v, sink);
    CheckRestrictions(ctx, *table, v, sink);
  }

 private:
  static void CheckParameters(const LintContext& ctx, const ParamTable& table, PostfixVersion v, Sink& sink) {
    const MainCf& m = ctx.main_cf();
    const Source& src = *ctx.main_file()->source;
    // Every name used as $name anywhere: renaming its definition would
    // leave those references without a value.
    std::set<std::string, std::less<>> referenced;
    for (const MainCfDefinition& d : m.definitions()) {
      for (const MacroRef& r : ListMacroRefs(d.value)) referenced.emplace(r.name);
    }
    for (const MasterService& s : ctx.master_cf().services) {
      for (const MasterOverride& o : s.overrides) {
        for (const MacroRef& r : ListMacroRefs(o.value)) referenced.emplace(r.name);
      }
    }
    for (const MainCfDefinition& d : m.definitions()) {
      const ObsoleteInfo* o = main_rules::ObsoleteParameter(table, d.name, v);
      if (o == nullptr) continue;
      Diagnostic& diag = sink.Report({&src, d.name_begin, d.name_end},
                                     ObsoleteStatus(*o, v, fmt::format("\"{}\"", d.name)), std::string(d.name));
      AddDetails(diag, o->RemovedIn(v) ? "Postfix ignores this setting"
                                       : "it still works but may go away in a later release",
                 *o, o->notes != "renamed");
      if (!o->rename_fix || !IsSingleName(o->replacement) || !table.IsKnownIn(o->replacement, v)) continue;
      if (const MainCfDefinition* current = m.Find(o->replacement)) {
        AddLocated(diag, {{&src, current->name_begin, current->name_end},
                          fmt::format("{} is set here too, so renaming would change which value wins",
                                      o->replacement)});
        continue;
      }
      if (referenced.count(d.name) != 0) continue;
      diag.fix = Fix{Applicability::kSafe, fmt::format("rename {} to {}", d.name, o->replacement),
                     {Edit{&src, d.name_begin, d.name_end, o->replacement}}};
    }
  }

  static void CheckRestrictions(const LintContext& ctx, const ParamTable& table, PostfixVersion v, Sink& sink) {
    std::set<std::tuple<const Source*, uint32_t, uint32_t>> seen;
    auto check_list = [&](std::string_view param, const MasterService* service) {
      for (const ListEntry& e : ExpandList(ctx, param, service)) {
        if (e.where.source == nullptr) continue;  // a built-in default
        const ObsoleteInfo* o = table.FindObsoleteRestriction(e.text);
        if (o == nullptr || !o->ObsoleteIn(v)) continue;
        if (!seen.emplace(e.where.source, e.where.begin, e.where.end).second) continue;
        Diagnostic& diag = sink.Report(
            e.where, ObsoleteStatus(*o, v, fmt::format("restriction \"{}\" in {}", e.text, e.param)), e.text);
        for (size_t i = 0; i < e.via.size(); ++i) {
          if (e.via[i].source != nullptr) {
            diag.notes.push_back({e.via[i], fmt::format("reached through ${} here", e.via_params.size() > i + 1
                                                                                       ? e.via_params[i + 1]
                                                                                       : e.param)});
          }
        }
        AddDetails(diag, o->RemovedIn(v) ? "smtpd answers mail that reaches it with a server error" : "", *o, true);
        if (o->rename_fix && e.exact && IsSingleName(o->replacement)) {
          diag.fix = Fix{Applicability::kSafe, fmt::format("rename {} to {}", e.text, o->replacement),
                         {Edit{e.where.source, e.where.begin, e.where.end, o->replacement}}};
        }
      }
    };
    auto check_scope = [&](const MasterService* service) {
      for (std::string_view param : kRestrictionLists) check_list(param, service);
      std::set<std::string> classes;
      for (const ListEntry& name : ExpandList(ctx, "smtpd_restriction_classes", service)) {
        if (classes.insert(name.text).second) check_list(name.text, service);
      }
    };
    check_scope(nullptr);
    for (const MasterService& s : ctx.master_cf().services) check_scope(&s);
  }
};

}  // namespace

std::unique_ptr<Rule> NewObsoleteParameterRule() { return std::make_unique<ObsoleteParameterRule>(); }

}  // namespace postvet
