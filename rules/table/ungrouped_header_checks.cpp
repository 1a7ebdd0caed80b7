// PV301 ungrouped-header-checks: a run of consecutive rules (threshold
// `header_group_threshold`, default 3) in one scope of a header check
// table, all of whose patterns can match only lines of one header name
// (`/^Subject:.*viagra/`, `/^subject: x/i`, ...), outside any `if` that
// already restricts them. Postfix tries every rule on every header line
// (dict_regexp_lookup(), dict_pcre_lookup()), so a message with 30 headers
// costs 30 x N pattern tests for the run; inside `if /^Subject:/ ... endif`
// the other 29 headers cost one test each.
//
// Fix (safe): insert `if /^Name:/` before the first rule and `endif` after
// the last, leaving every rule byte for byte as it was (not indented: an
// indented line would continue the `if` line, spec 6.1). Equivalence:
// header_pattern.hpp proves that each rule matches only keys starting
// with "Name:" (any case), and the new `if` (default flags: caseless, `^`
// at the start of the key only, same engine) matches every such key. So a
// key the `if` rejects matched none of the rules before, and a key it
// accepts meets the same rules in the same order; lookups are unchanged.
// tests/header_group_oracle_test.py checks this with postmap.
#include <algorithm>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/header_pattern.hpp"
#include "src/facts/table/table_common.hpp"
#include "grammar/cst.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return Lower(x) == Lower(y);
         });
}

struct Run {
  std::string_view name;  // as the first rule writes it (a view into its pattern)
  uint32_t first = 0;     // entry indices of the first and last rule
  uint32_t last = 0;
  size_t size = 0;        // number of rules
};

class UngroupedHeaderChecks : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV301",
            .slug = "ungrouped-header-checks",
            .severity = Severity::kInfo,
            .fix = FixKind::kSafe,
            .summary = "consecutive rules all match one header name outside an if /^Name:/ block; grouping them "
                       "saves a pattern test per rule on every other header line",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const std::vector<TableUse> uses = HeaderChecksUses(file);
    if (uses.empty()) return;
    const RegexpTable& table = ctx.table(file);
    const size_t threshold = static_cast<size_t>(std::max(2L, ctx.config().header_group_threshold));
    const TableNodes nodes(*file.cst);
    Run run;
    auto flush = [&] {
      if (run.size >= threshold && !AlreadyRestricted(table, run.first)) Report(table, nodes, run, uses, sink);
      run = Run{};
    };
    for (uint32_t i = 0; i < table.size(); ++i) {
      std::optional<std::string_view> name;
      if (table.Kind(i) == TableLineKind::kMatch && table.Active(i)) {
        // A view into the Source (or the table's joined text), not into `pattern`.
        const std::optional<TablePattern> pattern = table.Pattern(i);
        if (pattern) name = ImpliedHeaderName(*pattern, table.dialect());
      }
      if (name && run.size > 0 && SameName(*name, run.name)) {
        run.last = i;
        ++run.size;
        continue;
      }
      flush();
      if (name) run = Run{*name, i, i, 1};
    }
    flush();
  }

 private:
  // An enclosing IF already limits the run to one header name.
  static bool AlreadyRestricted(const RegexpTable& table, uint32_t first) {
    return table.AnyListedScope(first, [&](uint32_t s) {
      const std::optional<TablePattern> outer = table.Pattern(s);
      return outer && ImpliedHeaderName(*outer, table.dialect());
    });
  }

  static void Report(const RegexpTable& table, const TableNodes& nodes, const Run& run,
                     const std::vector<TableUse>& uses, Sink& sink) {
    const Source* src = &table.source();
    const TableEntry& first = table.entries()[run.first];
    const TableEntry& last = table.entries()[run.last];
    const std::string if_line = fmt::format("if /^{}:/", run.name);
    const size_t n = run.size;
    std::string message = fmt::format("{} rules in a row (lines {}-{}) can match only {}: header lines but are not "
                                      "grouped under {}",
                                      n, first.line, last.line, run.name, if_line);
    Diagnostic& d = sink.Report({src, first.pattern->range.begin, first.pattern->range.end}, std::move(message),
                                if_line);
    d.notes.push_back({{src, last.pattern->range.begin, last.pattern->range.end}, "the run ends here"});
    d.notes.push_back({Location{}, fmt::format("{} tries each of them on every header line; inside {} ... endif "
                                               "every other header line costs one test instead of {}",
                                               JoinUseNames(uses), if_line, n)});
    if (uses.front().guessed) d.notes.push_back({Location{}, "table use judged by its file name"});
    std::optional<Fix> fix = GroupFix(nodes, first, last, if_line);
    if (fix) d.fix = std::move(fix);
  }

  static std::optional<Fix> GroupFix(const TableNodes& nodes, const TableEntry& first, const TableEntry& last,
                                     const std::string& if_line) {
    const Cst& cst = nodes.cst();
    const Source& src = cst.source();
    const size_t first_at = nodes.FindPosition(first);
    uint32_t last_node = nodes.Find(last);
    if (first_at == TableNodes::kNotFound || last_node == UINT32_MAX) return std::nullopt;
    const uint32_t first_node = nodes.TopAt(first_at);
    const Node& lastn = cst.node(last_node);
    // Keep the file's line ends: CRLF files get CRLF lines.
    bool crlf = lastn.end >= 2 && src.text()[lastn.end - 1] == '\n' && src.text()[lastn.end - 2] == '\r';
    const std::string eol = crlf ? "\r\n" : "\n";
    // The `if` goes above a comment block that carries a postvet directive
    // for the first rule, so the directive keeps applying to that rule.
    uint32_t insert_at = cst.node(first_node).begin;
    bool directive = false;
    size_t at = first_at;
    while (at > 0 && cst.node(nodes.TopAt(at - 1)).kind == NodeKind::kCommentLine) {
      --at;
      directive = directive || cst.Raw(nodes.TopAt(at)).find("postvet:") != std::string_view::npos;
    }
    if (directive) insert_at = cst.node(nodes.TopAt(at)).begin;
    Fix fix{Applicability::kSafe, fmt::format("group the rules under {} ... endif", if_line), {}};
    fix.edits.push_back(Edit{&src, insert_at, insert_at, if_line + eol});
    if (lastn.end > lastn.begin && src.text()[lastn.end - 1] == '\n') {
      // Replace the run's final LF, so that an `if` inserted right after
      // (by the next run's fix) does not touch the same point.
      fix.edits.push_back(Edit{&src, lastn.end - 1, lastn.end, "\nendif" + eol});
    } else {
      fix.edits.push_back(Edit{&src, lastn.end, lastn.end, eol + "endif" + eol});
    }
    return fix;
  }
};

}  // namespace

std::unique_ptr<Rule> NewUngroupedHeaderChecksRule() { return std::make_unique<UngroupedHeaderChecks>(); }

}  // namespace postvet
