#include "src/model/deprecated_params.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

#include "src/base/embedded.hpp"

namespace postvet {

namespace {

constexpr std::string_view kFile = "rules/data/postfix-deprecated-params.tsv";

struct Row {
  PostfixVersion series;
  std::string_view name;
  std::string_view alternative;
};

// Rows of the embedded table; a malformed line is skipped (the generator
// writes none).
std::vector<Row> ReadRows() {
  std::vector<Row> rows;
  std::string_view text = FindEmbedded(kFile).value_or(std::string_view());
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t t1 = line.find('\t');
    size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    std::optional<PostfixVersion> series = PostfixVersion::Parse(line.substr(0, t1));
    if (!series) continue;  // the header line
    rows.push_back({*series, line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
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
