#include "src/fix/list_edit.hpp"

#include <algorithm>
#include <string>
#include <string_view>

#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::dnsbl {
namespace {

// Postfix's list separators (mystrtokq() with ", \t\r\n").
bool IsSeparator(char c) { return c == ' ' || c == '\t' || c == '\r' || c == ','; }
bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Skips a gap starting at `p`: separators, line ends, and the comment lines
// readllines() drops inside a continuation (first non-blank byte '#').
uint32_t SkipGap(std::string_view text, uint32_t p, uint32_t end) {
  while (p < end) {
    char c = text[p];
    if (IsSeparator(c)) {
      ++p;
    } else if (c == '\n') {
      ++p;
      uint32_t q = p;
      while (q < end && IsBlank(text[q])) ++q;
      if (q < end && text[q] == '#') {
        while (q < end && text[q] != '\n') ++q;
        p = q;
      }
    } else {
      break;
    }
  }
  return p;
}

struct Gap {
  std::optional<uint32_t> first_newline;
  std::optional<uint32_t> first_comma;
  bool comment = false;
};

Gap Inspect(std::string_view text, uint32_t b, uint32_t e) {
  Gap g;
  for (uint32_t p = b; p < e; ++p) {
    if (text[p] == '\n' && !g.first_newline) g.first_newline = p;
    if (text[p] == ',' && !g.first_comma && !g.first_newline) g.first_comma = p;
    if (text[p] == '#') g.comment = true;
  }
  return g;
}

// The word starting at `b` is the first thing on its physical line (only
// blanks and commas before it); `*line_start` gets that line's first byte.
bool FirstOnLine(std::string_view text, uint32_t b, uint32_t* line_start) {
  uint32_t q = b;
  while (q > 0 && (IsBlank(text[q - 1]) || text[q - 1] == ',')) --q;
  if (q == 0 || text[q - 1] != '\n') return false;
  *line_start = q;
  return true;
}

// Start of the blanks right before `b` (the space after "name =").
uint32_t BackOverBlanks(std::string_view text, uint32_t b) {
  while (b > 0 && IsBlank(text[b - 1])) --b;
  return b;
}

}  // namespace

std::optional<ValueSpan> FindValueSpan(const LintContext& ctx, const Location& where) {
  if (where.source == nullptr) return std::nullopt;
  if (ctx.main_file() != nullptr && ctx.main_file()->source.get() == where.source) {
    for (const MainCfDefinition& d : ctx.main_cf().definitions()) {
      if (d.value_begin <= where.begin && where.end <= d.value_end && d.value_begin < d.value_end) {
        return ValueSpan{where.source, d.value_begin, d.value_end};
      }
    }
  }
  if (ctx.master_file() != nullptr && ctx.master_file()->source.get() == where.source) {
    for (const MasterService& s : ctx.master_cf().services) {
      for (const MasterOverride& o : s.overrides) {
        if (o.ok() && o.value_begin <= where.begin && where.end <= o.value_end && o.value_begin < o.value_end) {
          return ValueSpan{where.source, o.value_begin, o.value_end};
        }
      }
    }
  }
  return std::nullopt;
}

std::vector<ByteRange> RawWords(const ValueSpan& value) {
  std::vector<ByteRange> words;
  std::string_view text = value.source->text();
  uint32_t p = value.begin;
  while (p < value.end) {
    p = SkipGap(text, p, value.end);
    if (p >= value.end) break;
    uint32_t b = p;
    int level = 0;
    while (p < value.end) {
      char c = text[p];
      if (level == 0 && (IsSeparator(c) || c == '\n')) break;
      if (c == '{') ++level;
      else if (c == '}' && level > 0) --level;
      ++p;
    }
    words.push_back({b, p});
  }
  return words;
}

std::optional<std::vector<Edit>> DeleteWords(const ValueSpan& value, std::vector<ByteRange> words,
                                            WordCache* cache) {
  if (value.source == nullptr || words.empty()) return std::nullopt;
  std::string_view text = value.source->text();
  std::vector<ByteRange> scanned;
  const std::vector<ByteRange>* cached = nullptr;
  if (cache != nullptr) {
    auto [it, inserted] = cache->words.try_emplace({value.source, value.begin});
    if (inserted) it->second = RawWords(value);
    cached = &it->second;
  } else {
    scanned = RawWords(value);
    cached = &scanned;
  }
  const std::vector<ByteRange>& all = *cached;
  std::vector<size_t> index;
  for (const ByteRange& w : words) {
    auto it = std::lower_bound(all.begin(), all.end(), w.begin,
                               [](const ByteRange& r, uint32_t b) { return r.begin < b; });
    if (it == all.end() || it->begin != w.begin || it->end != w.end) return std::nullopt;
    index.push_back(static_cast<size_t>(it - all.begin()));
  }
  std::sort(index.begin(), index.end());
  index.erase(std::unique(index.begin(), index.end()), index.end());

  std::vector<Edit> edits;
  for (size_t i = 0; i < index.size();) {
    size_t a = index[i];
    size_t z = a;
    while (i + 1 < index.size() && index[i + 1] == z + 1) z = index[++i];
    ++i;
    // A comment line between the words of a run would go with them.
    for (size_t k = a; k < z; ++k) {
      if (Inspect(text, all[k].end, all[k + 1].begin).comment) return std::nullopt;
    }
    const uint32_t b = all[a].begin;
    const uint32_t e = all[z].end;
    const bool has_prev = a > 0;
    const bool has_next = z + 1 < all.size();
    const uint32_t prev_end = has_prev ? all[a - 1].end : value.begin;
    const uint32_t next_begin = has_next ? all[z + 1].begin : value.end;
    const Gap after = Inspect(text, e, next_begin);
    const Gap before = Inspect(text, prev_end, b);
    uint32_t line_start = 0;
    const bool first = FirstOnLine(text, b, &line_start);
    uint32_t del_b = b;
    uint32_t del_e = e;
    // The last line break inside the run, when it spans lines.
    std::optional<uint32_t> inner_newline;
    for (size_t k = a; k < z; ++k) {
      for (uint32_t p = all[k].end; p < all[k + 1].begin; ++p) {
        if (text[p] == '\n') inner_newline = p;
      }
    }
    if (has_next && !after.first_newline && inner_newline) {
      // "a, X,\n    Y, c" -> "a,\n    c": the run's first line loses its
      // tail (as below), its last line the words before "c"; the line
      // break and the indentation of that last line stay.
      uint32_t tail_b = first ? line_start
                        : has_prev ? (before.first_comma ? *before.first_comma + 1 : prev_end)
                                   : BackOverBlanks(text, b);
      uint32_t last_line_word = all[a].begin;
      for (size_t k = a; k <= z; ++k) {
        if (all[k].begin > *inner_newline) {
          last_line_word = all[k].begin;
          break;
        }
      }
      edits.push_back(Edit{value.source, tail_b, first ? *inner_newline + 1 : *inner_newline, ""});
      edits.push_back(Edit{value.source, last_line_word, next_begin, ""});
      continue;
    }
    if (has_next) {
      if (!after.first_newline) {
        // "a, X, c" -> "a, c": the next word takes this one's place.
        del_e = next_begin;
      } else if (first) {
        // The run fills a continuation line: drop that physical line.
        del_b = line_start;
        del_e = *after.first_newline + 1;
      } else if (has_prev) {
        // "a, X,\n c" -> "a,\n c": keep the separator that follows "a".
        del_b = before.first_comma ? *before.first_comma + 1 : prev_end;
        del_e = *after.first_newline;
      } else {
        // "name = X,\n c" -> "name =\n c".
        del_b = BackOverBlanks(text, b);
        del_e = *after.first_newline;
      }
    } else {
      // The value's last words: take the trailing separators too, unless a
      // comment line follows inside the value.
      del_e = after.comment ? e : value.end;
      if (has_prev && !before.comment) {
        // "a,\n X" -> "a": the separator before goes.
        del_b = prev_end;
      } else if (first && line_start > 0 && text[line_start - 1] == '\n') {
        // Only comments (or nothing) before, on earlier lines: drop from
        // the line end before the run, so no blank continuation remains.
        del_b = line_start - 1;
      } else {
        del_b = has_prev ? b : BackOverBlanks(text, b);
      }
    }
    edits.push_back(Edit{value.source, del_b, del_e, ""});
  }
  // Runs are separated by kept words, so their edits cannot overlap; check
  // anyway rather than hand the fixer a broken plan.
  for (size_t k = 1; k < edits.size(); ++k) {
    if (edits[k].begin < edits[k - 1].end) return std::nullopt;
  }
  return edits;
}

}  // namespace postvet::dnsbl
