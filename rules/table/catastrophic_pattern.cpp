// PV309 catastrophic-pattern: a regexp: or pcre: pattern shaped so that the
// matcher backtracks exponentially, or to a high power, in the length of the
// line (src/match/backtrack_risk.hpp: overlapping alternatives or a nested
// variable repeat under a repetition, back-references under a repetition).
// PCRE2 gives up at its match limit: dict_pcre.c logs the error (`pcre map
// F, line N: match limit exceeded`) and treats the rule as not matching, so
// the check silently fails on exactly the long lines an attacker sends. The
// C library's regexec() (regexp: tables, dict_regexp.c) has no limit: the
// cleanup(8) or smtpd(8) process spins until Postfix's watchdog kills it.
// Patterns that do not compile are PV302's; each pattern is reported once,
// at its first risky construct.
#include <regex.h>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/config/lint_context.hpp"
#include "src/match/backtrack_risk.hpp"

namespace postvet {
namespace {

class CatastrophicPattern : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV309",
            .slug = "catastrophic-pattern",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a pattern that backtracks exponentially on long input (nested or overlapping repetition, "
                       "back-references under repetition): PCRE2 hits its match limit, regexec() may run for minutes",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    const bool pcre = table.dialect() == RegexDialect::kPcre;
    for (uint32_t i = 0; i < table.size(); ++i) {
      // Only active match and IF entries have compiled code (and the second
      // pattern only when the first has).
      if (!table.HasCompiled(i)) continue;
      Check(table, *table.Pattern(i), pcre, sink);
      if (table.HasCompiled(i, true)) Check(table, *table.Second(i), pcre, sink);
    }
  }

 private:
  static void Check(const RegexpTable& table, const TablePattern& pat, bool pcre, Sink& sink) {
    const bool extended = pcre || (pat.options & REG_EXTENDED) != 0;
    const bool icase = !IsCaseSensitive(table.dialect(), pat.options);
    std::optional<BacktrackRisk> risk = FindBacktrackRisk(pat.body, pcre, extended, icase);
    if (!risk) return;
    // Point at the construct when the body is written on one line as is.
    ByteRange where = pat.range;
    if (pat.body_range.end - pat.body_range.begin == pat.body.size()) {
      where = {static_cast<uint32_t>(pat.body_range.begin + risk->begin),
               static_cast<uint32_t>(pat.body_range.begin + risk->end)};
    }
    std::string consequence =
        pcre ? "on a long line PCRE2 stops at its match limit, Postfix logs \"match limit exceeded\" and the rule "
               "does not match"
             : "on a long line the C library's regexec() (which has no limit) can run for minutes, stalling the "
               "Postfix process that applies the table";
    Diagnostic& d = sink.Report({&table.source(), where.begin, where.end},
                                fmt::format("{} can backtrack catastrophically", QuotePattern(table, pat)),
                                QuotePattern(table, pat));
    d.notes.push_back({Location{}, fmt::format("{}; {}", SanitizeMessage(risk->what), consequence)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewCatastrophicPatternRule() { return std::make_unique<CatastrophicPattern>(); }

}  // namespace postvet
