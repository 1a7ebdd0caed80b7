#include "src/fix/unified_diff.hpp"

#include <dtl/dtl.hpp>
#include <fmt/format.h>

#include <vector>

namespace postvet {
namespace {

constexpr long long kContext = 3;

// Lines with their LF kept, so a missing final newline is a difference.
std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t lf = text.find('\n', pos);
    size_t end = lf == std::string_view::npos ? text.size() : lf + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

void AppendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

struct Op {
  char mark;  // ' ', '-', '+'
  std::string_view line;
};

}  // namespace

std::string PatchFileName(std::string_view prefix, std::string_view path) {
  std::string name = std::string(prefix) + std::string(path);
  bool quote = false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    quote = quote || u < 0x20 || u >= 0x7f || c == '"' || c == '\\';
  }
  std::string out;
  if (quote) {
    out += '"';
    for (char c : name) {
      const auto u = static_cast<unsigned char>(c);
      switch (c) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\t': out += "\\t"; break;
        case '\n': out += "\\n"; break;
        case '\v': out += "\\v"; break;
        case '\f': out += "\\f"; break;
        case '\r': out += "\\r"; break;
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        default:
          if (u < 0x20 || u >= 0x7f) {
            out += fmt::format("\\{:03o}", u);
          } else {
            out += c;
          }
      }
    }
    out += '"';
  } else {
    out = name;
  }
  if (path.find(' ') != std::string_view::npos) out += '\t';
  return out;
}

std::string UnifiedDiff(std::string_view path, std::string_view before, std::string_view after) {
  if (before == after) return {};
  std::vector<std::string_view> a = SplitLines(before);
  std::vector<std::string_view> b = SplitLines(after);
  dtl::Diff<std::string_view> diff(a, b);
  diff.compose();
  std::vector<Op> ops;
  for (const auto& [line, info] : diff.getSes().getSequence()) {
    char mark = info.type == dtl::SES_ADD ? '+' : info.type == dtl::SES_DELETE ? '-' : ' ';
    ops.push_back({mark, line});
  }
  std::string out = fmt::format("--- {}\n+++ {}\n", PatchFileName("a/", path), PatchFileName("b/", path));
  const auto n = static_cast<long long>(ops.size());
  long long i = 0;
  long long old_line = 1;
  long long new_line = 1;
  while (i < n) {
    // Find the next change.
    long long first_change = i;
    long long ol = old_line;
    long long nl = new_line;
    while (first_change < n && ops[static_cast<size_t>(first_change)].mark == ' ') {
      ++first_change;
      ++ol;
      ++nl;
    }
    if (first_change == n) break;
    long long start = std::max(i, first_change - kContext);
    long long lead = first_change - start;
    long long hunk_old = ol - lead;
    long long hunk_new = nl - lead;
    // Extend the hunk while the next change is within 2*context lines.
    long long end = first_change;
    long long last_change = first_change;
    while (end < n) {
      if (ops[static_cast<size_t>(end)].mark != ' ') {
        last_change = end;
      } else if (end - last_change > 2 * kContext) {
        break;
      }
      ++end;
    }
    end = std::min(n, last_change + 1 + kContext);
    long long old_count = 0;
    long long new_count = 0;
    for (long long k = start; k < end; ++k) {
      char m = ops[static_cast<size_t>(k)].mark;
      if (m != '+') ++old_count;
      if (m != '-') ++new_count;
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", old_count == 0 ? hunk_old - 1 : hunk_old, old_count,
                       new_count == 0 ? hunk_new - 1 : hunk_new, new_count);
    for (long long k = start; k < end; ++k) AppendLine(out, ops[static_cast<size_t>(k)].mark, ops[static_cast<size_t>(k)].line);
    // Advance line counters over everything consumed.
    for (long long k = i; k < end; ++k) {
      char m = ops[static_cast<size_t>(k)].mark;
      if (m != '+') ++old_line;
      if (m != '-') ++new_line;
    }
    i = end;
  }
  return out;
}

}  // namespace postvet
