// PV307 unanchored-header-pattern: a rule (or `if`) of a header check table
// whose pattern does not start at a header name (`^Subject:`,
// `^(From|To):`, pcre `/Subject:/A`) and that no enclosing `if` restricts
// to some header names. cleanup(8) and smtp(8) run each header check table
// over every header line of every message (header_checks also over MIME
// and attached-message headers, by default), so such a pattern is
// searched through all of them; an anchored one fails at the first byte
// for every other header. Negated patterns are left alone: they are meant
// to apply to every other header. Only tables used by header check
// parameters (not body_checks, not access tables) are checked.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/header_pattern.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class UnanchoredHeaderPattern : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV307",
            .slug = "unanchored-header-pattern",
            .severity = Severity::kInfo,
            .fix = FixKind::kNone,
            .summary = "a header_checks pattern not anchored at a header name, so every header line is scanned",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const std::vector<TableUse> uses = HeaderChecksUses(file);
    if (uses.empty()) return;
    const RegexpTable& table = ctx.table(file);
    const RegexDialect dialect = table.dialect();
    for (uint32_t i = 0; i < table.size(); ++i) {
      const TableLineKind kind = table.Kind(i);
      if ((kind != TableLineKind::kMatch && kind != TableLineKind::kIf) || !table.Active(i)) continue;
      const std::optional<TablePattern> pat = table.Pattern(i);
      if (!pat) continue;
      if (pat->negated() || AnchoredAtHeaderName(*pat, dialect)) continue;
      const bool restricted = table.AnyListedScope(i, [&](uint32_t s) {
        const std::optional<TablePattern> outer = table.Pattern(s);
        return outer && !outer->negated() && AnchoredAtHeaderName(*outer, dialect);
      });
      if (restricted) continue;
      std::string pattern = QuotePattern(table, *pat);
      // /^Subject:a|b/ is anchored only in its first alternative.
      bool alternation = HasTopLevelAlternation(pat->body, 0, dialect).value_or(false);
      std::string message =
          fmt::format("{}{} is not anchored at a header name", kind == TableLineKind::kIf ? "if " : "", pattern);
      Diagnostic& d =
          sink.Report({&table.source(), pat->range.begin, pat->range.end}, std::move(message), pattern);
      d.notes.push_back({Location{}, fmt::format("{}{} tries it on every header line of every message",
                                                 alternation ? "a top-level | leaves the alternatives after it "
                                                               "unanchored; "
                                                             : "",
                                                 JoinUseNames(uses))});
      d.notes.push_back({Location{}, "start it with the header name (/^Subject:.../) or put it inside an "
                                     "if /^Name:/ ... endif block"});
      if (uses.front().guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnanchoredHeaderPatternRule() { return std::make_unique<UnanchoredHeaderPattern>(); }

}  // namespace postvet
