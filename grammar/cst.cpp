#include "grammar/cst.hpp"

#include <fmt/format.h>

namespace postvet {

std::string_view NodeKindName(NodeKind kind) {
  switch (kind) {
    case NodeKind::kFile: return "file";
    case NodeKind::kBlankLine: return "blank_line";
    case NodeKind::kCommentLine: return "comment_line";
    case NodeKind::kJoin: return "join";
    case NodeKind::kEol: return "eol";
    case NodeKind::kSpace: return "space";
    case NodeKind::kBadLeading: return "bad_leading";
    case NodeKind::kBadLine: return "bad_line";
    case NodeKind::kParameter: return "parameter";
    case NodeKind::kName: return "name";
    case NodeKind::kEquals: return "equals";
    case NodeKind::kValue: return "value";
    case NodeKind::kService: return "service";
    case NodeKind::kField: return "field";
    case NodeKind::kArgument: return "argument";
    case NodeKind::kRule: return "rule";
    case NodeKind::kIf: return "if";
    case NodeKind::kEndif: return "endif";
    case NodeKind::kNegation: return "negation";
    case NodeKind::kPattern: return "pattern";
    case NodeKind::kFlags: return "flags";
    case NodeKind::kResult: return "result";
    case NodeKind::kExtraText: return "extra_text";
  }
  return "?";
}

std::vector<uint32_t> Cst::Children(uint32_t i) const {
  std::vector<uint32_t> out;
  uint32_t end = i + nodes_[i].subtree_size;
  // Counted first, so that the root of a 100,000-line table takes 400 KB
  // once rather than up to 768 KB while doubling.
  size_t count = 0;
  for (uint32_t c = i + 1; c < end; c += nodes_[c].subtree_size) ++count;
  out.reserve(count);
  for (uint32_t c = i + 1; c < end; c += nodes_[c].subtree_size) out.push_back(c);
  return out;
}

uint32_t Cst::FindChild(uint32_t i, NodeKind kind) const {
  uint32_t end = i + nodes_[i].subtree_size;
  for (uint32_t c = i + 1; c < end; c += nodes_[c].subtree_size) {
    if (nodes_[c].kind == kind) return c;
  }
  return kNone;
}

std::string Cst::Text(uint32_t i) const { return JoinedText(Raw(i)); }

std::string Cst::Echo() const {
  // Leaves in pre-order, plus the gaps a parent covers between its children.
  std::string out;
  out.reserve(source_->size());
  std::string_view text = source_->text();
  uint32_t pos = 0;
  for (const Node& n : nodes_) {
    if (n.subtree_size == 1 && n.begin >= pos) {
      out.append(text.substr(pos, n.begin - pos));
      out.append(text.substr(n.begin, n.end - n.begin));
      pos = n.end;
    }
  }
  out.append(text.substr(pos));
  return out;
}

std::string Cst::Dump() const {
  std::string out;
  std::vector<uint32_t> open_ends;  // end index (exclusive) of each open ancestor
  for (uint32_t i = 0; i < nodes_.size(); ++i) {
    while (!open_ends.empty() && open_ends.back() <= i) open_ends.pop_back();
    const Node& n = nodes_[i];
    LineCol lc = source_->Locate(n.begin);
    out += fmt::format("{:{}}{} {}:{} [{},{})", "", 2 * open_ends.size(), NodeKindName(n.kind),
                       lc.line, lc.column, n.begin, n.end);
    if (n.subtree_size == 1) {
      std::string_view raw = source_->Slice(n.begin, n.end);
      std::string shown;
      for (char c : raw.substr(0, 60)) {
        auto u = static_cast<unsigned char>(c);
        if (c == '\n') shown += "\\n";
        else if (c == '\t') shown += "\\t";
        else if (c == '\\') shown += "\\\\";
        else if (c == '"') shown += "\\\"";
        else if (u < 0x20 || u == 0x7f) shown += fmt::format("\\x{:02x}", u);
        else shown += c;
      }
      if (raw.size() > 60) shown += "...";
      out += fmt::format(" \"{}\"", shown);
    }
    out += '\n';
    if (n.subtree_size > 1) open_ends.push_back(i + n.subtree_size);
  }
  return out;
}

std::string JoinedText(std::string_view raw) {
  size_t lf = raw.find('\n');
  if (lf == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  size_t pos = 0;
  while (lf != std::string_view::npos) {
    out.append(raw.substr(pos, lf - pos));
    pos = lf + 1;
    // Skip the blank and comment lines that follow this LF.
    for (;;) {
      size_t p = pos;
      while (p < raw.size() && IsSpace(raw[p])) ++p;
      bool dropped = p >= raw.size() ? false : (raw[p] == '\n' || raw[p] == '#');
      if (!dropped) break;
      size_t next = raw.find('\n', p);
      if (next == std::string_view::npos) { pos = raw.size(); break; }
      pos = next + 1;
    }
    lf = raw.find('\n', pos);
  }
  out.append(raw.substr(pos));
  return out;
}

}  // namespace postvet
