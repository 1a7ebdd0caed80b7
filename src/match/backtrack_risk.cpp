// FindBacktrackRisk() (see backtrack_risk.hpp): the pattern parsed into
// groups, alternatives and quantified atoms (regex_tree.hpp), then three
// checks over the tree. A pattern the parser does not understand ends the
// analysis with no verdict rather than a guess.
#include "src/match/backtrack_risk.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "src/match/regex_tree.hpp"

namespace postvet {
namespace {

using regex_tree::ByteSet;
using regex_tree::Kind;
using regex_tree::Node;

bool Nullable(const Node& n);

// First bytes of seq[from..] and whether all of it can match empty.
ByteSet FirstOfSeq(const std::vector<Node>& seq, size_t from, bool* nullable);

ByteSet FirstOf(const Node& n) {
  if (n.kind == Kind::kSet) return n.set;
  if (n.kind != Kind::kGroup || n.zero_width) return {};
  ByteSet s;
  bool unused = false;
  for (const std::vector<Node>& alt : n.alts) s |= FirstOfSeq(alt, 0, &unused);
  return s;
}

bool Nullable(const Node& n) {
  if (n.min == 0 || n.kind == Kind::kAssert || n.kind == Kind::kBackref || n.zero_width) return true;
  if (n.kind == Kind::kSet) return false;
  for (const std::vector<Node>& alt : n.alts) {
    if (std::all_of(alt.begin(), alt.end(), [](const Node& c) { return Nullable(c); })) return true;
  }
  return false;
}

ByteSet FirstOfSeq(const std::vector<Node>& seq, size_t from, bool* nullable) {
  ByteSet s;
  for (size_t i = from; i < seq.size(); ++i) {
    s |= FirstOf(seq[i]);
    if (!Nullable(seq[i])) {
      *nullable = false;
      return s;
    }
  }
  *nullable = true;
  return s;
}

// Every byte `n` can consume.
ByteSet CharsOf(const Node& n) {
  if (n.kind == Kind::kSet) return n.set;
  if (n.kind != Kind::kGroup || n.zero_width) return {};
  ByteSet s;
  for (const std::vector<Node>& alt : n.alts) {
    for (const Node& c : alt) s |= CharsOf(c);
  }
  return s;
}

class Checker {
 public:
  explicit Checker(std::string_view pattern, int groups)
      : pattern_(pattern), group_repeated_(static_cast<size_t>(groups) + 1, false) {}

  void Walk(const std::vector<std::vector<Node>>& alts, bool under_repeat) {
    for (const std::vector<Node>& seq : alts) {
      for (const Node& n : seq) Visit(n, under_repeat);
    }
  }

  std::optional<BacktrackRisk> Result() {
    for (const auto& [ref, under] : backrefs_) {
      bool target_repeated = false;
      if (ref->group < 0) {
        target_repeated = std::find(group_repeated_.begin(), group_repeated_.end(), true) != group_repeated_.end();
      } else if (static_cast<size_t>(ref->group) < group_repeated_.size()) {
        target_repeated = group_repeated_[static_cast<size_t>(ref->group)];
      }
      if (ref->max >= 2 || under || target_repeated) {
        Add(BacktrackRiskKind::kBackreferenceUnderRepetition, *ref,
            fmt::format("the back-reference {} {}", Text(*ref),
                        ref->max >= 2 || under ? "is repeated" : "refers to a group inside a repetition"));
      }
    }
    return best_;
  }

 private:
  std::string_view Text(const Node& n) const { return pattern_.substr(n.begin, std::min<size_t>(n.end - n.begin, 40)); }

  void Add(BacktrackRiskKind kind, const Node& n, std::string what) {
    if (best_ && best_->begin <= n.begin) return;
    best_ = BacktrackRisk{kind, n.begin, n.end, std::move(what)};
  }

  void Visit(const Node& n, bool under_repeat) {
    if (n.kind == Kind::kBackref) {
      backrefs_.emplace_back(&n, under_repeat);
      return;
    }
    if (n.kind != Kind::kGroup) return;
    const bool repeated = n.max >= 2 && !n.atomic && !n.zero_width;
    if (n.group > 0 && static_cast<size_t>(n.group) < group_repeated_.size()) {
      group_repeated_[static_cast<size_t>(n.group)] = under_repeat || n.max >= 2;
    }
    if (repeated) CheckRepeatedGroup(n);
    Walk(n.alts, under_repeat || repeated);
  }

  void CheckRepeatedGroup(const Node& g) {
    ByteSet seen;
    ByteSet next_iteration;
    for (const std::vector<Node>& alt : g.alts) {
      bool nullable = false;
      ByteSet first = FirstOfSeq(alt, 0, &nullable);
      if ((seen & first).any()) {
        Add(BacktrackRiskKind::kOverlappingAlternatives, g,
            fmt::format("the alternatives of the repeated group {} can match the same text", Text(g)));
        return;
      }
      seen |= first;
      next_iteration |= first;
    }
    for (const std::vector<Node>& seq : g.alts) {
      // Backward pass: the first bytes after each element, within the group
      // and, when the rest can be empty, of the group's next iteration.
      ByteSet follow = next_iteration;
      for (size_t i = seq.size(); i-- > 0;) {
        const Node& v = seq[i];
        if (v.max > v.min && v.max >= 2 && !v.atomic && (CharsOf(v) & follow).any()) {
          Add(BacktrackRiskKind::kNestedQuantifier, g,
              fmt::format("the repeated group {} holds the repetition {}, which can also match what follows it",
                          Text(g), Text(v)));
          return;
        }
        follow = Nullable(v) ? (follow | FirstOf(v)) : FirstOf(v);
      }
    }
  }

  std::string_view pattern_;
  std::vector<bool> group_repeated_;
  std::vector<std::pair<const Node*, bool>> backrefs_;
  std::optional<BacktrackRisk> best_;
};

}  // namespace

bool MayBacktrack(std::string_view pattern, bool pcre) {
  // Every shape reported needs a repeated group or a back-reference.
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '(') return true;
    if (c == '\\' && i + 1 < pattern.size()) {
      const char e = pattern[++i];
      if ((e >= '1' && e <= '9') || (pcre && (e == 'g' || e == 'k'))) return true;
    }
  }
  return false;
}

std::optional<BacktrackRisk> FindBacktrackRisk(std::string_view pattern, bool pcre, bool extended, bool icase) {
  if (!pcre && !extended) return std::nullopt;
  if (pattern.size() > kMaxAnalysedPatternBytes) return std::nullopt;
  pattern = pattern.substr(0, std::min(pattern.find('\0'), pattern.size()));
  if (!MayBacktrack(pattern, pcre)) return std::nullopt;
  std::optional<regex_tree::Tree> tree = regex_tree::ParseRegexTree(pattern, pcre, icase);
  if (!tree) return std::nullopt;
  Checker checker(pattern, tree->groups);
  checker.Walk(tree->alts, false);
  return checker.Result();
}

}  // namespace postvet
