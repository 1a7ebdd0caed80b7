// PV304 unbalanced-if: IF/ENDIF nesting that Postfix does not read the way
// it is written (dict_regexp.c / dict_pcre.c; format spec 6.5):
// * an `endif` with no open `if`: "ignoring ENDIF without matching IF";
// * an `if` still open at the end: "IF has no matching ENDIF"; when its
//   test fails, the lookup ends there with "not found", so every rule after
//   it is skipped for such keys;
// * an `endif` written for an `if` that Postfix dropped (its pattern does
//   not compile, or it has none): Postfix counts it against the enclosing
//   `if`, so that block ends early and its remaining rules run ungated.
// Applies to every regexp/pcre table.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

class UnbalancedIf : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV304",
            .slug = "unbalanced-if",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "an if without endif, an endif without if, an endif that closes a different if than "
                       "written because Postfix dropped an if, or text after an if pattern or endif that Postfix ignores",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    const Source* src = &table.source();
    const TableEntries entries = table.entries();
    const std::vector<uint32_t> written = WrittenPartners(table);
    const std::string used_by = UsedBySuffix(file);
    ReportExtraText(table, used_by, sink);
    for (uint32_t i = 0; i < entries.size(); ++i) {
      if (table.Kind(i) != TableLineKind::kIf && table.Kind(i) != TableLineKind::kEndif) continue;
      const TableEntry e = entries[i];
      if (e.kind == TableLineKind::kIf && e.active && e.partner == TableEntry::kNoEntry) {
        std::string pattern = e.pattern ? QuotePattern(table, *e.pattern) : std::string();
        Diagnostic& d = sink.Report({src, e.range.begin, e.range.end},
                                    fmt::format("if {} has no endif{}", pattern, used_by), "if " + pattern);
        d.notes.push_back({Location{}, fmt::format("Postfix warns \"IF has no matching ENDIF\", and for a key that "
                                                   "fails this test the lookup stops here, so no rule after line {} "
                                                   "is tried",
                                                   e.line)});
        continue;
      }
      if (e.kind != TableLineKind::kEndif) continue;
      const uint32_t meant = written[i];
      const bool meant_dropped = meant != TableEntry::kNoEntry && !entries[meant].active;
      if (e.partner == TableEntry::kNoEntry) {
        std::string why;
        if (meant_dropped) {
          why = fmt::format(". It was written to close the if on line {}, which Postfix dropped", entries[meant].line);
        } else if (meant != TableEntry::kNoEntry && entries[meant].partner != TableEntry::kNoEntry) {
          // An earlier endif, shifted by a dropped if, already closed it.
          why = fmt::format(". It was written to close the if on line {}, which Postfix already closed at line {}",
                            entries[meant].line, entries[entries[meant].partner].line);
        }
        Diagnostic& d = sink.Report({src, e.range.begin, e.range.end},
                                    fmt::format("endif without a matching if{}", used_by), "endif");
        if (meant_dropped) AddNote(d, table, meant, "the dropped if");
        if (!why.empty() && !meant_dropped) AddNote(d, table, meant, "the if it was written for");
        d.notes.push_back({Location{}, fmt::format("Postfix ignores it (\"ignoring ENDIF without matching IF\"){}",
                                                   why)});
        continue;
      }
      if (meant != e.partner && meant_dropped) {
        const TableEntry& closes = entries[e.partner];
        Diagnostic& d = sink.Report({src, e.range.begin, e.range.end},
                                    fmt::format("this endif was written to close the if on line {}, which Postfix "
                                                "dropped{}",
                                                entries[meant].line, used_by),
                                    "endif");
        AddNote(d, table, meant, "the dropped if");
        AddNote(d, table, e.partner, "the if this endif closes for Postfix");
        d.notes.push_back({Location{}, fmt::format("Postfix uses it to close the if on line {} instead, so the rules "
                                                   "after line {} no longer depend on the test on line {}",
                                                   closes.line, e.line, closes.line)});
      }
    }
  }

 private:
  // Text Postfix ignores after an IF pattern or an ENDIF.
  static void ReportExtraText(const RegexpTable& table, const std::string& used_by, Sink& sink) {
    const Source& src = table.source();
    for (const TableWarning& w : table.warnings()) {
      if (w.code != TableWarningCode::kIfExtraText && w.code != TableWarningCode::kEndifExtraText) continue;
      const TableEntry& e = table.entries()[w.entry];
      const bool is_if = w.code == TableWarningCode::kIfExtraText;
      const uint32_t line = src.Locate(e.range.begin).line;
      const uint32_t extra_line = src.Locate(e.extra_range().begin).line;
      // Point at the first physical line of the ignored text.
      std::string_view rest = src.text().substr(e.extra_range().begin, e.extra_range().end - e.extra_range().begin);
      size_t lf = rest.find('\n');
      uint32_t end = lf == std::string_view::npos ? e.extra_range().end : e.extra_range().begin + static_cast<uint32_t>(lf);
      while (end > e.extra_range().begin && (src.text()[end - 1] == '\r' || src.text()[end - 1] == ' ' ||
                                           src.text()[end - 1] == '\t')) {
        --end;
      }
      std::string what;
      const uint32_t last_line = src.Locate(e.extra_range().end > 0 ? e.extra_range().end - 1 : 0).line;
      if (extra_line != line && last_line != extra_line) {
        what = fmt::format("indented lines {} to {} continue the {} on line {}, so Postfix ignores them{}", extra_line,
                           last_line, is_if ? "if" : "endif", line, used_by);
      } else if (extra_line != line) {
        what = fmt::format("indented line {} continues the {} on line {}, so Postfix ignores it{}", extra_line,
                           is_if ? "if" : "endif", line, used_by);
      } else {
        what = fmt::format("Postfix ignores the text after this {}{}", is_if ? "if's pattern" : "endif", used_by);
      }
      Diagnostic& d = sink.Report({&src, e.extra_range().begin, end}, std::move(what),
                                  QuoteText(src.Slice(e.extra_range().begin, end)));
      d.notes.push_back({{&src, e.range.begin, e.range.end},
                         fmt::format("Postfix: {}", SanitizeMessage(FormatTableWarning(w, table.type(),
                                                                                       src.display())))});
      if (extra_line != line) {
        d.notes.push_back({Location{}, "a line that starts with whitespace continues the line above, so a rule "
                                       "written there is never tried"});
        d.notes.push_back({Location{}, "write the rules between if and endif without indentation"});
      } else {
        d.notes.push_back({Location{}, is_if ? "an if line holds only its pattern; a rule needs a line of its own"
                                             : "an endif line holds nothing else"});
      }
    }
  }

  static void AddNote(Diagnostic& d, const RegexpTable& table, uint32_t entry, std::string message) {
    const TableEntry& e = table.entries()[entry];
    d.notes.push_back({{&table.source(), e.range.begin, e.range.end}, std::move(message)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnbalancedIfRule() { return std::make_unique<UnbalancedIf>(); }

}  // namespace postvet
