// PV313 other-table-action: a result that is an action of the other kind of
// table. Postfix reads access tables (check_*_access; smtpd_check.c
// check_table_result(), access(5)) and header/body check tables
// (cleanup_message.c cleanup_act(), header_body_checks.c hbc_action(),
// header_checks(5)) with different action lists:
// * in an access table, PASS, REPLACE, STRIP and IGNORE are no actions:
//   smtpd reads the word as a restriction name, logs "unknown smtpd
//   restriction" and answers 451 4.3.5 to every client the rule matches;
// * in a header/body check table, DEFER, DEFER_IF_PERMIT, DEFER_IF_REJECT,
//   RELAY, HANGUP, restriction names (permit, reject_unauth_destination,
//   ...) and "4NN/5NN text" replies are no actions: cleanup(8) or smtp(8)
//   logs "unknown command" (or "unsupported command") when a line matches
//   and lets it pass.
// Subsumes PV303 (unknown-action) at the same place: one defect, one report.
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The access(5) form `word` has, when it has one: "DEFER", "a restriction
// name", "a reply code", "an all-numeric result".
std::string AccessForm(std::string_view word, bool has_text, const restriction::RestrictionTable& restrictions) {
  if (const ActionWord* a = FindActionWord(ActionTable::kAccess, word); a != nullptr && a->programs != 0) {
    return fmt::format("{} is an access(5) action", a->word);
  }
  if (restrictions.Find(word) != nullptr) {
    return fmt::format("{} is an SMTP server restriction", word);
  }
  if (word.size() == 3 && (word[0] == '4' || word[0] == '5') && IsDigit(word[1]) && IsDigit(word[2]) && has_text) {
    return fmt::format("\"{} text\" is an access(5) reply", word);
  }
  return {};
}

class OtherTableAction : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV313",
            .slug = "other-table-action",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "an access table result that only header/body checks know, or a header/body check result "
                       "that only access tables know",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }
  std::vector<std::string_view> subsumes() const override { return {"PV303"}; }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    std::vector<TableUse> uses;
    ForEachAccessResult(ctx, file, &uses, [&](const AccessRuleResult& r) {
      // check_table_result() tests for ':' before restriction names, but
      // "REPLACE X-A: b" is a header action, not a lookup table.
      if (r.action.verdict != AccessVerdict::kUnknownRestriction && r.action.verdict != AccessVerdict::kLookupTable) {
        return;
      }
      const ActionWord* header = FindActionWord(ActionTable::kHeader, r.split.word);
      if (header == nullptr || header->programs == 0) return;
      const TableEntry& e = *r.entry;
      ByteRange at = ResultSubrange(table, e, 0, r.split.word_end);
      Diagnostic& d = sink.Report({&table.source(), at.begin, at.end},
                                  fmt::format("{} is a header_checks action, not an action of {}", header->word,
                                              JoinRestrictions(uses)),
                                  header->word);
      const std::string says =
          r.action.verdict == AccessVerdict::kLookupTable
              ? std::string("takes the ':' in its text for a lookup table (\"do not specify lookup tables inside "
                            "SMTPD access maps\")")
              : fmt::format("reads it as a restriction name ('unknown smtpd restriction: \"{}\"')",
                            SanitizeMessage(r.split.word));
      d.notes.push_back({Location{}, fmt::format("smtpd(8) {} and answers \"451 4.3.5 Server configuration error\" "
                                                 "to every client it matches",
                                                 says)});
    });

    const std::vector<TableUse> checks = ChecksUses(file);
    if (checks.empty()) return;
    for (uint32_t i = 0; i < table.size(); ++i) {
      if (table.Kind(i) != TableLineKind::kMatch || !table.Active(i)) continue;
      ActionText split = SplitAction(table.ResultText(i));
      if (split.word_dynamic || split.word.empty()) continue;
      if (ParseAction(split.word) != CheckAction::kUnknown) continue;  // a header action (PV303 judges the program)
      std::string form = AccessForm(split.word, !split.text.empty() || split.text_dynamic,
                                    restriction::RestrictionTableFor(ctx.target().version()));
      if (form.empty()) continue;
      const TableEntry e = table.Entry(i);
      ByteRange at = ResultSubrange(table, e, 0, split.word_end);
      const TableUse& first = checks.front();
      Diagnostic& d = sink.Report({&table.source(), at.begin, at.end},
                                  fmt::format("{}, not an action of {}", form, JoinUseNames(checks)),
                                  SanitizeMessage(split.word));
      d.notes.push_back({Location{}, fmt::format("{} logs \"{} command in {} map: {}\" when a line matches and lets "
                                                 "it pass unchanged",
                                                 first.program == ChecksProgram::kSmtp ? "smtp(8)" : "cleanup(8)",
                                                 first.program == ChecksProgram::kCleanup ? "unknown" : "unsupported",
                                                 first.name, QuoteText(e.result))});
      if (split.word[0] == '5' && first.program != ChecksProgram::kSmtp) {
        d.notes.push_back({Location{}, "write \"REJECT text\" to refuse the message"});
      }
      if (first.guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewOtherTableActionRule() { return std::make_unique<OtherTableAction>(); }

}  // namespace postvet
