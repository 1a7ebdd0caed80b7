#include "src/config/project_config.hpp"

#include <fnmatch.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/model/param_info.hpp"
#include "src/base/printable.hpp"

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

// The invoking user's home directory, normalised; empty when unknown.
fs::path HomeDirectory() {
  std::string home;
  if (const char* env = std::getenv("HOME"); env != nullptr && env[0] == '/') {
    home = env;
  } else if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_dir != nullptr) {
    home = pw->pw_dir;
  }
  if (home.empty()) return {};
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(home, ec);
  return ec ? fs::path(home).lexically_normal() : canonical;
}

bool TrustedOwner(uid_t uid) { return uid == ::geteuid() || uid == 0; }

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

std::string RelativeToBase(std::string_view path, const std::string& base_dir) {
  if (base_dir.empty()) return std::string(path);
  std::error_code ec;
  fs::path absolute = fs::absolute(fs::path(path), ec).lexically_normal();
  if (ec) return std::string(path);
  fs::path relative = absolute.lexically_relative(fs::path(base_dir).lexically_normal());
  std::string out = (relative.empty() || *relative.begin() == "..") ? absolute.generic_string() : relative.generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out == "." ? "" : out;
}

bool PathIgnoreMatches(const PathIgnore& pi, std::string_view path) {
  const std::string p = RelativeToBase(path, pi.base);
  return ::fnmatch(pi.glob.c_str(), p.c_str(), 0) == 0;
}

Result<ProjectConfig> ReadProjectConfig(const std::string& path, const SelectorCheck& check) {
  Result<Source> source = ReadSource(path, path);
  if (!source.ok()) return Status::Error(report::TerminalSafe(source.status().message()));
  Cst cst = ParseMainCf(*source);
  ProjectConfig config;
  config.path = path;
  // Globs in the file are relative to its directory.
  std::error_code base_ec;
  const std::string base = fs::absolute(fs::path(path), base_ec).lexically_normal().parent_path().string();
  for (uint32_t i : cst.Children(cst.root())) {
    const Node& n = cst.node(i);
    LineCol where = source->Locate(n.begin);
    // The key, value and path are input: escaped so they cannot drive the terminal.
    auto error = [&](const std::string& what) {
      return Status::Error(report::TerminalSafe(fmt::format("{}, line {}: {}", path, where.line, what)));
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
    // Rule selectors must name registered rules (`check`: rules/rule_selector.hpp).
    auto selectors = [&](std::string_view what, const std::vector<std::string>& list) -> Status {
      for (const std::string& selector : list) {
        std::string bad = check(selector);
        if (!bad.empty()) return error(fmt::format("{}: {}", what, bad));
      }
      return Status();
    };
    config.lines[key] = where.line;
    Status st;
    if (key == "postfix_version") {
      config.postfix_version = std::string(Trim(value));
      config.postfix_version_given = true;
      if (!PostfixVersion::Parse(config.postfix_version)) {
        return error(fmt::format("postfix_version: expected MAJOR.MINOR such as 3.7, not \"{}\"", value));
      }
    } else if (key == "select") {
      config.select = SplitList(value);
      st = selectors(key, config.select);
    } else if (key == "ignore") {
      config.ignore = SplitList(value);
      st = selectors(key, config.ignore);
    } else if (key == "template") {  // docs/templates.md
      std::optional<tmpl::TemplateSetting> t = tmpl::ParseTemplateSetting(Trim(value));
      if (!t) return error(fmt::format("template: expected one of {}, not \"{}\"", tmpl::kTemplateSettingValues, value));
      config.template_setting = *t;
    } else if (key == "vars") {  // docs/templates.md
      config.vars_path = std::string(Trim(value));
      config.vars.reset();
      if (config.vars_path.empty()) continue;  // `vars =`: none
      fs::path file(config.vars_path);
      if (file.is_relative()) file = fs::path(base) / file;
      Result<std::shared_ptr<const tmpl::Vars>> vars = tmpl::ReadVars(file.string(), config.vars_path);
      if (!vars.ok()) return error(fmt::format("vars: {}", vars.status().message()));
      config.vars = std::move(vars.value());
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
        PathIgnore pi{entry.substr(0, colon), {}, base};
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
    } else if (key == "exclude") {
      config.exclude = SplitList(value);
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

std::string UntrustedReason(const std::string& path) {
  struct stat entry {};
  if (::lstat(path.c_str(), &entry) != 0) return "cannot be examined";
  // A symbolic link planted by someone else could point at any file.
  if (S_ISLNK(entry.st_mode) && !TrustedOwner(entry.st_uid)) {
    return fmt::format("it is a symbolic link owned by another user (uid {})", entry.st_uid);
  }
  struct stat file {};
  if (::stat(path.c_str(), &file) != 0 || !S_ISREG(file.st_mode)) return "it is not a regular file";
  if (!TrustedOwner(file.st_uid)) return fmt::format("it is owned by another user (uid {})", file.st_uid);
  if ((file.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "group or others may write to it";
  // Whoever may write the directory may replace the file (unless sticky).
  std::string dir = fs::path(path).parent_path().string();
  struct stat d {};
  if (::stat(dir.empty() ? "." : dir.c_str(), &d) != 0) return "its directory cannot be examined";
  bool sticky = (d.st_mode & S_ISVTX) != 0;
  if (!TrustedOwner(d.st_uid)) return fmt::format("its directory is owned by another user (uid {})", d.st_uid);
  if ((d.st_mode & (S_IWGRP | S_IWOTH)) != 0 && !sticky) {
    return "its directory may be written by group or others (and is not sticky)";
  }
  return "";
}

std::optional<std::string> FindProjectConfig(const std::string& linted_path, std::vector<std::string>* warnings) {
  std::error_code ec;
  fs::path p = fs::absolute(linted_path, ec);
  if (ec) return std::nullopt;
  p = p.lexically_normal();
  if (!fs::is_directory(p, ec)) p = p.parent_path();
  if (!p.has_filename() && p != p.root_path()) p = p.parent_path();  // "dir/" -> "dir"
  const fs::path home = HomeDirectory();
  for (;;) {
    fs::path candidate = p / ".postvet.cf";
    std::error_code ec2;
    if (fs::exists(fs::symlink_status(candidate, ec2))) {
      std::string why = UntrustedReason(candidate.string());
      if (why.empty()) return candidate.string();
      std::string warning =
          report::TerminalSafe(fmt::format("warning: ignoring {}: {}", candidate.string(), why));
      if (warnings != nullptr) {
        warnings->push_back(warning);
      } else {
        static std::set<std::string> shown;
        if (shown.insert(warning).second) fmt::print(stderr, "postvet: {}\n", warning);
      }
    }
    if (IsRepositoryRoot(p) || !p.has_parent_path() || p.parent_path() == p) return std::nullopt;
    std::error_code ec3;
    if (!home.empty() && (p == home || fs::equivalent(p, home, ec3))) return std::nullopt;
    p = p.parent_path();
  }
}

}  // namespace postvet
