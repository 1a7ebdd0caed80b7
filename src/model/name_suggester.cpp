#include "src/model/name_suggester.hpp"

#include <algorithm>

namespace postvet {

NameSuggester::NameSuggester(std::vector<std::string_view> builtin, const std::vector<std::string_view>& extra)
    : candidates_(std::move(builtin)) {
  size_t n = std::min(extra.size(), kMaxExtraCandidates);
  candidates_.insert(candidates_.end(), extra.begin(), extra.begin() + static_cast<std::ptrdiff_t>(n));
  std::sort(candidates_.begin(), candidates_.end(), [](std::string_view a, std::string_view b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  candidates_.erase(std::unique(candidates_.begin(), candidates_.end()), candidates_.end());
}

std::string NameSuggester::Nearest(std::string_view name) {
  if (name.size() < 4 || queries_left_ == 0) return {};  // any short word is one edit from some name
  --queries_left_;
  const size_t limit = name.size() <= 5 ? 1 : name.size() <= 11 ? 2 : 3;
  size_t best = limit + 1;
  std::string_view best_name;
  // Only candidates whose length is within `limit` of the name can qualify:
  // the sort by size lets the scan start and stop there.
  size_t low = name.size() > limit ? name.size() - limit : 0;
  auto it = std::lower_bound(candidates_.begin(), candidates_.end(), low,
                             [](std::string_view c, size_t size) { return c.size() < size; });
  for (; it != candidates_.end() && it->size() <= name.size() + limit; ++it) {
    std::string_view cand = *it;
    if (cand == name) continue;
    size_t diff = cand.size() > name.size() ? cand.size() - name.size() : name.size() - cand.size();
    if (diff >= best) continue;
    size_t d = BoundedEditDistance(cand, name, best - 1);
    if (d < best) {
      best = d;
      best_name = cand;
    }
  }
  return best <= limit ? std::string(best_name) : std::string();
}

size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t bound) {
  std::vector<size_t> two(b.size() + 1), prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) cur[j] = std::min(cur[j], two[j - 2] + 1);
      row_min = std::min(row_min, cur[j]);
    }
    std::swap(two, prev);
    std::swap(prev, cur);
    if (row_min > bound) return bound + 1;  // every later row is at least as large
  }
  return prev[b.size()];
}

}  // namespace postvet
