#include "src/model/deprecated_params.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include "src/base/embedded.hpp"
#include "src/base/tsv.hpp"

namespace postvet {

namespace {

constexpr std::string_view kFile = "rules/data/postfix-deprecated-params.tsv";

struct Row {
  PostfixVersion series;
  std::string_view name;
  std::string_view alternative;
};

// Rows of the embedded table (src/base/tsv.hpp); a row whose series does
// not parse is skipped (the generator writes none).
std::vector<Row> ReadRows() {
  std::vector<Row> rows;
  for (const auto& f : TsvRows(FindEmbedded(kFile).value_or(std::string_view()), 3)) {
    std::optional<PostfixVersion> series = PostfixVersion::Parse(f[0]);
    if (series) rows.push_back({*series, f[1], f[2]});
  }
  return rows;
}

}  // namespace

const DeprecatedParams& DeprecatedParams::For(PostfixVersion series) {
  static std::mutex mu;
  static std::map<PostfixVersion, DeprecatedParams>* tables = new std::map<PostfixVersion, DeprecatedParams>();
  static const std::vector<Row>* rows = new std::vector<Row>(ReadRows());
  std::lock_guard<std::mutex> lock(mu);
  auto it = tables->find(series);
  if (it != tables->end()) return it->second;
  // The newest series of the table not after `series`, if `series` is newer
  // than every row's; else `series` itself.
  PostfixVersion use = series;
  PostfixVersion newest{0, 0};
  for (const Row& r : *rows) newest = std::max(newest, r.series);
  if (newest < series) use = newest;
  DeprecatedParams& d = (*tables)[series];
  for (const Row& r : *rows) {
    if (r.series == use) d.alternatives_.emplace(r.name, r.alternative);
  }
  return d;
}

std::optional<std::string_view> DeprecatedParams::Alternative(std::string_view name) const {
  auto it = alternatives_.find(name);
  if (it == alternatives_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> DeprecatedParams::Warning(std::string_view file, std::string_view name,
                                                     bool known) const {
  std::optional<std::string_view> alt = Alternative(name);
  if (!alt) return std::nullopt;
  std::string out(file);
  out.append(": support for parameter ");
  if (known) {
    out.append("\"").append(name).append("\" will be removed; instead, ");
  } else {
    out.append(name).append(" has been removed; instead, ");
  }
  out.append(*alt);
  return out;
}

}  // namespace postvet
