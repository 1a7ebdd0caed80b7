#include "src/template/static_view.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "src/template/render.hpp"
#include "src/template/tag_scanner.hpp"

namespace postvet::tmpl {
namespace {

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The control blocks of `tags`, as branches; counts the blocks.
void FindBranches(const std::vector<Tag>& tags, uint32_t size, TemplateInfo* info) {
  struct Open {
    uint32_t block;
    uint32_t index;
    uint32_t begin;
  };
  std::vector<Open> stack;
  for (const Tag& t : tags) {
    switch (t.role) {
      case TagRole::kOpen:
        stack.push_back({info->blocks++, 0, t.end});
        break;
      case TagRole::kBranch:
        if (stack.empty()) break;
        info->branches.push_back({{stack.back().begin, t.begin}, stack.back().block, stack.back().index});
        ++stack.back().index;
        stack.back().begin = t.end;
        break;
      case TagRole::kClose:
        if (stack.empty()) break;
        info->branches.push_back({{stack.back().begin, t.begin}, stack.back().block, stack.back().index});
        stack.pop_back();
        break;
      default:
        break;
    }
  }
  for (; !stack.empty(); stack.pop_back()) {  // never closed: to the end of the file
    info->branches.push_back({{stack.back().begin, size}, stack.back().block, stack.back().index});
  }
}

// Rewrites the physical line [ls, le) of `out` (the tags `first`.. that may
// overlap it); true when it became a comment line holding only an expression.
bool RewriteLine(std::string_view text, uint32_t ls, uint32_t le, const std::vector<Tag>& tags, size_t first,
                 std::string* out) {
  if (ls == le) return false;  // an empty line inside a multi-line tag stays empty (its LF is not ours)
  bool any = false, has_expr = false;
  bool only_tags = true;
  uint32_t pos = ls;
  for (size_t i = first; i < tags.size() && tags[i].begin < le; ++i) {
    const Tag& t = tags[i];
    if (t.end <= ls) continue;
    for (; pos < std::max(ls, t.begin); ++pos) only_tags = only_tags && Blank(text[pos]);
    pos = std::max(pos, std::min(t.end, le));
    any = true;
    has_expr = has_expr || t.role == TagRole::kExpression;
  }
  if (!any) return false;
  for (; pos < le; ++pos) only_tags = only_tags && Blank(text[pos]);
  // tags[first] is the first tag ending after ls: the line starts in it when it begins by then.
  const bool starts_with_tag = tags[first].begin <= ls;
  if (only_tags && (!has_expr || starts_with_tag)) {
    (*out)[ls] = '#';
    for (uint32_t p = ls + 1; p < le; ++p) {
      if ((*out)[p] != '\r' || p + 1 != le) (*out)[p] = ' ';
    }
    return has_expr;
  }
  for (size_t i = first; i < tags.size() && tags[i].begin < le; ++i) {
    const Tag& t = tags[i];
    if (t.end <= ls) continue;
    const bool opaque = t.role == TagRole::kExpression || t.begin == ls;
    for (uint32_t p = std::max(ls, t.begin); p < std::min(t.end, le); ++p) (*out)[p] = opaque ? kOpaqueByte : ' ';
    if (t.begin < ls && t.role == TagRole::kExpression) (*out)[ls] = ' ';  // continues the line the tag began on
  }
  return false;
}

// The logical entries of the view (a line that starts with neither a blank
// nor '#', and the continuation lines after it) that hold template syntax.
void FindDependentEntries(std::string_view view, TemplateInfo* info) {
  ByteRange entry{0, 0};
  bool open = false;
  auto flush = [&] {
    if (open && info->Touches(entry.begin, entry.end)) info->entries.push_back(entry);
    open = false;
  };
  uint32_t ls = 0;
  const auto size = static_cast<uint32_t>(view.size());
  while (ls < size) {
    size_t lf = view.find('\n', ls);
    const auto le = static_cast<uint32_t>(lf == std::string_view::npos ? size : lf);
    std::string_view line = view.substr(ls, le - ls);
    size_t first = line.find_first_not_of(" \t\r");
    const bool content = first != std::string_view::npos && line[first] != '#';
    if (content && first == 0) {
      flush();
      entry = {ls, le};
      open = true;
    } else if (content && open) {
      entry.end = le;
    }
    ls = le + 1;
  }
  flush();
}

// How much longer than the template the rendered view may grow: values are
// short, but one long value used in many places must not grow it unbounded.
constexpr size_t kMaxRenderedGrowth = size_t{16} << 20;

// Template offset -> view offset for a byte outside every rendered tag.
uint32_t ToView(const std::vector<Rendered>& rendered, uint32_t offset) {
  auto it = std::upper_bound(rendered.begin(), rendered.end(), offset,
                             [](uint32_t o, const Rendered& r) { return o < r.tmpl.begin; });
  if (it == rendered.begin()) return offset;
  --it;
  return offset >= it->tmpl.end ? it->view.end + (offset - it->tmpl.end) : it->view.begin;
}

// Replaces the tags of `values` (in order) in view->text by their values,
// and moves every offset of view->info into the rendered text.
void Splice(const std::vector<std::pair<Tag, std::string>>& values, StaticView* view) {
  view->static_text = view->text;
  const std::string& from = view->static_text;
  std::string out;
  out.reserve(from.size());
  uint32_t pos = 0;
  for (const auto& [tag, value] : values) {
    out.append(from, pos, tag.begin - pos);
    const auto begin = static_cast<uint32_t>(out.size());
    out.append(value);
    view->info.rendered.push_back({{begin, static_cast<uint32_t>(out.size())}, {tag.begin, tag.end}});
    pos = tag.end;
  }
  out.append(from, pos, std::string::npos);
  view->text = std::move(out);
  TemplateInfo& info = view->info;
  for (ByteRange& r : info.spans) r = {ToView(info.rendered, r.begin), ToView(info.rendered, r.end)};
  for (Branch& b : info.branches) b.range = {ToView(info.rendered, b.range.begin), ToView(info.rendered, b.range.end)};
}

}  // namespace

uint32_t TemplateInfo::ToTemplate(uint32_t offset, bool end) const {
  // The last value that starts before `offset` (at or before it, for a begin).
  auto it = std::upper_bound(rendered.begin(), rendered.end(), offset, [end](uint32_t o, const Rendered& r) {
    return end ? o <= r.view.begin : o < r.view.begin;
  });
  if (it == rendered.begin()) return offset;
  --it;
  if (end ? offset <= it->view.end : offset < it->view.end) return end ? it->tmpl.end : it->tmpl.begin;
  return it->tmpl.end + (offset - it->view.end);
}

bool TemplateInfo::Touches(uint32_t begin, uint32_t end) const {
  if (end <= begin) end = begin + 1;
  // The first span ending after `begin`; spans are sorted and disjoint.
  auto it = std::upper_bound(spans.begin(), spans.end(), begin,
                             [](uint32_t b, const ByteRange& r) { return b < r.end; });
  return it != spans.end() && it->begin < end;
}

bool TemplateInfo::StartsDependentEntry(uint32_t offset) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), offset,
                             [](const ByteRange& r, uint32_t o) { return r.begin < o; });
  return it != entries.end() && it->begin == offset;
}

bool TemplateInfo::Exclusive(uint32_t a, uint32_t b) const {
  for (const Branch& x : branches) {
    if (a < x.range.begin || a >= x.range.end) continue;
    for (const Branch& y : branches) {
      if (y.block == x.block && y.index != x.index && b >= y.range.begin && b < y.range.end) return true;
    }
  }
  return false;
}

bool TemplateInfo::Conditional(uint32_t offset) const {
  return std::any_of(branches.begin(), branches.end(),
                     [&](const Branch& b) { return offset >= b.range.begin && offset < b.range.end; });
}

StaticView MakeStaticView(std::string_view text, TemplateKind kind, const Vars* vars) {
  StaticView view;
  view.text.assign(text);
  view.info.kind = kind;
  std::vector<Tag> tags = ScanTags(text, kind);
  // Expressions with known values are text, not template syntax.
  std::vector<std::pair<Tag, std::string>> values;
  if (vars != nullptr) {
    size_t growth = 0;
    std::erase_if(tags, [&](const Tag& t) {
      if (t.role != TagRole::kExpression) return false;
      std::optional<std::string> v = RenderExpression(text.substr(t.begin, t.end - t.begin), kind, *vars);
      if (!v || growth + v->size() > kMaxRenderedGrowth) return false;
      growth += v->size();
      values.emplace_back(t, std::move(*v));
      return true;
    });
    view.info.rendered_count = static_cast<uint32_t>(values.size());
  }
  const auto size = static_cast<uint32_t>(text.size());
  for (const Tag& t : tags) {
    view.info.spans.push_back({t.begin, t.end});
    if (t.role == TagRole::kExpression) ++view.info.expressions;
  }
  FindBranches(tags, size, &view.info);
  size_t first = 0;  // the first tag that may overlap the current line
  uint32_t ls = 0;
  while (ls < size && !tags.empty()) {
    size_t lf = text.find('\n', ls);
    const auto le = static_cast<uint32_t>(lf == std::string_view::npos ? size : lf);
    while (first < tags.size() && tags[first].end <= ls) ++first;
    if (first == tags.size()) break;
    if (tags[first].begin < le && RewriteLine(text, ls, le, tags, first, &view.text)) ++view.info.opaque_lines;
    ls = le + 1;
  }
  if (!values.empty()) Splice(values, &view);
  FindDependentEntries(view.text, &view.info);
  return view;
}

}  // namespace postvet::tmpl
