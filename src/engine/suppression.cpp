#include "src/engine/suppression.hpp"

#include <algorithm>

namespace postvet {
namespace {

bool IsIdByte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

void SkipSpace(std::string_view s, size_t* i) {
  while (*i < s.size() && IsSpace(s[*i])) ++*i;
}

bool IsLogicalLine(NodeKind k) {
  return k == NodeKind::kParameter || k == NodeKind::kService || k == NodeKind::kRule ||
         k == NodeKind::kIf || k == NodeKind::kEndif || k == NodeKind::kBadLine ||
         k == NodeKind::kBadLeading;
}

// Marks and reports the IDs of `d` that cover `offset` for this rule.
bool MatchDirective(SuppressionDirective& d, std::string_view id, std::string_view slug, uint32_t offset) {
  bool hit = false;
  for (size_t i = 0; i < d.ids.size(); ++i) {
    if (d.ids[i] != id && d.ids[i] != slug) continue;
    if (offset < d.scope_begin[i] || offset >= d.scope_end[i]) continue;
    d.used[i] = true;
    hit = true;
  }
  return hit;
}

}  // namespace

bool ParseDirective(std::string_view line, uint32_t offset, SuppressionDirective* out) {
  size_t i = 0;
  SkipSpace(line, &i);
  if (i >= line.size() || line[i] != '#') return false;
  ++i;
  SkipSpace(line, &i);
  constexpr std::string_view kTag = "postvet:";
  if (line.substr(i, kTag.size()) != kTag) return false;
  i += kTag.size();
  SkipSpace(line, &i);
  out->kind = SuppressionDirective::Kind::kMalformed;
  size_t word_begin = i;
  while (i < line.size() && IsIdByte(line[i])) ++i;
  std::string_view word = line.substr(word_begin, i - word_begin);
  if (i >= line.size() || line[i] != '=') {
    out->problem = "expected disable=, disable-file= or enable= after \"postvet:\"";
    return true;
  }
  SuppressionDirective::Kind kind;
  if (word == "disable") kind = SuppressionDirective::Kind::kDisable;
  else if (word == "disable-file") kind = SuppressionDirective::Kind::kDisableFile;
  else if (word == "enable") kind = SuppressionDirective::Kind::kEnable;
  else if (word == "expect-change") kind = SuppressionDirective::Kind::kExpectChange;
  else {
    out->problem = "unknown directive \"" + std::string(word) + "\"";
    return true;
  }
  ++i;
  out->ids_begin = offset + static_cast<uint32_t>(i);
  for (;;) {
    SkipSpace(line, &i);
    size_t id_begin = i;
    // Acknowledged subjects are parameter names or service/type pairs.
    auto in_word = [&](char c) {
      return kind == SuppressionDirective::Kind::kExpectChange ? !IsSpace(c) && c != ',' && c != '\n' : IsIdByte(c);
    };
    while (i < line.size() && in_word(line[i])) ++i;
    if (i == id_begin) {
      out->problem = "expected a rule ID or slug";
      out->ids.clear();
      return true;
    }
    out->ids.push_back(line.substr(id_begin, i - id_begin));
    out->id_begins.push_back(offset + static_cast<uint32_t>(id_begin));
    out->ids_end = offset + static_cast<uint32_t>(i);
    SkipSpace(line, &i);
    if (i < line.size() && line[i] == ',') {
      ++i;
      continue;
    }
    break;
  }
  // Anything else must be a "-- reason".
  std::string_view rest = line.substr(i);
  while (!rest.empty() && (IsSpace(rest.back()) || rest.back() == '\n')) rest.remove_suffix(1);
  if (!rest.empty() && rest.substr(0, 2) != "--") {
    out->problem = "unexpected text after the ID list (write a reason after \"--\")";
    out->ids.clear();
    return true;
  }
  out->kind = kind;
  return true;
}

Suppressions::Suppressions(const Cst& cst) {
  const Source& src = cst.source();
  std::vector<uint32_t> top = cst.Children(cst.root());
  for (size_t k = 0; k < top.size(); ++k) {
    const Node& n = cst.node(top[k]);
    if (n.kind != NodeKind::kCommentLine) continue;
    SuppressionDirective d;
    if (!ParseDirective(src.Slice(n.begin, n.end), n.begin, &d)) continue;
    d.line_begin = n.begin;
    d.line_end = n.end;
    if (d.kind == SuppressionDirective::Kind::kDisable) {
      // Default scope: the next logical line.
      uint32_t next_begin = n.end;
      uint32_t next_end = n.end;
      for (size_t j = k + 1; j < top.size(); ++j) {
        const Node& m = cst.node(top[j]);
        if (IsLogicalLine(m.kind)) {
          next_begin = m.begin;
          next_end = m.end;
          break;
        }
      }
      d.scope_begin.assign(d.ids.size(), next_begin);
      d.scope_end.assign(d.ids.size(), next_end);
    } else if (d.kind == SuppressionDirective::Kind::kDisableFile) {
      d.scope_begin.assign(d.ids.size(), 0);
      d.scope_end.assign(d.ids.size(), src.size());
    }
    d.used.assign(d.ids.size(), false);
    directives_.push_back(std::move(d));
  }
  // A disable whose ID is enabled again later covers everything up to there.
  for (size_t a = 0; a < directives_.size(); ++a) {
    SuppressionDirective& d = directives_[a];
    if (d.kind != SuppressionDirective::Kind::kDisable) continue;
    for (size_t i = 0; i < d.ids.size(); ++i) {
      for (size_t b = a + 1; b < directives_.size(); ++b) {
        SuppressionDirective& e = directives_[b];
        if (e.kind != SuppressionDirective::Kind::kEnable) continue;
        auto it = std::find(e.ids.begin(), e.ids.end(), d.ids[i]);
        if (it == e.ids.end()) continue;
        d.scope_begin[i] = d.line_end;
        d.scope_end[i] = e.line_begin;
        e.used[static_cast<size_t>(it - e.ids.begin())] = true;  // an enable that closes a range is in use
        break;
      }
    }
  }
}

bool Suppressions::Suppresses(std::string_view id, std::string_view slug, uint32_t offset) {
  bool hit = false;
  for (SuppressionDirective& d : directives_) {
    if (d.kind != SuppressionDirective::Kind::kDisable && d.kind != SuppressionDirective::Kind::kDisableFile) continue;
    hit = MatchDirective(d, id, slug, offset) || hit;
  }
  return hit;
}

}  // namespace postvet
