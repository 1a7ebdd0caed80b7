#include "src/base/tsv.hpp"

namespace postvet {

std::vector<std::vector<std::string_view>> TsvRows(std::string_view text, size_t fields) {
  std::vector<std::vector<std::string_view>> rows;
  bool header = true;
  while (!text.empty()) {
    size_t lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text = lf == std::string_view::npos ? std::string_view() : text.substr(lf + 1);
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string_view> row;
    while (row.size() + 1 < fields) {
      size_t tab = line.find('\t');
      if (tab == std::string_view::npos) break;
      row.push_back(line.substr(0, tab));
      line.remove_prefix(tab + 1);
    }
    if (fields == 0 || row.size() + 1 != fields) continue;
    row.push_back(line);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace postvet
