// PV305 duplicate-pattern: a rule whose pattern already appears, with the
// same effective flags and negation, in an earlier rule that every key
// reaching it has passed. Postfix tries rules in file order and the first
// match wins (dict_regexp_lookup(), dict_pcre_lookup(); spec 6.6), so the
// later rule can never match, whatever its result says.
//
// "Same pattern": the same body bytes, whatever the delimiters; the same
// compile options after the flags toggled them (`/a/` equals `/a/ii`);
// the same negation parity; and for regexp `/a/!/b/` the same second
// pattern. "Passed": the earlier rule is active and its enclosing IFs (as
// Postfix nests them) are the later one's or an outer part of them, so no
// IF can skip the earlier rule without skipping the later one.
// Fix (safe): delete the later rule's whole logical line; lookups return
// exactly what they returned before.
#include <unordered_map>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "grammar/cst.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

void AppendPattern(const TablePattern& p, std::string* key) {
  *key += fmt::format("{}|{}|{}|", p.negated() ? 1 : 0, p.options, p.body.size());
  *key += p.body;
}

std::string PatternKey(const TableEntry& e) {
  std::string key;
  AppendPattern(*e.pattern, &key);
  if (e.second) {
    key += "|!";
    AppendPattern(*e.second, &key);
  }
  return key;
}

// `outer` lists the same IFs as the start of `inner`.
bool IsScopePrefix(const std::vector<uint32_t>& outer, const std::vector<uint32_t>& inner) {
  return outer.size() <= inner.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

class DuplicatePattern : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV305",
            .slug = "duplicate-pattern",
            .severity = Severity::kWarning,
            .fix = FixKind::kSafe,
            .summary = "the same pattern with the same flags appears earlier in the same scope; the later rule can "
                       "never match",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    const TableNodes nodes(*file.cst);
    const std::vector<TableEntry>& entries = table.entries();
    const std::string used_by = UsedBySuffix(file);
    std::unordered_map<std::string, std::vector<uint32_t>> seen;
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const TableEntry& later = entries[i];
      if (later.kind != TableLineKind::kMatch || !later.active || !later.pattern) continue;
      std::vector<uint32_t>& earlier_list = seen[PatternKey(later)];
      const TableEntry* earlier = nullptr;
      for (uint32_t j : earlier_list) {
        if (IsScopePrefix(entries[j].scope, later.scope)) {
          earlier = &entries[j];
          break;
        }
      }
      earlier_list.push_back(i);
      if (earlier == nullptr) continue;
      Report(table, nodes, *earlier, later, used_by, sink);
    }
  }

 private:
  static void Report(const RegexpTable& table, const TableNodes& nodes, const TableEntry& earlier,
                     const TableEntry& later,
                     const std::string& used_by, Sink& sink) {
    const Source* src = &table.source();
    std::string pattern = QuotePattern(table, *later.pattern);
    std::string result = later.result == earlier.result
                             ? std::string("it returns the same result")
                             : fmt::format("its result \"{}\" is never returned", QuoteText(later.result, 50));
    std::string message =
        fmt::format("{} already appears on line {} with the same flags{}", pattern, earlier.line, used_by);
    ByteRange at = later.pattern->range;
    Diagnostic& d = sink.Report({src, at.begin, at.end}, std::move(message), pattern);
    d.notes.push_back({{src, earlier.pattern->range.begin, earlier.pattern->range.end}, "first used here"});
    d.notes.push_back({Location{}, fmt::format("every key that reaches this rule has been tried against that one: "
                                               "this rule can never match ({})",
                                               result)});
    uint32_t node = nodes.Find(later);
    if (node == UINT32_MAX) return;
    const Node& n = nodes.cst().node(node);
    d.fix = Fix{Applicability::kSafe, fmt::format("delete the duplicate rule on line {}", later.line),
                {Edit{src, n.begin, n.end, ""}}};
  }
};

}  // namespace

std::unique_ptr<Rule> NewDuplicatePatternRule() { return std::make_unique<DuplicatePattern>(); }

}  // namespace postvet
