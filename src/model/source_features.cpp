#include "src/model/source_features.hpp"

#include <algorithm>
#include <mutex>

#include "src/base/embedded.hpp"
#include "src/base/tsv.hpp"

namespace postvet {
namespace {

constexpr std::string_view kFile = "rules/data/postfix-source-features.tsv";

struct Row {
  PostfixVersion series;
  std::string_view feature;
  std::string_view key;
  std::string_view value;
};

// Rows of the embedded table (src/base/tsv.hpp); a row whose series does
// not parse is skipped (the generator writes none).
std::vector<Row> ReadRows() {
  std::vector<Row> rows;
  for (const auto& f : TsvRows(FindEmbedded(kFile).value_or(std::string_view()), 4)) {
    std::optional<PostfixVersion> series = PostfixVersion::Parse(f[0]);
    if (series) rows.push_back({*series, f[1], f[2], f[3]});
  }
  return rows;
}

// The series of the table `series` reads: itself if listed, else the
// nearest older one, else the oldest.
PostfixVersion Use(const std::vector<Row>& rows, PostfixVersion series) {
  std::optional<PostfixVersion> older;
  std::optional<PostfixVersion> oldest;
  for (const Row& r : rows) {
    if (!oldest || r.series < *oldest) oldest = r.series;
    if (r.series <= series && (!older || *older < r.series)) older = r.series;
  }
  return older ? *older : oldest.value_or(series);
}

}  // namespace

const SourceFeatures& SourceFeatures::For(PostfixVersion series) {
  static std::mutex mu;
  static auto* tables = new std::map<PostfixVersion, SourceFeatures>();
  static const std::vector<Row>* rows = new std::vector<Row>(ReadRows());
  std::lock_guard<std::mutex> lock(mu);
  auto it = tables->find(series);
  if (it != tables->end()) return it->second;
  SourceFeatures& f = (*tables)[series];
  if (rows->empty()) {  // no table: 3.7's behaviour
    f.relop_suffixes_.push_back("level");
    return f;
  }
  const PostfixVersion use = Use(*rows, series);
  for (const Row& r : *rows) {
    if (r.series != use) continue;
    if (r.feature == "relop_suffix" && r.value != "-") {
      f.relop_suffixes_.push_back(r.value);
    } else if (r.feature == "pcre_library") {
      f.pcre1_ = r.value == "pcre1";
    } else if (r.feature == "pcre1_exec_error") {
      f.pcre1_exec_errors_.emplace(r.key, r.value);
    }
  }
  return f;
}

const SourceFeatures& SourceFeatures::ForDefaults(const Defaults& defaults) {
  const DefaultEntry* v = defaults.Find("mail_version");
  std::optional<PostfixVersion> series = v ? PostfixVersion::Parse(v->value) : std::nullopt;
  return For(series.value_or(PostfixVersion{3, 7}));
}

std::string SourceFeatures::Pcre1ExecError(std::string_view pcre1_name, int pcre1_code) const {
  auto it = pcre1_exec_errors_.find(pcre1_name);
  if (it != pcre1_exec_errors_.end()) return std::string(it->second);
  it = pcre1_exec_errors_.find("*");
  std::string_view text = it != pcre1_exec_errors_.end() ? it->second : std::string_view("unknown pcre_exec error: %d");
  std::string out(text);
  size_t at = out.find("%d");
  if (at != std::string::npos) out.replace(at, 2, std::to_string(pcre1_code));
  return out;
}

}  // namespace postvet
