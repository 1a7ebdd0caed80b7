#include "src/report/baseline.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "src/base/display_path.hpp"
#include "src/base/json_reader.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/report/reporter.hpp"
#include "src/base/utf8.hpp"
#include "src/base/source.hpp"

namespace postvet {

namespace {

using Key = std::tuple<std::string, std::string, std::string>;  // file, rule, subject

Key KeyOf(const BaselineEntry& e) { return {e.file, e.rule, e.subject}; }

// What the JSON writer would turn `text` into and the reader give back:
// each byte that is not part of well-formed UTF-8 becomes U+FFFD.
std::string AsWrittenUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const report::Utf8Unit unit = report::DecodeUtf8(text, pos);
    if (unit.valid) {
      out.append(text.substr(pos, unit.length));
    } else {
      report::AppendUtf8(&out, 0xFFFD);
    }
    pos += unit.length;
  }
  return out;
}

// The entry's string member `name`, or an error naming the entry.
Result<std::string> StringMember(const JsonValue& entry, std::string_view name, size_t index,
                                 std::string_view file) {
  const JsonValue* v = entry.Find(name);
  if (v == nullptr || v->type != JsonValue::Type::kString) {
    return Status::Error(fmt::format("{}: entry {} has no string \"{}\"", file, index + 1, name));
  }
  return v->string;
}

}  // namespace

std::string BaselineFileKey(std::string_view display, std::string_view cwd) {
  return AsWrittenUtf8(DisplayPath(display, cwd));
}

BaselineEntry BaselineKeyOf(const Diagnostic& d, std::string_view cwd) {
  BaselineEntry key;
  key.rule = std::string(d.rule_id);
  const Source* source = d.location.source;
  if (source != nullptr) key.file = BaselineFileKey(source->display(), cwd);
  std::string_view subject = d.subject;
  if (subject.empty() && source != nullptr) {
    // Clamp like the reporters do: a bad range must not crash.
    const uint32_t begin = std::min(d.location.begin, source->size());
    const uint32_t end = std::clamp(d.location.end, begin, source->size());
    subject = source->Slice(begin, end).substr(0, kMaxFlaggedKeyBytes);
  }
  key.subject = AsWrittenUtf8(subject);
  return key;
}

Baseline MakeBaseline(const std::vector<Diagnostic>& diagnostics, std::string_view cwd) {
  std::map<Key, uint32_t> counts;
  for (const Diagnostic& d : diagnostics) {
    BaselineEntry e = BaselineKeyOf(d, cwd);
    ++counts[{std::move(e.file), std::move(e.rule), std::move(e.subject)}];
  }
  Baseline baseline;
  for (const auto& [key, count] : counts) {
    baseline.entries.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
  return baseline;
}

void SerializeBaselineTo(const Baseline& baseline, const std::function<void(std::string_view)>& write) {
  std::string out;
  report::JsonWriter json(&out);
  json.BeginObject();
  json.UintField("version", kBaselineVersion);
  json.Key("entries");
  json.BeginArray();
  for (const BaselineEntry& e : baseline.entries) {
    json.BeginObject();
    json.StringField("file", e.file);
    json.StringField("rule", e.rule);
    json.StringField("subject", e.subject);
    json.UintField("count", e.count);
    json.EndObject();
    if (out.size() >= 64 * 1024) {  // JsonWriter only appends: cut anywhere
      write(out);
      out.clear();
    }
  }
  json.EndArray();
  json.EndObject();
  out.push_back('\n');
  write(out);
}

std::string SerializeBaseline(const Baseline& baseline) {
  std::string out;
  SerializeBaselineTo(baseline, [&out](std::string_view text) { out.append(text); });
  return out;
}

Result<Baseline> ParseBaseline(std::string_view text, std::string_view name) {
  Result<JsonValue> doc = ParseJson(text, name);
  if (!doc.ok()) return doc.status();
  const JsonValue* version = doc->Find("version");
  if (version == nullptr || version->unsigned_integer != static_cast<uint64_t>(kBaselineVersion)) {
    return Status::Error(fmt::format("{}: not a postvet baseline (version {} expected)", name, kBaselineVersion));
  }
  const JsonValue* entries = doc->Find("entries");
  if (entries == nullptr || entries->type != JsonValue::Type::kArray) {
    return Status::Error(fmt::format("{}: \"entries\" must be an array", name));
  }
  std::map<Key, uint64_t> counts;
  for (size_t i = 0; i < entries->items.size(); ++i) {
    const JsonValue& entry = entries->items[i];
    if (entry.type != JsonValue::Type::kObject) {
      return Status::Error(fmt::format("{}: entry {} is not an object", name, i + 1));
    }
    Result<std::string> file = StringMember(entry, "file", i, name);
    if (!file.ok()) return file.status();
    Result<std::string> rule = StringMember(entry, "rule", i, name);
    if (!rule.ok()) return rule.status();
    Result<std::string> subject = StringMember(entry, "subject", i, name);
    if (!subject.ok()) return subject.status();
    uint64_t count = 1;  // hand-written entries may leave it out
    if (const JsonValue* c = entry.Find("count")) {
      if (!c->unsigned_integer || *c->unsigned_integer == 0 || *c->unsigned_integer > UINT32_MAX) {
        return Status::Error(fmt::format("{}: entry {}: \"count\" must be a positive integer", name, i + 1));
      }
      count = *c->unsigned_integer;
    }
    // Raw invalid UTF-8 (a hand-edited file) is keyed as U+FFFD, as findings are.
    uint64_t& total = counts[{AsWrittenUtf8(*file), AsWrittenUtf8(*rule), AsWrittenUtf8(*subject)}];
    total = std::min<uint64_t>(total + count, UINT32_MAX);
  }
  Baseline baseline;
  for (const auto& [key, count] : counts) {
    baseline.entries.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), static_cast<uint32_t>(count)});
  }
  return baseline;
}

Result<Baseline> ReadBaseline(const std::string& path) {
  Result<Source> source = ReadSource(path, path);
  if (!source.ok()) return source.status();
  return ParseBaseline(source->text(), path);
}

BaselineOutcome ApplyBaseline(const Baseline& baseline, std::vector<Diagnostic> diagnostics,
                              const std::set<std::string>& checked_files, std::string_view cwd) {
  std::map<Key, uint32_t> remaining;
  for (const BaselineEntry& e : baseline.entries) remaining[KeyOf(e)] += e.count;
  std::stable_sort(diagnostics.begin(), diagnostics.end(), ReportOrderLess);
  BaselineOutcome outcome;
  for (Diagnostic& d : diagnostics) {
    auto it = remaining.find(KeyOf(BaselineKeyOf(d, cwd)));
    if (it != remaining.end() && it->second > 0) {
      --it->second;
      ++outcome.hidden;
      continue;
    }
    outcome.kept.push_back(std::move(d));
  }
  for (const auto& [key, count] : remaining) {
    if (count == 0 || checked_files.count(std::get<0>(key)) == 0) continue;
    outcome.stale.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
  return outcome;
}

std::string RenderStaleReport(std::string_view baseline_name, const std::vector<BaselineEntry>& stale) {
  if (stale.empty()) return report::TerminalSafe(fmt::format("postvet: {}: no stale entries", baseline_name)) + "\n";
  size_t count = 0;
  for (const BaselineEntry& e : stale) count += e.count;
  std::string out = fmt::format("postvet: {}: {} stale baseline entr{} (no longer found; --generate-baseline renews it):\n",
                                baseline_name, count, count == 1 ? "y" : "ies");
  for (const BaselineEntry& e : stale) {
    out += fmt::format("  {}: {} \"{}\"{}\n", e.file, e.rule, e.subject, e.count > 1 ? fmt::format(" ({}x)", e.count) : "");
  }
  return report::TerminalSafeLines(out);
}

}  // namespace postvet
