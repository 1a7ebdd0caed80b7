// PV302 invalid-regex: a pattern that does not compile with the engine
// Postfix uses for the table type (the C library's regcomp() for regexp:,
// PCRE2 for pcre:; dict_regexp.c / dict_pcre.c), or a flag letter the
// table type does not know. Postfix logs a warning when it opens the table
// and skips the rule, so the check silently never happens. An `if` whose
// pattern fails is dropped too, but its `endif` still counts: it closes the
// enclosing `if` instead (format spec 6.5), so a detail note says what
// becomes of the block. Applies to every regexp/pcre table, whoever uses it.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class InvalidRegex : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV302",
            .slug = "invalid-regex",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a pattern does not compile with the table type's engine (regcomp for regexp:, PCRE2 for "
                       "pcre:) or uses an unknown flag; Postfix skips the rule",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    const std::vector<uint32_t> written = WrittenPartners(table);
    const std::string used_by = UsedBySuffix(file);
    for (const TableWarning& w : table.warnings()) {
      if (w.code != TableWarningCode::kCompileError && w.code != TableWarningCode::kUnknownOption) continue;
      const TableEntry& entry = table.entries()[w.entry];
      auto [what, known] = Reason(table, entry, w);
      std::string pattern = entry.pattern ? QuotePattern(table, *entry.pattern) : std::string();
      std::string effect = entry.kind == TableLineKind::kIf
                               ? fmt::format("Postfix drops this if{}; {}", used_by,
                                             DroppedIfConsequence(table, w.entry, written))
                               : fmt::format("Postfix skips this rule{}", used_by);
      if (!known.empty()) effect += "; " + known;
      Diagnostic& d = sink.Report({&table.source(), w.range.begin, w.range.end}, std::move(what), pattern);
      d.notes.push_back({{&table.source(), entry.range.begin, entry.range.end},
                         fmt::format("Postfix: {}", SanitizeMessage(FormatTableWarning(
                                                        w, table.type(), table.source().display())))});
      d.notes.push_back({Location{}, std::move(effect)});
    }
  }

 private:
  // The defect, for the message, and what the table type knows, for a
  // detail note ("" when the message says it all).
  static std::pair<std::string, std::string> Reason(const RegexpTable& table, const TableEntry& entry,
                                                    const TableWarning& w) {
    if (w.code == TableWarningCode::kCompileError) {
      // The warning's range is the pattern that failed (primary or `!/b/`).
      std::string shown = QuoteText(table.source().Slice(w.range.begin, w.range.end));
      // Postfix's error text is in the note that quotes Postfix.
      return {fmt::format("{} does not compile with {}", shown, EngineName(table.type())), ""};
    }
    std::string_view flag = table.source().Slice(w.range.begin, w.range.end);
    std::string pattern = entry.pattern ? QuotePattern(table, *entry.pattern, false) : std::string("the pattern");
    if (table.type() == TableType::kPcre && flag == "!") {
      return {fmt::format("\"!\" after {} is an unknown flag", pattern),
              "pcre: tables have no /pattern/!/pattern/ form"};
    }
    return {fmt::format("unknown flag \"{}\" after {}", SanitizeMessage(flag), pattern),
            fmt::format("{} tables know only {}", TableTypeName(table.type()),
                        table.type() == TableType::kRegexp ? "i, m and x" : "i, m, s, x, A, E, U and the obsolete X")};
  }

  // What happens to the block of a dropped IF: its ENDIF is matched against
  // whatever IF Postfix has open (spec 6.5, V r29, r39).
  static std::string DroppedIfConsequence(const RegexpTable& table, uint32_t if_index,
                                          const std::vector<uint32_t>& written) {
    uint32_t endif = written[if_index];
    if (endif == TableEntry::kNoEntry) return "the rules after it run without this test";
    const TableEntry& e = table.entries()[endif];
    if (e.partner == TableEntry::kNoEntry) {
      return fmt::format("the rules up to its endif (line {}) run without this test, and Postfix ignores that endif",
                         e.line);
    }
    return fmt::format(
        "the rules up to its endif (line {}) run without this test, and that endif closes the if on line {} "
        "instead, so the rules after it run outside that block",
        e.line, table.entries()[e.partner].line);
  }
};

}  // namespace

std::unique_ptr<Rule> NewInvalidRegexRule() { return std::make_unique<InvalidRegex>(); }

}  // namespace postvet
