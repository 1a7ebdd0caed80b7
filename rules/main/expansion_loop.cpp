// PV107 expansion-loop: a main.cf value whose `$name` expansion never ends
// (`a = $b`, `b = $a`, possibly through built-in defaults such as
// myorigin's `$myhostname`) or nests deeper than Postfix allows. Postfix's
// mac_expand() gives up after 100 nested calls with "unreasonable macro
// call nesting", and every program that evaluates the value (postconf -x, a
// daemon at start-up) dies with "macro processing error".
//
// The verdict is the expansion engine's (MacroExpand through ParamContext,
// so only branches Postfix takes count); the loop itself is found by a walk
// over the `$name` references Postfix expands (tests such as `${name?..}`
// only ask whether a name has a value). One finding per loop, at the
// reference in the loop's earliest main.cf definition; other steps are
// notes. No fix: which reference is wrong is the author's call.
#include <algorithm>
#include <unordered_map>
#include <set>

#include <fmt/format.h>

#include "src/facts/facts.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using main_rules::MainFacts;

bool NestingFailure(const MacroOutcome& o) {
  if (!o.error) return false;
  for (const std::string& w : o.warnings) {
    if (w.starts_with("unreasonable macro call nesting")) return true;
  }
  return false;
}

// One `$to` reference in the value of `from`.
struct Step {
  // Views into main.cf, the defaults table or the scope's caches: all live
  // as long as the MainFacts.
  std::string_view from;
  std::string_view to;
  uint32_t begin = 0;  // offset of the name in from's value
  uint32_t end = 0;
};

class LoopFinder {
 public:
  explicit LoopFinder(MainFacts& facts) : facts_(facts) {}

  // The `$name` references of `name`'s value that Postfix expands.
  const std::vector<Step>& Edges(std::string_view name) {
    auto it = edges_.find(name);
    if (it != edges_.end()) return it->second;
    std::vector<Step> steps;
    if (std::optional<std::string_view> value = facts_.scope().Lookup(name)) {
      std::string_view text = *value;
      for (const MacroRef& r : ListMacroRefs(text)) {
        if (!main_rules::IsTestReference(text, r.end)) steps.push_back({name, r.name, r.begin, r.end});
      }
    }
    return edges_.emplace(name, std::move(steps)).first->second;
  }

  enum class Mark : uint8_t { kOpen, kClean, kLoop };

  // Depth-first from `start`: the first loop reachable from it. Empty when
  // that loop was found by an earlier walk; nullopt when none is reachable.
  std::optional<std::vector<Step>> LoopFrom(std::string_view start) {
    struct Frame {
      std::string_view name;
      size_t next = 0;
    };
    if (auto known = marks_.find(start); known != marks_.end()) {
      if (known->second == Mark::kClean) return std::nullopt;
      return std::vector<Step>();
    }
    std::vector<Frame> stack{{start, 0}};
    std::vector<Step> path;  // path[i] leads from stack[i] to stack[i + 1]
    marks_[start] = Mark::kOpen;
    while (!stack.empty()) {
      Frame& top = stack.back();
      const std::vector<Step>& edges = Edges(top.name);
      if (top.next == edges.size()) {
        marks_[top.name] = Mark::kClean;
        stack.pop_back();
        if (!path.empty()) path.pop_back();
        continue;
      }
      const Step& step = edges[top.next++];
      auto mark = marks_.find(step.to);
      if (mark == marks_.end()) {
        marks_[step.to] = Mark::kOpen;
        path.push_back(step);
        stack.push_back({step.to, 0});
        continue;
      }
      if (mark->second == Mark::kClean) continue;
      // An open name is on the stack: a new loop. A loop mark: one found before.
      std::vector<Step> loop;
      if (mark->second == Mark::kOpen) {
        size_t at = 0;
        while (stack[at].name != step.to) ++at;
        loop.assign(path.begin() + static_cast<std::ptrdiff_t>(at), path.end());
        loop.push_back(step);
      }
      for (const Frame& f : stack) marks_[f.name] = Mark::kLoop;
      return loop;
    }
    return std::nullopt;
  }

  // The longest chain of expanded references from `start`, which must reach
  // no loop (LoopFrom() said so); capped just above Postfix's limit.
  int Depth(std::string_view start) {
    struct Frame {
      std::string_view name;
      size_t next = 0;
      int best = 0;
    };
    std::vector<Frame> stack{{start, 0, 0}};
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (depth_.count(top.name) != 0) {
        stack.pop_back();
        continue;
      }
      const std::vector<Step>& edges = Edges(top.name);
      if (top.next < edges.size()) {
        const Step& step = edges[top.next];
        auto known = depth_.find(step.to);
        if (known == depth_.end()) {
          stack.push_back({step.to, 0, 0});
          continue;
        }
        top.best = std::max(top.best, std::min(known->second + 1, kMacroNestingLimit + 1));
        ++top.next;
        continue;
      }
      depth_[top.name] = top.best;
      stack.pop_back();
    }
    return depth_[start];
  }

 private:
  MainFacts& facts_;
  std::unordered_map<std::string_view, std::vector<Step>> edges_;
  std::unordered_map<std::string_view, Mark> marks_;
  std::unordered_map<std::string_view, int> depth_;
};

// What Postfix says when an expansion does not end.
constexpr std::string_view kGivesUp =
    "Postfix gives up with \"unreasonable macro call nesting\" and \"macro processing error\"";

// Steps of a loop spelt out in the message and shown as notes.
constexpr size_t kShownSteps = 8;

class ExpansionLoop : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV107",
            .slug = "expansion-loop",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "$a -> $b -> $a recursion, or $name nesting deeper than Postfix allows",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.main_file() == nullptr) return;
    MainFacts& facts = FactsOf(ctx).Main();
    const MainCf& m = facts.main_cf();
    LoopFinder finder(facts);
    std::vector<const MainCfDefinition*> deep;  // fail without a loop
    for (uint32_t i : m.EffectiveInOrder()) {
      const MainCfDefinition& d = m.definitions()[i];
      if (facts.IsHidden(d.name) || facts.defaults().IsRaw(d.name)) continue;
      // The walk over references says where expansion could fail; only
      // there is the value expanded (expansion may cost up to its budget).
      std::optional<std::vector<Step>> loop = finder.LoopFrom(d.name);
      if (loop && loop->empty()) continue;  // reaches a loop already dealt with
      if (!loop && finder.Depth(d.name) <= kMacroNestingLimit) continue;
      if (!NestingFailure(facts.scope().ExpandOutcome(d.value))) continue;
      if (loop) {
        ReportLoop(facts, *loop, sink);
      } else {
        deep.push_back(&d);
      }
    }
    ReportDeep(facts, deep, sink);
  }

 private:
  static void ReportLoop(const MainFacts& facts, const std::vector<Step>& loop, Sink& sink) {
    const MainCf& m = facts.main_cf();
    // Start at the step out of the earliest definition written in main.cf.
    size_t first = loop.size();
    for (size_t i = 0; i < loop.size(); ++i) {
      const MainCfDefinition* d = m.Find(loop[i].from);
      if (d == nullptr) continue;
      if (first == loop.size() || d->name_begin < m.Find(loop[first].from)->name_begin) first = i;
    }
    if (first == loop.size()) return;  // cannot happen: defaults alone never loop
    // "a -> $b -> $a": the name, then each reference until it comes back.
    std::string chain(loop[first].from);
    std::vector<std::string_view> via_defaults;
    for (size_t k = 0; k < loop.size(); ++k) {
      const Step& s = loop[(first + k) % loop.size()];
      if (k < kShownSteps || k + 1 == loop.size()) {
        chain += fmt::format(" -> ${}", s.to);
      } else if (k == kShownSteps) {
        chain += fmt::format(" -> ... ({} more)", loop.size() - kShownSteps - 1);
      }
      if (m.Find(s.from) == nullptr) via_defaults.push_back(s.from);
    }
    const Step& at = loop[first];
    const MainCfDefinition& def = *m.Find(at.from);
    std::string message = loop.size() == 1 ? fmt::format("{} refers to itself through ${}", at.from, at.to)
                                           : fmt::format("expansion loop {}", chain);
    Diagnostic& diag = sink.Report(facts.ValueLocation(def, at.begin, at.end), std::move(message), std::string(at.from));
    for (size_t k = 1; k < loop.size() && k <= kShownSteps; ++k) {
      const Step& s = loop[(first + k) % loop.size()];
      if (const MainCfDefinition* d = m.Find(s.from)) {
        diag.notes.push_back({facts.ValueLocation(*d, s.begin, s.end), fmt::format("{} uses ${} here", s.from, s.to)});
      }
    }
    diag.notes.push_back({{}, fmt::format("expanding {} never ends: {}", at.from, kGivesUp)});
    for (std::string_view name : via_defaults) {
      diag.notes.push_back({{}, fmt::format("{} is not set in main.cf; its default is used", name)});
    }
  }

  // Chains longer than Postfix's limit: reported where they start (a
  // failing definition that no other failing one refers to).
  static void ReportDeep(MainFacts& facts, const std::vector<const MainCfDefinition*>& deep, Sink& sink) {
    std::set<std::string_view> referenced;
    for (const MainCfDefinition* d : deep) {
      for (const MacroRef& r : ListMacroRefs(d->value)) referenced.insert(r.name);
    }
    for (const MainCfDefinition* d : deep) {
      if (referenced.count(d->name) != 0) continue;
      for (const MacroRef& r : ListMacroRefs(d->value)) {
        if (main_rules::IsTestReference(d->value, r.end)) continue;
        Diagnostic& diag = sink.Report(
            facts.ValueLocation(*d, r.begin, r.end),
            fmt::format("expanding {} nests $name references deeper than Postfix allows ({} levels)", d->name,
                        kMacroNestingLimit),
            std::string(d->name));
        diag.notes.push_back({{}, std::string(kGivesUp)});
        break;
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewExpansionLoopRule() { return std::make_unique<ExpansionLoop>(); }

}  // namespace postvet
