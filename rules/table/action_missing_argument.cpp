// PV308 action-missing-argument: a header/body check action without the
// text it needs, checked exactly as Postfix 3.7 checks it at mail time
// (cleanup_act(), hbc_action(), cleanup_milter_hbc_extend()):
// * FILTER needs text containing ':' (transport:destination);
// * REDIRECT and BCC need text containing '@' (user@domain);
// * PREPEND and REPLACE need text, and in header checks it must start with
//   a header label and ':' (is_header()).
// Postfix logs a warning for each message that matches and skips the
// action. Only the uses that support the action are judged (an action a
// program lacks is PV303). A result that uses `$n` groups is not judged:
// what the groups hold is known only at mail time. check_*_access tables
// are judged as smtpd reads them (access_missing_argument.cpp).
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/table/actions.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

std::string_view Needs(CheckAction action, bool header) {
  switch (action) {
    case CheckAction::kFilter: return "transport:destination";
    case CheckAction::kRedirect:
    case CheckAction::kBcc: return "user@domain";
    default: return header ? "a header line \"Name: value\"" : "the text of a line";
  }
}

class ActionMissingArgument : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV308",
            .slug = "action-missing-argument",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "REDIRECT/BCC without user@domain, FILTER without transport:destination, PREPEND/REPLACE "
                       "without a header line",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    CheckAccessArguments(ctx, file, sink);
    const std::vector<TableUse> uses = ChecksUses(file);
    if (uses.empty()) return;
    const RegexpTable& table = ctx.table(file);
    for (uint32_t i = 0; i < table.size(); ++i) {
      if (table.Kind(i) != TableLineKind::kMatch || !table.Active(i)) continue;
      ActionText split = SplitAction(table.ResultText(i));
      if (split.word_dynamic || split.text_dynamic) continue;
      CheckAction action = ParseAction(split.word);
      std::vector<TableUse> failing;
      std::optional<std::string> postfix_says;
      for (const TableUse& use : uses) {
        if (!Supports(use.program, action)) continue;
        std::optional<std::string> problem = ArgumentProblem(action, split.text, use.header, use.name);
        if (!problem) continue;
        if (!postfix_says) postfix_says = problem;
        failing.push_back(use);
      }
      if (failing.empty()) continue;
      const TableEntry e = table.Entry(i);
      ByteRange where = split.text.empty() ? ResultSubrange(table, e, 0, split.word_end)
                                           : ResultSubrange(table, e, split.text_begin, e.result.size());
      std::string got = split.text.empty() ? std::string("no text")
                                           : fmt::format("\"{}\"", QuoteText(split.text, 50));
      std::string message = fmt::format("{} needs {} but has {} in {}", ActionName(action),
                                        Needs(action, failing.front().header), got, JoinUseNames(failing));
      Diagnostic& d = sink.Report({&table.source(), where.begin, where.end}, std::move(message),
                                  std::string(ActionName(action)));
      d.notes.push_back({Location{}, fmt::format("Postfix logs \"{}\" for every matching line and skips the action",
                                                 SanitizeMessage(*postfix_says))});
      if (failing.front().guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewActionMissingArgumentRule() { return std::make_unique<ActionMissingArgument>(); }

}  // namespace postvet
