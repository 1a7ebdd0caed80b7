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

// Same pattern, flags and negation, and the same second pattern (or none).
bool SameRule(const TableEntry& a, const TableEntry& b) {
  if (!SamePattern(*a.pattern, *b.pattern) || (a.second != nullptr) != (b.second != nullptr)) return false;
  return !a.second || SamePattern(*a.second, *b.second);
}

size_t HashPattern(const TablePattern& p, size_t seed) {
  size_t h = std::hash<std::string_view>()(p.body);
  h ^= (size_t{p.options} << 1 | (p.negated() ? 1 : 0)) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2);
  return h ^ (seed * 31);
}

size_t HashRule(const TableEntry& e) {
  size_t h = HashPattern(*e.pattern, 0);
  return e.second ? HashPattern(*e.second, h + 1) : h;
}

// The IFs rules consider around `earlier` (RegexpTable::ListedScope()) are
// the same as the start of those around `later`.
bool IsScopePrefix(const RegexpTable& table, uint32_t earlier, uint32_t later) {
  const std::vector<TableEntry>& entries = table.entries();
  const uint32_t de = entries[earlier].depth;
  const uint32_t dl = entries[later].depth;
  if (de <= TableEntry::kMaxListedScope && dl <= TableEntry::kMaxListedScope) {
    // Whole chains: the outer `de` IFs of `later` are those of `earlier` when
    // its IF at that depth is `earlier`'s innermost (parents are unique).
    if (de > dl) return false;
    if (de == 0) return true;
    uint32_t p = entries[later].parent;
    for (uint32_t level = dl; level > de; --level) p = entries[p].parent;
    return p == entries[earlier].parent;
  }
  const std::vector<uint32_t> outer = table.ListedScope(earlier);
  const std::vector<uint32_t> inner = table.ListedScope(later);
  return outer.size() <= inner.size() && std::equal(outer.begin(), outer.end(), inner.begin());
}

// Rules with equal patterns, in file order: an open-addressing table of
// chains (first and last entry of each), linked through `next`. Sized once.
class RuleIndex {
 public:
  explicit RuleIndex(const RegexpTable& table) : table_(table), next_(table.entries().size(), kNone) {
    size_t size = 16;
    while (size < 2 * table.entries().size()) size *= 2;
    slots_.assign(size, Slot{});
  }

  // The earlier rules equal to entry `i` (its chain's head, or kNone), after
  // appending `i` to that chain.
  uint32_t Add(uint32_t i) {
    const TableEntry& e = table_.entries()[i];
    const size_t mask = slots_.size() - 1;
    for (size_t s = HashRule(e) & mask;; s = (s + 1) & mask) {
      Slot& slot = slots_[s];
      if (slot.head == kNone) {
        slot.head = slot.tail = i;
        return kNone;
      }
      if (SameRule(table_.entries()[slot.head], e)) {
        const uint32_t head = slot.head;
        next_[slot.tail] = i;
        slot.tail = i;
        return head;
      }
    }
  }
  uint32_t Next(uint32_t j) const { return next_[j]; }

  static constexpr uint32_t kNone = UINT32_MAX;

 private:
  struct Slot {
    uint32_t head = kNone;
    uint32_t tail = kNone;
  };
  const RegexpTable& table_;
  std::vector<uint32_t> next_;
  std::vector<Slot> slots_;
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
    const std::vector<TableEntry>& entries = table.entries();
    const std::string used_by = UsedBySuffix(file);
    RuleIndex seen(table);
    for (uint32_t i = 0; i < entries.size(); ++i) {
      const TableEntry& later = entries[i];
      if (later.kind != TableLineKind::kMatch || !later.active || !later.pattern) continue;
      const TableEntry* earlier = nullptr;
      for (uint32_t j = seen.Add(i); j != i && j != RuleIndex::kNone; j = seen.Next(j)) {
        if (IsScopePrefix(table, j, i)) {
          earlier = &entries[j];
          break;
        }
      }
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
