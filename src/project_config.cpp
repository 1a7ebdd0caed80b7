#include "src/project_config.hpp"


#include <charconv>
#include <climits>
#include <filesystem>

#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/model/param_info.hpp"
#include "src/rule_selector.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

// Splits a list value the way Postfix splits lists: on commas and space.
std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && (value[i] == ',' || IsSpace(value[i]) || value[i] == '\n')) ++i;
    size_t begin = i;
    while (i < value.size() && !(value[i] == ',' || IsSpace(value[i]) || value[i] == '\n')) ++i;
    if (i > begin) out.emplace_back(value.substr(begin, i - begin));
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsSpace(s.front()) || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::optional<long> ParseLong(std::string_view s) {
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

bool IsRepositoryRoot(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / ".git", ec);
}

}  // namespace

std::optional<unsigned long long> ParseSize(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  unsigned long long scale = 1;
  char last = text.back();
  switch (last) {
    case 'k': case 'K': scale = 1ULL << 10; break;
    case 'm': case 'M': scale = 1ULL << 20; break;
    case 'g': case 'G': scale = 1ULL << 30; break;
    case 't': case 'T': scale = 1ULL << 40; break;
    default: break;
  }
  if (scale != 1) text.remove_suffix(1);
  unsigned long long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  if (v > ULLONG_MAX / scale) return std::nullopt;
  return v * scale;
}

Result<ProjectConfig> ReadProjectConfig(const std::string& path) {
  Result<Source> source = ReadSource(path, path);
  if (!source.ok()) return source.status();
  Cst cst = ParseMainCf(*source);
  ProjectConfig config;
  config.path = path;
  for (uint32_t i : cst.Children(cst.root())) {
    const Node& n = cst.node(i);
    LineCol where = source->Locate(n.begin);
    auto error = [&](const std::string& what) {
      return Status::Error(fmt::format("{}, line {}: {}", path, where.line, what));
    };
    if (n.kind == NodeKind::kBadLine || n.kind == NodeKind::kBadLeading) {
      return error("expected \"name = value\"");
    }
    if (n.kind != NodeKind::kParameter) continue;
    std::string key = cst.Text(cst.FindChild(i, NodeKind::kName));
    uint32_t value_node = cst.FindChild(i, NodeKind::kValue);
    std::string value = value_node == Cst::kNone ? "" : cst.Text(value_node);
    auto number = [&](long* out) -> Status {
      std::optional<long> v = ParseLong(Trim(value));
      if (!v) return error(fmt::format("{}: expected a non-negative whole number, not \"{}\"", key, value));
      *out = *v;
      return Status();
    };
    // Rule selectors must name registered rules (src/rule_selector.hpp).
    auto selectors = [&](std::string_view what, const std::vector<std::string>& list) -> Status {
      for (const std::string& selector : list) {
        std::string bad = SelectorError(selector);
        if (!bad.empty()) return error(fmt::format("{}: {}", what, bad));
      }
      return Status();
    };
    config.lines[key] = where.line;
    Status st;
    if (key == "postfix_version") {
      config.postfix_version = std::string(Trim(value));
      if (!PostfixVersion::Parse(config.postfix_version)) {
        return error(fmt::format("postfix_version: expected MAJOR.MINOR such as 3.7, not \"{}\"", value));
      }
    } else if (key == "select") {
      config.select = SplitList(value);
      st = selectors(key, config.select);
    } else if (key == "ignore") {
      config.ignore = SplitList(value);
      st = selectors(key, config.ignore);
    } else if (key == "fail_on") {
      config.fail_on = SeverityFromName(Trim(value));
      if (!config.fail_on) return error(fmt::format("fail_on: expected error, warning or info, not \"{}\"", value));
    } else if (key.rfind("severity_", 0) == 0) {
      std::optional<Severity> s = SeverityFromName(Trim(value));
      if (!s) return error(fmt::format("{}: expected error, warning or info, not \"{}\"", key, value));
      config.severity[key.substr(9)] = *s;
      st = selectors(key, {key.substr(9)});
    } else if (key == "per_path_ignores") {
      // Entries "GLOB:ID[:ID...]", separated by commas or space.
      for (const std::string& entry : SplitList(value)) {
        size_t colon = entry.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == entry.size()) {
          return error(fmt::format("per_path_ignores: expected GLOB:ID[:ID...], not \"{}\"", entry));
        }
        PathIgnore pi{entry.substr(0, colon), {}};
        std::string_view rest(entry);
        rest.remove_prefix(colon + 1);
        while (!rest.empty()) {
          size_t c = rest.find(':');
          pi.rules.emplace_back(rest.substr(0, c));
          rest = c == std::string_view::npos ? std::string_view() : rest.substr(c + 1);
        }
        if (Status bad = selectors(key, pi.rules); !bad.ok()) return bad;
        config.path_ignores.push_back(std::move(pi));
      }
    } else if (key == "min_smtpd_processes") {
      st = number(&config.min_smtpd_processes);
    } else if (key == "header_group_threshold") {
      st = number(&config.header_group_threshold);
    } else if (key == "dnsbl_latency_budget") {
      st = number(&config.dnsbl_latency_budget);
    } else if (key == "probe_slow_ms") {
      st = number(&config.probe_slow_ms);
    } else if (key == "memory") {
      config.memory_bytes = ParseSize(value);
      if (!config.memory_bytes) return error(fmt::format("memory: expected a size such as 4G or 512M, not \"{}\"", value));
    } else {
      return error(fmt::format("unknown key \"{}\"", key));
    }
    if (!st.ok()) return st;
  }
  return config;
}

std::optional<std::string> FindProjectConfig(const std::string& linted_path) {
  std::error_code ec;
  fs::path p = fs::absolute(linted_path, ec);
  if (ec) return std::nullopt;
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  for (;;) {
    fs::path candidate = p / ".postvet.cf";
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (IsRepositoryRoot(p) || !p.has_parent_path() || p.parent_path() == p) return std::nullopt;
    p = p.parent_path();
  }
}

}  // namespace postvet
