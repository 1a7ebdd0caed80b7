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
#include <algorithm>
#include <functional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "grammar/cst.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

bool SamePattern(const TablePattern& a, const TablePattern& b) {
  return a.negated() == b.negated() && a.options == b.options && a.body == b.body;
}

// What PV305 compares of a rule: its pattern and its second pattern (a
// `/a/!/b/` rule's; null when none, owned by the table).
struct RuleKey {
  TablePattern first;
  const TablePattern* second = nullptr;
};

RuleKey KeyOf(const RegexpTable& table, uint32_t i) { return RuleKey{*table.Pattern(i), table.Second(i)}; }

// Same pattern, flags and negation, and the same second pattern (or none).
bool SameRule(const RuleKey& a, const RuleKey& b) {
  if (!SamePattern(a.first, b.first) || (a.second != nullptr) != (b.second != nullptr)) return false;
  return !a.second || SamePattern(*a.second, *b.second);
}

size_t HashPattern(const TablePattern& p, size_t seed) {
  size_t h = std::hash<std::string_view>()(p.body);
  h ^= (size_t{p.options} << 1 | (p.negated() ? 1 : 0)) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  return h ^ (seed * 31);
}

size_t HashRule(const RuleKey& k) {
  size_t h = HashPattern(k.first, 0);
  return k.second ? HashPattern(*k.second, h + 1) : h;
}

// The IFs rules consider around `earlier` (RegexpTable::ListedScope()) are
// the same as the start of those around `later`.
bool IsScopePrefix(const RegexpTable& table, uint32_t earlier, uint32_t later) {
  const uint32_t de = table.Depth(earlier);
  const uint32_t dl = table.Depth(later);
  if (de <= TableEntry::kMaxListedScope && dl <= TableEntry::kMaxListedScope) {
    // Whole chains: the outer `de` IFs of `later` are those of `earlier` when
    // its IF at that depth is `earlier`'s innermost (parents are unique).
    if (de > dl) return false;
    if (de == 0) return true;
    uint32_t p = table.Parent(later);
    for (uint32_t level = dl; level > de; --level) p = table.Parent(p);
    return p == table.Parent(earlier);
  }
  const std::vector<uint32_t> outer = table.ListedScope(earlier);
  const std::vector<uint32_t> inner = table.ListedScope(later);
  return outer.size() <= inner.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

// The rules PV305 compares: active match rules with a pattern.
bool IsCandidate(const RegexpTable& table, uint32_t i) {
  return table.Kind(i) == TableLineKind::kMatch && table.Active(i);
}

// Rules with equal patterns, in file order: an open-addressing table of
// chains, each slot holding the last entry of its chain, and the chains
// circular through Next() (the last entry links back to the first). Four
// bytes a slot, 5/4 as many slots as candidate rules, sized once; the links
// are kept only for rules that have an equal one (a rule alone is its own
// next), so a table without duplicates pays for nothing but the slots.
// PV305 runs after PV301, whose findings on a big ungrouped table are
// already alive: this index is the top of check's memory on such a table.
class RuleIndex {
 public:
  explicit RuleIndex(const RegexpTable& table) : table_(table) {
    size_t candidates = 0;
    for (uint32_t i = 0; i < table.size(); ++i) candidates += IsCandidate(table, i) ? size_t{1} : size_t{0};
    slots_.assign(std::max<size_t>(16, candidates + candidates / 4 + 1), kNone);
  }

  // The earlier rules equal to entry `e` (number `i`): its chain's first
  // entry, or kNone; `i` is appended to that chain.
  uint32_t Add(uint32_t i, const RuleKey& e) {
    const size_t size = slots_.size();
    // The hash's high half scaled to the table (no power-of-two size needed).
    for (size_t s = static_cast<size_t>(((HashRule(e) >> 32) * size) >> 32);; s = s + 1 == size ? size_t{0} : s + 1) {
      uint32_t& tail = slots_[s];
      if (tail == kNone) {
        tail = i;
        return kNone;
      }
      if (SameRule(KeyOf(table_, tail), e)) {
        const uint32_t head = Next(tail);
        next_[tail] = i;
        next_[i] = head;
        tail = i;
        return head;
      }
    }
  }
  // The entry after `j` in its chain (the first again after the last).
  uint32_t Next(uint32_t j) const {
    auto it = next_.find(j);
    return it == next_.end() ? j : it->second;
  }

  static constexpr uint32_t kNone = UINT32_MAX;

 private:
  const RegexpTable& table_;
  std::vector<uint32_t> slots_;
  std::unordered_map<uint32_t, uint32_t> next_;  // only links that are not to self
};

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
    const std::string used_by = UsedBySuffix(file);
    RuleIndex seen(table);
    for (uint32_t i = 0; i < table.size(); ++i) {
      if (!IsCandidate(table, i)) continue;
      const std::optional<TablePattern> pattern = table.Pattern(i);
      if (!pattern) continue;
      uint32_t earlier = RuleIndex::kNone;
      // The chain from its first entry up to `i`, which was appended last.
      for (uint32_t j = seen.Add(i, RuleKey{*pattern, table.Second(i)}); j != i && j != RuleIndex::kNone;
           j = seen.Next(j)) {
        if (IsScopePrefix(table, j, i)) {
          earlier = j;
          break;
        }
      }
      if (earlier == RuleIndex::kNone) continue;
      Report(table, nodes, table.Entry(earlier), table.Entry(i), used_by, sink);
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
