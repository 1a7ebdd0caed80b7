// Builds the flat pre-order Cst with a PEGTL control class: on start of a
// selected rule a placeholder node is pushed, on success its end and subtree
// size are filled in, on failure it and everything pushed after it are
// dropped. Which rules become nodes, and of which kind, is decided here by
// the Select<> table, so the grammars stay free of tree concerns.
#include "grammar/cst_builder.hpp"

#include <algorithm>
#include <cassert>

#include "grammar/main_cf.hpp"
#include "grammar/master_cf.hpp"
#include "grammar/regexp_table.hpp"

namespace postvet {
namespace {

namespace pegtl = tao::pegtl;
namespace g = grammar;

// Rules not listed here produce no node.
template <typename Rule>
struct Select {
  static constexpr bool kSelected = false;
};

#define POSTVET_SELECT(RULE, KIND)                          \
  template <>                                               \
  struct Select<RULE> {                                     \
    static constexpr bool kSelected = true;                 \
    static constexpr NodeKind kKind = NodeKind::KIND;       \
  }

POSTVET_SELECT(g::blank_line, kBlankLine);
POSTVET_SELECT(g::comment_line, kCommentLine);
POSTVET_SELECT(g::join, kJoin);
POSTVET_SELECT(g::line_end, kEol);
POSTVET_SELECT(g::trailing_space, kSpace);
POSTVET_SELECT(g::bad_leading, kBadLeading);
POSTVET_SELECT(g::bad_line, kBadLine);

POSTVET_SELECT(g::main_cf::parameter, kParameter);
POSTVET_SELECT(g::main_cf::name, kName);
POSTVET_SELECT(g::main_cf::equals, kEquals);
POSTVET_SELECT(g::main_cf::space, kSpace);
POSTVET_SELECT(g::main_cf::value, kValue);

POSTVET_SELECT(g::master_cf::service, kService);
POSTVET_SELECT(g::master_cf::field, kField);
POSTVET_SELECT(g::master_cf::argument, kArgument);
POSTVET_SELECT(g::master_cf::space, kSpace);

POSTVET_SELECT(g::regexp_table::space, kSpace);
POSTVET_SELECT(g::regexp_table::negation, kNegation);
POSTVET_SELECT(g::regexp_table::pattern, kPattern);
POSTVET_SELECT(g::regexp_table::regexp_flags, kFlags);
POSTVET_SELECT(g::regexp_table::pcre_flags, kFlags);
POSTVET_SELECT(g::regexp_table::result, kResult);
POSTVET_SELECT(g::regexp_table::extra_text, kExtraText);
POSTVET_SELECT(g::regexp_table::endif_line, kEndif);
POSTVET_SELECT(g::regexp_table::rule_line<g::regexp_table::regexp_flags>, kRule);
POSTVET_SELECT(g::regexp_table::rule_line<g::regexp_table::pcre_flags>, kRule);
POSTVET_SELECT(g::regexp_table::if_line<g::regexp_table::regexp_flags>, kIf);
POSTVET_SELECT(g::regexp_table::if_line<g::regexp_table::pcre_flags>, kIf);

#undef POSTVET_SELECT

struct Builder {
  const char* base;
  std::vector<Node> nodes;
  std::vector<uint32_t> open;   // indices of started, unfinished nodes
  std::vector<uint32_t> marks;  // node counts at the start of unselected composite rules
};

// Rules with sub-rules can fail after a selected descendant succeeded; the
// nodes made inside them must then be dropped too. Atomic rules cannot.
template <typename Rule>
inline constexpr bool kComposite = !std::is_same_v<typename Rule::subs_t, pegtl::type_list<>>;

// The tokens inside a logical line, which a lines-only tree leaves out
// (ParseTableLines()); joins and the lines they drop stay.
constexpr bool IsToken(NodeKind kind) {
  switch (kind) {
    case NodeKind::kEol:
    case NodeKind::kSpace:
    case NodeKind::kNegation:
    case NodeKind::kPattern:
    case NodeKind::kFlags:
    case NodeKind::kResult:
    case NodeKind::kExtraText:
      return true;
    default:
      return false;
  }
}

// Whether `Rule` makes a node: selected, and not a token when kLinesOnly.
template <typename Rule, bool kLinesOnly>
constexpr bool MakesNode() {
  if constexpr (Select<Rule>::kSelected) {
    return !(kLinesOnly && IsToken(Select<Rule>::kKind));
  } else {
    return false;
  }
}

template <bool kLinesOnly>
struct ControlFor {
template <typename Rule>
struct Control : pegtl::normal<Rule> {
  template <typename ParseInput>
  static void start(const ParseInput& in, Builder& b) {
    if constexpr (MakesNode<Rule, kLinesOnly>()) {
      auto begin = static_cast<uint32_t>(in.current() - b.base);
      b.open.push_back(static_cast<uint32_t>(b.nodes.size()));
      b.nodes.push_back(Node{Select<Rule>::kKind, begin, begin, 1});
    } else if constexpr (kComposite<Rule>) {
      b.marks.push_back(static_cast<uint32_t>(b.nodes.size()));
    }
  }

  template <typename ParseInput>
  static void success(const ParseInput& in, Builder& b) {
    if constexpr (MakesNode<Rule, kLinesOnly>()) {
      uint32_t i = b.open.back();
      b.open.pop_back();
      Node& n = b.nodes[i];
      n.end = static_cast<uint32_t>(in.current() - b.base);
      n.subtree_size = static_cast<uint32_t>(b.nodes.size()) - i;
      // Zero-length nodes (an eof line end) carry no bytes: drop them.
      if (n.begin == n.end && n.subtree_size == 1) b.nodes.pop_back();
    } else if constexpr (kComposite<Rule>) {
      b.marks.pop_back();
    }
  }

  template <typename ParseInput>
  static void failure(const ParseInput& /*in*/, Builder& b) {
    if constexpr (MakesNode<Rule, kLinesOnly>()) {
      b.nodes.resize(b.open.back());
      b.open.pop_back();
    } else if constexpr (kComposite<Rule>) {
      b.nodes.resize(b.marks.back());
      b.marks.pop_back();
    }
  }
};
};

// Room for every node of a lines-only tree of `text`, so that the vector is
// allocated once at its final size (a 100,000-line table: 1.6 MB, where
// growth by doubling would hold 2.4 MB at once). Each physical line gives at
// most one node there: the logical line it starts, the dropped line it is,
// or the join that steps onto it (the join's dropped lines being lines of
// their own). Add the file node, a last line without LF, and the node a
// failing alternative may hold while it is tried.
size_t LinesOnlyNodeBound(std::string_view text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 4;
}

template <typename Grammar, bool kLinesOnly = false>
Cst Build(const Source& source) {
  std::string_view text = source.text();
  pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf> in(text.data(), text.size(),
                                                                     source.display());
  Builder b{text.data(), {}, {}, {}};
  b.nodes.reserve(kLinesOnly ? LinesOnlyNodeBound(text) : text.size() / 8 + 4);
  b.nodes.push_back(Node{NodeKind::kFile, 0, source.size(), 1});
  bool ok = pegtl::parse<Grammar, pegtl::nothing, ControlFor<kLinesOnly>::template Control>(in, b);
  assert(ok && b.open.empty() && b.marks.empty());  // the grammars are total
  (void)ok;
  b.nodes[0].subtree_size = static_cast<uint32_t>(b.nodes.size());
  return Cst(source, std::move(b.nodes));
}

}  // namespace

Cst ParseMainCf(const Source& source) { return Build<g::main_cf::file>(source); }
Cst ParseMasterCf(const Source& source) { return Build<g::master_cf::file>(source); }
Cst ParseTable(const Source& source, TableType type) {
  return type == TableType::kRegexp ? Build<g::regexp_table::file<g::regexp_table::regexp_flags>>(source)
                                    : Build<g::regexp_table::file<g::regexp_table::pcre_flags>>(source);
}
Cst ParseTableLines(const Source& source, TableType type) {
  return type == TableType::kRegexp ? Build<g::regexp_table::file<g::regexp_table::regexp_flags>, true>(source)
                                    : Build<g::regexp_table::file<g::regexp_table::pcre_flags>, true>(source);
}

}  // namespace postvet
