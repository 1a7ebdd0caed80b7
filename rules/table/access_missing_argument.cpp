// PV308's access table part: a check_*_access action without the text it
// needs, checked as smtpd's check_table_result() (smtpd/smtpd_check.c,
// Postfix 3.7) checks it: FILTER needs transport:destination, REDIRECT and
// BCC need user@domain, PREPEND needs a header line. smtpd logs a warning
// for each client that matches and skips the action (the result counts as
// DUNNO). A result that uses `$n` groups is not judged.
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

// smtpd's warning ("..." stands for the lookup key), and what the action needs; nullopt when fine.
std::optional<std::pair<std::string, std::string_view>> Problem(std::string_view action, std::string_view text,
                                                                std::string_view table) {
  if (action == "FILTER") {
    if (text.empty()) {
      return std::pair{fmt::format("access table {} entry \"...\" has FILTER entry without value", table),
                       std::string_view("transport:destination")};
    }
    if (text.find(':') == std::string_view::npos) {
      return std::pair{fmt::format("access table {} entry \"...\" requires transport:destination", table),
                       std::string_view("transport:destination")};
    }
  } else if (action == "REDIRECT" || action == "BCC") {
    if (text.find('@') == std::string_view::npos) {
      return std::pair{fmt::format("access table {} entry \"...\" requires user@domain target", table),
                       std::string_view("user@domain")};
    }
  } else if (action == "PREPEND") {
    if (text.empty() || !IsHeaderText(text)) {
      return std::pair{fmt::format("access table {} entry \"...\" requires header: text", table),
                       std::string_view("a header line \"Name: value\"")};
    }
  }
  return std::nullopt;
}

}  // namespace

void CheckAccessArguments(const LintContext& ctx, const InputFile& file, Sink& sink) {
  std::vector<TableUse> uses;
  const RegexpTable& table = ctx.table(file);
  const std::string map = fmt::format("{}:{}", TableTypeName(table.type()), file.source->display());
  ForEachAccessResult(ctx, file, &uses, [&](const AccessRuleResult& r) {
    if (r.action.verdict != AccessVerdict::kAction || r.split.text_dynamic) return;
    const std::string& word = r.action.action->word;
    auto problem = Problem(word, r.split.text, map);
    if (!problem) return;
    const TableEntry& e = *r.entry;
    ByteRange where = r.split.text.empty() ? ResultSubrange(table, e, 0, r.split.word_end)
                                           : ResultSubrange(table, e, r.split.text_begin, e.result.size());
    std::string got = r.split.text.empty() ? std::string("no text")
                                           : fmt::format("\"{}\"", QuoteText(r.split.text, 50));
    Diagnostic& d = sink.Report({&table.source(), where.begin, where.end},
                                fmt::format("{} needs {} but has {} in {}", word, problem->second, got,
                                            JoinRestrictions(uses)),
                                word);
    d.notes.push_back({Location{}, fmt::format("smtpd(8) logs \"{}\" for every matching client and skips the action",
                                               SanitizeMessage(problem->first))});
    if (uses.front().guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
  });
}

}  // namespace postvet
