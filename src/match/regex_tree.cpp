#include "src/match/regex_tree.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <string>

namespace postvet::regex_tree {
namespace {

uint32_t Mul(uint32_t a, uint32_t b) {
  if (a == kInf || b == kInf) return (a == 0 || b == 0) ? 0 : kInf;
  uint64_t p = uint64_t{a} * b;
  return p >= kInf ? kInf - 1 : static_cast<uint32_t>(p);
}

ByteSet Range(int lo, int hi) {
  ByteSet s;
  for (int c = lo; c <= hi; ++c) s.set(static_cast<size_t>(c));
  return s;
}

ByteSet ClassSet(std::string_view name) {
  if (name == "digit") return Range('0', '9');
  if (name == "alpha") return Range('a', 'z') | Range('A', 'Z');
  if (name == "alnum") return Range('a', 'z') | Range('A', 'Z') | Range('0', '9');
  if (name == "upper") return Range('A', 'Z');
  if (name == "lower") return Range('a', 'z');
  if (name == "space") return Range('\t', '\r') | Range(' ', ' ');
  if (name == "blank") return Range('\t', '\t') | Range(' ', ' ');
  if (name == "xdigit") return Range('0', '9') | Range('a', 'f') | Range('A', 'F');
  if (name == "punct") return Range('!', '/') | Range(':', '@') | Range('[', '`') | Range('{', '~');
  if (name == "word") return Range('a', 'z') | Range('A', 'Z') | Range('0', '9') | Range('_', '_');
  return ByteSet().set();  // unknown or broad (print, graph, cntrl): assume anything
}

class Parser {
 public:
  Parser(std::string_view p, bool pcre, bool icase) : p_(p), pcre_(pcre), icase_(icase) {}

  bool Parse(std::vector<std::vector<Node>>* top) {
    *top = Alternatives(0);
    return ok_ && pos_ == p_.size();
  }
  int groups() const { return groups_; }

 private:
  bool At(char c) const { return pos_ < p_.size() && p_[pos_] == c; }
  bool AtStr(std::string_view s) const { return p_.substr(pos_, s.size()) == s; }

  ByteSet Fold(ByteSet s) const {
    if (!icase_) return s;
    for (int c = 'a'; c <= 'z'; ++c) {
      const auto lo = static_cast<size_t>(c);
      const auto up = static_cast<size_t>(c - 'a' + 'A');
      if (s[lo] || s[up]) s.set(lo).set(up);
    }
    return s;
  }

  std::vector<std::vector<Node>> Alternatives(int depth) {
    std::vector<std::vector<Node>> alts(1);
    while (ok_ && pos_ < p_.size()) {
      if (At('|')) {
        ++pos_;
        alts.emplace_back();
        continue;
      }
      if (At(')')) break;
      if (pcre_ && AtStr("\\Q")) {  // \Q...\E: literal bytes
        pos_ += 2;
        while (pos_ < p_.size() && !AtStr("\\E")) alts.back().push_back(Literal(p_[pos_], pos_)), ++pos_;
        if (AtStr("\\E")) pos_ += 2;
        continue;
      }
      Node n = Atom(depth);
      if (!ok_) break;
      Quantifier(&n);
      alts.back().push_back(std::move(n));
    }
    return alts;
  }

  Node Literal(char c, size_t at) const {
    Node n;
    n.set.set(static_cast<unsigned char>(c));
    n.set = Fold(n.set);
    n.begin = at;
    n.end = at + 1;
    return n;
  }

  Node Assert(size_t begin) const {
    Node n;
    n.kind = Kind::kAssert;
    n.begin = begin;
    n.end = pos_;
    return n;
  }

  Node Atom(int depth) {
    const size_t begin = pos_;
    const char c = p_[pos_];
    if (c == '(') return Group(depth);
    if (c == '[') return Bracket();
    if (c == '\\') return Escape();
    ++pos_;
    if (c == '.') {
      Node n;
      n.set.set();
      n.begin = begin;
      n.end = pos_;
      return n;
    }
    if (c == '^' || c == '$') return Assert(begin);
    return Literal(c, begin);
  }

  Node Group(int depth) {
    Node n;
    n.kind = Kind::kGroup;
    n.begin = pos_++;
    if (depth >= kMaxDepth) {
      ok_ = false;
      return n;
    }
    bool capture = true;
    if (pcre_ && At('?')) {
      capture = false;
      ++pos_;
      if (At(':')) {
        ++pos_;
      } else if (At('>')) {
        ++pos_;
        n.atomic = true;
      } else if (At('=') || At('!')) {
        ++pos_;
        n.zero_width = true;
      } else if (AtStr("<=") || AtStr("<!")) {
        pos_ += 2;
        n.zero_width = true;
      } else if (At('<') || At('\'') || AtStr("P<")) {
        size_t close = p_.find(At('\'') ? '\'' : '>', pos_ + 1);
        if (close == std::string_view::npos) return ok_ = false, n;
        pos_ = close + 1;
        capture = true;
      } else if (At('#')) {
        size_t close = p_.find(')', pos_);
        if (close == std::string_view::npos) return ok_ = false, n;
        pos_ = close + 1;
        return Assert(n.begin);
      } else {
        // Option settings: (?i) changes flags from here on, (?i:...) groups.
        while (pos_ < p_.size() && (std::isalpha(static_cast<unsigned char>(p_[pos_])) != 0 || At('-'))) ++pos_;
        if (At(')')) {
          ++pos_;
          return Assert(n.begin);
        }
        if (!At(':')) return ok_ = false, n;
        ++pos_;
      }
    }
    if (capture) n.group = ++groups_;
    n.alts = Alternatives(depth + 1);
    if (!ok_ || !At(')')) {
      ok_ = false;
      return n;
    }
    ++pos_;
    n.end = pos_;
    return n;
  }

  // One escape inside or outside brackets: the set it stands for, or
  // nullopt for an assertion / back-reference (outside brackets only).
  ByteSet EscapeSet(char e) {
    switch (e) {
      case 'd': return Range('0', '9');
      case 'D': return ~Range('0', '9');
      case 'w': return ClassSet("word");
      case 'W': return ~ClassSet("word");
      case 's': return ClassSet("space");
      case 'S': return ~ClassSet("space");
      case 'h': return ClassSet("blank");
      case 'n': return Range('\n', '\n');
      case 't': return Range('\t', '\t');
      case 'r': return Range('\r', '\r');
      case 'f': return Range('\f', '\f');
      case 'e': return Range(27, 27);
      case 'a': return Range(7, 7);
      default: break;
    }
    if (pcre_ && (e == 'x' || e == 'p' || e == 'P' || e == 'N' || e == 'X' || e == 'C' || e == 'R' || e == 'o' ||
                  e == 'c' || e == 'v' || e == 'H' || e == 'V')) {
      // Hex, properties and the like: skip their argument, assume anything.
      if (At('{')) {
        size_t close = p_.find('}', pos_);
        pos_ = close == std::string_view::npos ? p_.size() : close + 1;
      } else if (e == 'x') {
        while (pos_ < p_.size() && std::isxdigit(static_cast<unsigned char>(p_[pos_])) != 0) ++pos_;
      } else if (e == 'c' && pos_ < p_.size()) {
        ++pos_;
      }
      return ByteSet().set();
    }
    ByteSet s;
    s.set(static_cast<unsigned char>(e));
    return Fold(s);
  }

  Node Escape() {
    const size_t begin = pos_++;
    if (pos_ >= p_.size()) return Literal('\\', begin);
    const char e = p_[pos_++];
    auto backref = [&](int target) {
      Node n;
      n.kind = Kind::kBackref;
      n.group = target;
      n.begin = begin;
      n.end = pos_;
      return n;
    };
    if (e >= '1' && e <= '9') {
      int target = e - '0';
      while (pcre_ && pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9' && target < 1000) {
        target = target * 10 + (p_[pos_++] - '0');
      }
      return backref(target);
    }
    if (pcre_ && (e == 'g' || e == 'k')) {
      int target = -1;
      if (At('{') || At('<') || At('\'')) {
        const char close = At('{') ? '}' : At('<') ? '>' : '\'';
        size_t end = p_.find(close, pos_);
        std::string_view arg = p_.substr(pos_ + 1, end == std::string_view::npos ? 0 : end - pos_ - 1);
        pos_ = end == std::string_view::npos ? p_.size() : end + 1;
        if (!arg.empty() && std::all_of(arg.begin(), arg.end(), [](char d) { return d >= '0' && d <= '9'; })) {
          target = std::min(std::atoi(std::string(arg).c_str()), 100000);
        }
      } else {
        int v = 0;
        bool digits = false;
        while (pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9' && v < 100000) {
          v = v * 10 + (p_[pos_++] - '0');
          digits = true;
        }
        if (digits) target = v;
      }
      return backref(target);
    }
    if (e == 'b' || e == 'B' || e == '<' || e == '>' || e == '`' || e == '\'' ||
        (pcre_ && (e == 'A' || e == 'z' || e == 'Z' || e == 'G' || e == 'K'))) {
      return Assert(begin);
    }
    Node n;
    n.set = EscapeSet(e);
    n.begin = begin;
    n.end = pos_;
    return n;
  }

  Node Bracket() {
    Node n;
    n.begin = pos_++;
    bool negate = false;
    if (At('^')) negate = true, ++pos_;
    ByteSet s;
    bool first = true;
    while (pos_ < p_.size() && (first || !At(']'))) {
      first = false;
      if (AtStr("[:") || AtStr("[=") || AtStr("[.")) {
        const char kind = p_[pos_ + 1];
        const char closer[2] = {kind, ']'};
        size_t end = p_.find(std::string_view(closer, 2), pos_ + 2);
        if (end == std::string_view::npos) return ok_ = false, n;
        std::string_view name = p_.substr(pos_ + 2, end - pos_ - 2);
        s |= kind == ':' ? ClassSet(name) : (name.size() == 1 ? Range(name[0] & 0xff, name[0] & 0xff) : ByteSet().set());
        pos_ = end + 2;
        continue;
      }
      int lo = static_cast<unsigned char>(p_[pos_]);
      if (pcre_ && p_[pos_] == '\\' && pos_ + 1 < p_.size()) {
        pos_ += 2;
        ByteSet e = EscapeSet(p_[pos_ - 1]);
        if (e.count() != 1) {
          s |= e;
          continue;
        }
        for (size_t i = 0; i < 256; ++i) {
          if (e[i]) lo = static_cast<int>(i);
        }
      } else {
        ++pos_;
      }
      int hi = lo;
      if (AtStr("-") && pos_ + 1 < p_.size() && p_[pos_ + 1] != ']') {
        ++pos_;
        hi = static_cast<unsigned char>(p_[pos_]);
        if (pcre_ && p_[pos_] == '\\' && pos_ + 1 < p_.size()) ++pos_, hi = static_cast<unsigned char>(p_[pos_]);
        ++pos_;
      }
      if (hi >= lo) s |= Range(lo, hi);
    }
    if (!At(']')) return ok_ = false, n;
    ++pos_;
    s = Fold(s);
    n.set = negate ? ~s : s;
    n.end = pos_;
    return n;
  }

  // Reads "n}", "n,}" or "n,m}" after '{'; false (pos unchanged) if not one.
  bool Interval(uint32_t* min, uint32_t* max) {
    size_t j = pos_ + 1;
    auto number = [&](uint32_t* out) {
      size_t start = j;
      uint64_t v = 0;
      while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9') v = std::min<uint64_t>(v * 10 + uint64_t(p_[j++] - '0'), 1u << 20);
      *out = static_cast<uint32_t>(v);
      return j > start;
    };
    uint32_t lo = 0, hi = 0;
    if (!number(&lo)) return false;
    if (j < p_.size() && p_[j] == ',') {
      ++j;
      if (!number(&hi)) hi = kInf;
    } else {
      hi = lo;
    }
    if (j >= p_.size() || p_[j] != '}') return false;
    pos_ = j + 1;
    *min = lo;
    *max = hi;
    return true;
  }

  void Quantifier(Node* n) {
    while (pos_ < p_.size()) {
      uint32_t lo = 0, hi = 0;
      const char c = p_[pos_];
      if (c == '*') {
        lo = 0, hi = kInf, ++pos_;
      } else if (c == '+') {
        lo = 1, hi = kInf, ++pos_;
      } else if (c == '?') {
        lo = 0, hi = 1, ++pos_;
      } else if (c == '{' && Interval(&lo, &hi)) {
        // pos_ moved past the interval
      } else {
        return;
      }
      n->min = Mul(n->min, lo);
      n->max = Mul(n->max, hi);
      n->end = pos_;
      if (pcre_) {  // one quantifier, then lazy '?' or possessive '+'
        if (At('+')) n->atomic = true, ++pos_, n->end = pos_;
        else if (At('?')) ++pos_, n->end = pos_;
        return;
      }
    }
  }

  std::string_view p_;
  bool pcre_;
  bool icase_;
  size_t pos_ = 0;
  int groups_ = 0;
  bool ok_ = true;
};

}  // namespace

std::optional<Tree> ParseRegexTree(std::string_view pattern, bool pcre, bool icase) {
  Parser parser(pattern, pcre, icase);
  Tree tree;
  if (!parser.Parse(&tree.alts)) return std::nullopt;
  tree.groups = parser.groups();
  return tree;
}

}  // namespace postvet::regex_tree
