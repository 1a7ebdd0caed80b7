// PV303 unknown-action: a header/body check rule whose result is not an
// action the program using the table carries out. cleanup(8) knows REJECT,
// WARN, INFO, FILTER, PASS, DISCARD, HOLD, PREPEND, REPLACE, REDIRECT, BCC,
// STRIP, IGNORE, DUNNO and OK (cleanup_act()); smtp(8)/lmtp(8) know only
// WARN, INFO, PREPEND, REPLACE, STRIP, IGNORE, DUNNO and OK (hbc_action());
// milter_header_checks adds BCC, REJECT, FILTER, DISCARD, HOLD and REDIRECT
// to those but has no PASS and does not implement PREPEND. Anything else
// (a typo, DELAY which is compiled out, an empty result) is logged at mail
// time and the line passes untouched: the rule silently does nothing.
// The word is compared case-insensitively up to the first blank. Only
// tables used by *_checks parameters are checked; other tables' results
// are access actions or replacement text; for check_*_access tables the
// rule judges results as access(5) actions (unknown_access_action.cpp).
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/table/action_data.hpp"
#include "src/facts/table/actions.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

std::string_view ProgramName(const TableUse& use) {
  switch (use.program) {
    case ChecksProgram::kSmtp: return use.name.substr(0, 5) == "lmtp_" ? "lmtp(8)" : "smtp(8)";
    default: return "cleanup(8)";
  }
}

class UnknownAction : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV303",
            .slug = "unknown-action",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a header/body check or access table result is not an action the program using the table "
                       "understands",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    CheckUnknownAccessActions(ctx, file, sink);
    const std::vector<TableUse> uses = ChecksUses(file);
    if (uses.empty()) return;
    const RegexpTable& table = ctx.table(file);
    for (uint32_t i = 0; i < table.size(); ++i) {
      if (table.Kind(i) != TableLineKind::kMatch || !table.Active(i)) continue;
      ActionText split = SplitAction(table.ResultText(i));
      if (split.word_dynamic) continue;  // the word comes from a match group
      CheckAction action = ParseAction(split.word);
      std::vector<TableUse> failing;
      for (const TableUse& use : uses) {
        if (!Supports(use.program, action)) failing.push_back(use);
      }
      if (failing.empty()) continue;
      Report(table, table.Entry(i), split, action, failing, sink);
    }
  }

 private:
  static void Report(const RegexpTable& table, const TableEntry& e, const ActionText& split, CheckAction action,
                     const std::vector<TableUse>& failing, Sink& sink) {
    const TableUse& first = failing.front();
    const std::string value = SanitizeMessage(split.word_dynamic || split.text_dynamic ? e.result : Literal(split, e));
    std::string postfix_says;
    if (action == CheckAction::kPrepend && first.program == ChecksProgram::kMilter) {
      postfix_says = "the milter_header/body_checks prepend action is not implemented";
    } else {
      postfix_says = fmt::format("{} command in {} map: {}",
                                 first.program == ChecksProgram::kCleanup ? "unknown" : "unsupported", first.name,
                                 value);
    }
    std::string what;
    std::string known;   // what the message's claim rests on, for the first detail note
    std::string advice;  // a suggestion, for the second
    if (split.word.empty()) {
      what = fmt::format("this rule has no action for {}", JoinUseNames(failing));
    } else if (action == CheckAction::kUnknown) {
      std::string word = QuoteText(split.word, 40);
      what = fmt::format("\"{}\" is not an action of {}", word, JoinUseNames(failing));
      if (const ActionWord* row = FindActionWord(ActionTable::kHeader, split.word); row && row->programs == 0) {
        known = fmt::format("{} is compiled out of Postfix. ", row->word);
      } else if (std::optional<std::string_view> near = NearestAction(split.word)) {
        advice = fmt::format("did you mean {}?", *near);
      }
    } else {
      what = fmt::format("{} is not supported by {}", ActionName(action), JoinUseNames(failing));
      known = fmt::format("{} understands {}. ", ProgramName(first), SupportedList(first.program));
    }
    ByteRange where = split.word.empty() ? e.range : ResultSubrange(table, e, 0, split.word_end);
    Diagnostic& d = sink.Report({&table.source(), where.begin, where.end}, std::move(what),
                                split.word.empty() ? std::string("(empty)") : SanitizeMessage(split.word));
    d.notes.push_back({Location{}, fmt::format("{}{} logs \"{}\" when a line matches and lets it pass unchanged",
                                               known, ProgramName(first), postfix_says)});
    if (!advice.empty()) d.notes.push_back({Location{}, std::move(advice)});
    if (first.guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
  }

  static std::string Literal(const ActionText& split, const TableEntry& e) {
    if (split.text.empty()) return split.word;
    return split.word + std::string(std::string_view(e.result).substr(split.word_end, split.text_begin - split.word_end)) +
           split.text;
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnknownActionRule() { return std::make_unique<UnknownAction>(); }

}  // namespace postvet
