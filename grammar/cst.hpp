// Cst: the lossless concrete syntax tree of one file. Nodes are byte ranges
// of the Source, stored flat in pre-order; each node knows the size of its
// subtree, so children are found without pointers. Every byte of the file
// lies in some node, and the leaves in order spell the file byte for byte:
// that is what makes `parse --echo` and byte-exact fixes possible.
//
// The tree has two layers, as Postfix's reader has (format spec section 1):
// physical lines that Postfix drops (blank, comment) sit between logical
// lines, or inside one as part of a `join` node (LF + dropped lines before a
// continuation). The text Postfix sees for a range is JoinedText(): the bytes
// minus every join.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/source.hpp"

namespace postvet {

/// What a CST node is. Shared by the three grammars.
enum class NodeKind : uint8_t {
  kFile,
  // Line layer.
  kBlankLine,     // empty or all-whitespace physical line, with its LF
  kCommentLine,   // physical line whose first non-space byte is '#'
  kJoin,          // LF and dropped lines between a logical line's physical lines
  kEol,           // the LF that ends a logical line
  kSpace,         // whitespace between tokens (may contain joins)
  kBadLeading,    // continuation text before the first logical line
  kBadLine,       // a logical line that fits no rule (PV001)
  // main.cf.
  kParameter,     // name = value
  kName,
  kEquals,
  kValue,
  // master.cf.
  kService,       // one master.cf entry
  kField,         // one of the 8 fields
  kArgument,      // a word after the 8 fields
  // regexp/pcre tables.
  kRule,          // [!]/pattern/flags result
  kIf,            // if [!]/pattern/flags
  kEndif,
  kNegation,      // the run of '!' and space before a pattern
  kPattern,       // /body/ with its delimiters
  kFlags,
  kResult,
  kExtraText,     // ignored text after if/endif
};

/// Printable name of a node kind ("parameter", "join", ...).
std::string_view NodeKindName(NodeKind kind);

/// One node: a byte range [begin, end) and its pre-order subtree size (1 for a
/// leaf). Children of node i start at i+1; the next sibling of node j is
/// j + subtree_size.
struct Node {
  NodeKind kind;
  uint32_t begin;
  uint32_t end;
  uint32_t subtree_size;
};

/// A parsed file. Holds a reference to its Source, which must outlive it.
class Cst {
 public:
  Cst(const Source& source, std::vector<Node> nodes)
      : source_(&source), nodes_(std::move(nodes)) {}

  const Source& source() const { return *source_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const Node& node(uint32_t i) const { return nodes_[i]; }
  uint32_t root() const { return 0; }

  /// Indices of the direct children of node `i`, in order.
  std::vector<uint32_t> Children(uint32_t i) const;
  /// First direct child of `i` with kind `kind`, or -1 (as uint32_t max).
  uint32_t FindChild(uint32_t i, NodeKind kind) const;
  /// The raw bytes of node `i`.
  std::string_view Raw(uint32_t i) const { return source_->Slice(nodes_[i].begin, nodes_[i].end); }
  /// The text Postfix sees for node `i`: raw bytes minus joins (see JoinedText).
  std::string Text(uint32_t i) const;

  /// The file printed back from the tree's leaves. Equals the input exactly.
  std::string Echo() const;
  /// An indented dump of the tree, one node a line, for grammar bug reports.
  std::string Dump() const;

  static constexpr uint32_t kNone = UINT32_MAX;

 private:
  const Source* source_;
  std::vector<Node> nodes_;
};

/// The text Postfix's line reader makes of `raw`, a range inside one logical
/// line: every LF is removed together with the blank and comment lines that
/// follow it (readllines() joins continuation lines directly, without a
/// separator). Returns `raw` itself when it has no LF.
std::string JoinedText(std::string_view raw);

/// True for the bytes Postfix's ISSPACE() accepts other than LF.
inline bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

}  // namespace postvet
