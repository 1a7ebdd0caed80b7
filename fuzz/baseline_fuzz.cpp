// Fuzz target: the --baseline file (src/report/baseline.hpp) and the JSON reader
// under it (src/base/json_reader.hpp). The first byte picks the mode:
// even: the rest is a baseline file. ParseBaseline() must not crash or
//   recurse without bound; when it accepts the text, writing the baseline
//   and reading it back gives the same entries, and writing is stable.
// odd: the rest describes findings, one per line, as FILE TAB RULE TAB
//   SUBJECT (bytes of any kind; an empty subject keys the finding on the
//   flagged bytes, here the whole line). Properties: the baseline made from
//   them survives a write/read round trip unchanged, hides every one of
//   them, and without the last finding reports exactly one stale entry.
#include <deque>
#include <set>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "src/report/baseline.hpp"
#include "src/base/json_reader.hpp"

namespace {

using postvet::Baseline;
using postvet::BaselineEntry;

constexpr std::string_view kCwd = "/srv/config";

bool SameEntries(const Baseline& a, const Baseline& b) {
  if (a.entries.size() != b.entries.size()) return false;
  for (size_t i = 0; i < a.entries.size(); ++i) {
    const BaselineEntry& x = a.entries[i];
    const BaselineEntry& y = b.entries[i];
    if (x.file != y.file || x.rule != y.rule || x.subject != y.subject || x.count != y.count) return false;
  }
  return true;
}

void RoundTrip(const Baseline& baseline) {
  const std::string text = postvet::SerializeBaseline(baseline);
  postvet::Result<Baseline> back = postvet::ParseBaseline(text, "written.json");
  postvet::fuzz::Require(back.ok());
  postvet::fuzz::Require(SameEntries(baseline, back.value()));
  postvet::fuzz::Require(postvet::SerializeBaseline(back.value()) == text);
}

void ParseMode(std::string_view text) {
  (void)postvet::ParseJson(text, "input.json");
  postvet::Result<Baseline> parsed = postvet::ParseBaseline(text, "input.json");
  if (!parsed.ok()) {
    postvet::fuzz::Require(parsed.status().message().rfind("input.json", 0) == 0);
    return;
  }
  for (const BaselineEntry& e : parsed->entries) postvet::fuzz::Require(e.count >= 1);
  RoundTrip(parsed.value());
}

// Rule ids come from the registry and are plain ASCII: keep such bytes only.
std::string_view RuleId(std::string_view field, std::string* storage) {
  for (char c : field) {
    if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-') storage->push_back(c);
  }
  return *storage;
}

void FindingsMode(std::string_view text) {
  using namespace postvet;
  std::deque<Source> sources;       // stable addresses for the diagnostics
  std::deque<std::string> rule_ids;  // what the diagnostics' rule_id views point to
  std::vector<Diagnostic> found;
  while (!text.empty() && found.size() < 256) {
    size_t lf = text.find('\n');
    std::string_view line = text.substr(0, lf);
    text = lf == std::string_view::npos ? std::string_view() : text.substr(lf + 1);
    std::string_view field[3];
    std::string_view rest = line;
    for (int i = 0; i < 3; ++i) {
      size_t tab = i == 2 ? std::string_view::npos : rest.find('\t');
      field[i] = rest.substr(0, tab);
      rest = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
    }
    const Source& source = sources.emplace_back(std::string(field[0]), std::string(field[0]), std::string(line));
    Diagnostic d;
    d.rule_id = RuleId(field[1], &rule_ids.emplace_back());
    d.location = {&source, 0, source.size()};
    d.subject = std::string(field[2]);
    found.push_back(std::move(d));
  }
  const Baseline made = MakeBaseline(found, kCwd);
  RoundTrip(made);
  std::set<std::string> checked;
  for (const BaselineEntry& e : made.entries) checked.insert(e.file);
  const Baseline read = ParseBaseline(SerializeBaseline(made), "written.json").value();
  BaselineOutcome all = ApplyBaseline(read, found, checked, kCwd);
  fuzz::Require(all.kept.empty() && all.hidden == found.size() && all.stale.empty());
  if (found.empty()) return;
  found.pop_back();
  BaselineOutcome fewer = ApplyBaseline(read, found, checked, kCwd);
  fuzz::Require(fewer.kept.empty() && fewer.hidden == found.size());
  fuzz::Require(fewer.stale.size() == 1 && fewer.stale[0].count == 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((data[0] & 1) == 0) {
    ParseMode(text);
  } else {
    FindingsMode(text);
  }
  return 0;
}
