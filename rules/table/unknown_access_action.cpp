// PV303's access table part: a check_*_access table result that smtpd(8)
// does not understand (smtpd_check.c check_table_result(), access(5)).
// * a first word that is no access action, no restriction name and no
//   restriction class ("REJECTT", "DELAY", compiled out): smtpd logs
//   "unknown smtpd restriction" and answers 451 4.3.5 to every client the
//   rule matches;
// * a result naming a lookup table ("check_sender_access pcre:/x"): smtpd
//   refuses it ("do not specify lookup tables inside SMTPD access maps") and
//   answers 451 4.3.5;
// * an empty result: "has empty value", and the client is accepted (OK).
// Words that are header_checks actions (PV313) or numbers (PV312) are left
// to those rules.
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/model/name_suggester.hpp"

namespace postvet {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A header/body check action that access(5) does not have (PV313's).
bool HeaderOnly(std::string_view word) {
  const ActionWord* header = FindActionWord(ActionTable::kHeader, word);
  return header != nullptr && header->programs != 0 && FindActionWord(ActionTable::kAccess, word) == nullptr;
}

std::string Suggest(std::string_view word, const std::vector<std::string>& classes,
                    const restriction::RestrictionTable& restrictions) {
  std::vector<std::string_view> builtin = LiveWords(ActionTable::kAccess);
  for (const restriction::RestrictionInfo& r : restrictions.restrictions()) builtin.push_back(r.name);
  std::vector<std::string_view> extra(classes.begin(), classes.end());
  NameSuggester suggester(builtin, extra);
  // Actions are upper case, restrictions lower case: ask in both.
  std::string upper(word);
  std::string lower(word);
  for (char& c : upper) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  std::string near = suggester.Nearest(upper);
  if (near.empty()) near = suggester.Nearest(lower);
  return near;
}

}  // namespace

void CheckUnknownAccessActions(const LintContext& ctx, const InputFile& file, Sink& sink) {
  std::vector<TableUse> uses;
  const RegexpTable& table = ctx.table(file);
  const std::vector<std::string> classes = RestrictionClasses(ctx);
  const restriction::RestrictionTable& names = restriction::RestrictionTableFor(ctx.target().version());
  ForEachAccessResult(ctx, file, &uses, [&](const AccessRuleResult& r) {
    const TableEntry& e = *r.entry;
    const std::string restrictions = JoinRestrictions(uses);
    const std::string word = QuoteText(r.split.word, 40);
    const ByteRange at_word = ResultSubrange(table, e, 0, r.split.word_end);
    const std::string server_error = "answers \"451 4.3.5 Server configuration error\" to every client it matches";
    switch (r.action.verdict) {
      case AccessVerdict::kCompiledOut:
      case AccessVerdict::kUnknownRestriction: {
        if (AllDigits(r.split.word)) return;                                      // PV312
        if (HeaderOnly(r.split.word)) return;  // PV313
        Diagnostic& d = sink.Report({&table.source(), at_word.begin, at_word.end},
                                    fmt::format("\"{}\" is neither an action nor a restriction of {}", word,
                                                restrictions),
                                    SanitizeMessage(r.split.word));
        std::string known = r.action.verdict == AccessVerdict::kCompiledOut
                                ? fmt::format("{} is compiled out of Postfix. ", r.action.action->word)
                                : std::string();
        d.notes.push_back({Location{}, fmt::format("{}smtpd(8) logs 'unknown smtpd restriction: \"{}\"' and {}",
                                                   known, word, server_error)});
        std::string near = r.action.verdict == AccessVerdict::kCompiledOut
                               ? std::string()
                               : Suggest(r.split.word, classes, names);
        if (!near.empty()) d.notes.push_back({Location{}, fmt::format("did you mean {}?", near)});
        if (uses.front().guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
        return;
      }
      case AccessVerdict::kLookupTable: {
        if (HeaderOnly(r.split.word)) return;  // PV313: "REPLACE X-A: b" is a header action, not a table
        Diagnostic& d = sink.Report({&table.source(), e.result_range.begin, e.result_range.end},
                                    fmt::format("this {} result names a lookup table", restrictions),
                                    SanitizeMessage(e.result));
        d.notes.push_back({Location{}, fmt::format("smtpd(8) logs \"do not specify lookup tables inside SMTPD "
                                                   "access maps\" and {}",
                                                   server_error)});
        d.notes.push_back({Location{}, "define a restriction class in smtpd_restriction_classes and name it here"});
        return;
      }
      case AccessVerdict::kEmpty: {
        Diagnostic& d = sink.Report({&table.source(), e.range.begin, e.range.end},
                                    fmt::format("this rule has no action for {}", restrictions), "(empty)");
        d.notes.push_back({Location{}, "smtpd(8) logs \"access table ... has empty value\" and accepts the client "
                                       "as if the result were OK"});
        return;
      }
      default:
        return;
    }
  });
}

}  // namespace postvet
