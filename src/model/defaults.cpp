#include "src/model/defaults.hpp"

#include <unistd.h>

#include <climits>
#include <mutex>

#include "src/base/embedded.hpp"

namespace postvet {
namespace {

ParamClass ClassFromText(std::string_view text) {
  if (text == "raw") return ParamClass::kRaw;
  if (text == "readonly") return ParamClass::kReadOnly;
  if (text == "legacy") return ParamClass::kLegacy;
  if (text == "host") return ParamClass::kHost;
  return ParamClass::kBuiltin;
}

}  // namespace

Defaults Defaults::Parse(std::string_view tsv) {
  Defaults d;
  bool header = true;
  while (!tsv.empty()) {
    size_t eol = tsv.find('\n');
    std::string_view line = tsv.substr(0, eol);
    tsv = eol == std::string_view::npos ? std::string_view() : tsv.substr(eol + 1);
    if (line.starts_with('#')) continue;
    if (header) {
      header = false;
      continue;
    }
    size_t t1 = line.find('\t');
    if (t1 == std::string_view::npos) continue;
    size_t t2 = line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos) continue;
    DefaultEntry e{line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1),
                   ClassFromText(line.substr(t2 + 1))};
    d.index_.emplace(e.name, d.entries_.size());
    d.entries_.push_back(e);
  }
  return d;
}

namespace {

// The series with an embedded table, oldest first.
constexpr PostfixVersion kSeries[] = {{3, 5}, {3, 6}, {3, 7}, {3, 8}, {3, 9}, {3, 10}};
constexpr std::string_view kFiles[] = {
    "rules/data/postfix-3.5-defaults.tsv", "rules/data/postfix-3.6-defaults.tsv",
    "rules/data/postfix-3.7-defaults.tsv", "rules/data/postfix-3.8-defaults.tsv",
    "rules/data/postfix-3.9-defaults.tsv", "rules/data/postfix-3.10-defaults.tsv",
};
constexpr size_t kCount = sizeof(kSeries) / sizeof(kSeries[0]);

size_t SeriesIndex(PostfixVersion series) {
  size_t i = 0;
  while (i + 1 < kCount && kSeries[i] < series) ++i;
  return i;
}

}  // namespace

PostfixVersion Defaults::TableSeries(PostfixVersion series) { return kSeries[SeriesIndex(series)]; }

const Defaults& Defaults::For(PostfixVersion series) {
  // One slot per series, parsed on first use (thread-safe static init). The
  // embedded bytes live for the whole program, so views into them do too.
  static const Defaults* tables[kCount] = {};
  static std::once_flag once[kCount];
  const size_t i = SeriesIndex(series);
  std::call_once(once[i], [i] {
    tables[i] = new Defaults(Parse(FindEmbedded(kFiles[i]).value_or(std::string_view())));
  });
  return *tables[i];
}

const Defaults& Defaults::Postfix37() { return For({3, 7}); }

const DefaultEntry* Defaults::Find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

std::optional<std::string_view> Defaults::Default(std::string_view name) const {
  const DefaultEntry* e = Find(name);
  if (e == nullptr) return std::nullopt;
  return e->value;
}

bool Defaults::IsRaw(std::string_view name) const {
  const DefaultEntry* e = Find(name);
  return e != nullptr && e->cls == ParamClass::kRaw;
}

bool Defaults::IsReadOnly(std::string_view name) const {
  const DefaultEntry* e = Find(name);
  return e != nullptr && e->cls == ParamClass::kReadOnly;
}

bool Defaults::IsLegacy(std::string_view name) const {
  const DefaultEntry* e = Find(name);
  return e != nullptr && e->cls == ParamClass::kLegacy;
}

std::string HostName() {
  char buf[HOST_NAME_MAX + 2] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "localhost";
  return std::string(buf);
}

}  // namespace postvet
