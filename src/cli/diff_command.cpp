// `postvet diff OLD NEW` and `postvet diff --git REV [PATH]`: review a
// configuration change. Reports what changed in the effective configuration
// (src/diff/config_diff.hpp), classified risky / notable / cosmetic, and the
// findings the change introduces (rules run on both versions; a finding of
// NEW whose rule, file and subject OLD does not have is new). Exit 1 when
// the change introduces findings at or above --fail-on, or makes a risky
// change that no `# postvet: expect-change=SUBJECT` comment in NEW
// acknowledges; 2 when it cannot do its job.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/cli/cli.hpp"
#include "src/diff/config_diff.hpp"
#include "src/engine.hpp"
#include "src/loader.hpp"
#include "src/report/json_writer.hpp"
#include "src/report/reporter.hpp"
#include "src/suppression.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

struct DiffOptions {
  std::vector<std::string> paths;
  std::string git_rev;
  std::string format = "text";
  std::string fail_on = "warning";
  std::string config;
};

// Runs a command, returns its stdout; nullopt when it fails.
std::optional<std::string> Capture(const std::vector<std::string>& argv) {
  std::string cmd;
  for (const std::string& a : argv) {
    cmd += "'";
    for (char c : a) cmd += c == '\'' ? std::string("'\\''") : std::string(1, c);
    cmd += "' ";
  }
  cmd += "2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return std::nullopt;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int status = ::pclose(p);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

std::string Chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Writes the files of directory `dir` as of git revision `rev` into `into`.
Status ExportRevision(const std::string& rev, const std::string& dir, const std::string& into) {
  std::optional<std::string> prefix = Capture({"git", "-C", dir, "rev-parse", "--show-prefix"});
  std::optional<std::string> top = Capture({"git", "-C", dir, "rev-parse", "--show-toplevel"});
  if (!prefix || !top) return Status::Error(fmt::format("{}: not inside a git repository", dir));
  std::string pre = Chomp(*prefix);
  std::optional<std::string> names = Capture({"git", "-C", Chomp(*top), "ls-tree", "--name-only", rev + ":" + pre});
  if (!names) return Status::Error(fmt::format("{}: no such revision or directory in it: {}:{}", dir, rev, pre));
  size_t pos = 0;
  while (pos < names->size()) {
    size_t lf = names->find('\n', pos);
    std::string name = names->substr(pos, lf - pos);
    pos = lf == std::string::npos ? names->size() : lf + 1;
    if (name.empty()) continue;
    std::optional<std::string> blob = Capture({"git", "-C", Chomp(*top), "show", rev + ":" + pre + name});
    if (!blob) continue;  // a subdirectory
    std::ofstream(fs::path(into) / name, std::ios::binary) << *blob;
  }
  return Status();
}

Result<std::unique_ptr<LintContext>> LoadSide(const std::string& path, const std::string& display,
                                              const ProjectConfig& config) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return LoadConfigDir(path, display, config, LoadOptions{});
  return LoadSingleFile(path, config, LoadOptions{});
}

std::string BaseName(std::string_view path) {
  return std::string(path.substr(path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1));
}

using FindingKey = std::tuple<std::string, std::string, std::string>;  // rule, file name, subject

FindingKey KeyOf(const Diagnostic& d) {
  return {std::string(d.rule_id), d.location.source ? BaseName(d.location.source->display()) : "", d.subject};
}

// Subjects acknowledged by `# postvet: expect-change=...` in any file of `ctx`.
std::set<std::string> Acknowledged(const LintContext& ctx) {
  std::set<std::string> acks;
  for (const auto& f : ctx.files()) {
    Suppressions sup(*f->cst);
    for (const SuppressionDirective& d : sup.directives()) {
      if (d.kind != SuppressionDirective::Kind::kExpectChange) continue;
      for (std::string_view id : d.ids) acks.emplace(id);
    }
  }
  return acks;
}

std::string Where(const Location& l) {
  if (l.source == nullptr) return "";
  LineCol lc = l.source->Locate(l.begin);
  return fmt::format("{}:{}", l.source->display(), lc.line);
}

int RunDiff(const DiffOptions& opt) {
  std::string old_path;
  std::string new_path;
  std::string old_display;
  fs::path scratch;
  if (!opt.git_rev.empty()) {
    if (opt.paths.size() > 1) {
      fmt::print(stderr, "postvet: diff --git REV takes at most one PATH\n");
      return kExitError;
    }
    new_path = opt.paths.empty() ? "." : opt.paths[0];
    std::error_code ec;
    scratch = fs::temp_directory_path(ec) / fmt::format("postvet-diff-{}", ::getpid());
    fs::remove_all(scratch, ec);
    fs::create_directories(scratch, ec);
    std::string dir = fs::is_directory(new_path, ec) ? new_path : fs::path(new_path).parent_path().string();
    Status st = ExportRevision(opt.git_rev, dir.empty() ? "." : dir, scratch.string());
    if (!st.ok()) {
      fmt::print(stderr, "postvet: {}\n", st.message());
      fs::remove_all(scratch, ec);
      return kExitError;
    }
    old_path = fs::is_directory(new_path, ec) ? scratch.string() : (scratch / BaseName(new_path)).string();
    old_display = opt.git_rev + ":" + new_path;
  } else {
    if (opt.paths.size() != 2) {
      fmt::print(stderr, "postvet: diff needs OLD and NEW (or --git REV [PATH])\n");
      return kExitError;
    }
    old_path = opt.paths[0];
    new_path = opt.paths[1];
    old_display = old_path;
  }
  auto cleanup = [&] {
    std::error_code ec;
    if (!scratch.empty()) fs::remove_all(scratch, ec);
  };
  ProjectConfig config;
  std::optional<std::string> cfg = opt.config.empty() ? FindProjectConfig(new_path) : std::optional(opt.config);
  if (cfg) {
    Result<ProjectConfig> read = ReadProjectConfig(*cfg);
    if (!read.ok()) {
      fmt::print(stderr, "postvet: {}\n", read.status().message());
      cleanup();
      return kExitError;
    }
    config = std::move(read.value());
  }
  Result<std::unique_ptr<LintContext>> before = LoadSide(old_path, old_display, config);
  Result<std::unique_ptr<LintContext>> after = LoadSide(new_path, new_path, config);
  for (auto* r : {&before, &after}) {
    if (!r->ok()) {
      fmt::print(stderr, "postvet: {}\n", r->status().message());
      cleanup();
      return kExitError;
    }
  }
  std::vector<ConfigChange> changes = DiffConfigs(**before, **after);
  RuleFilter filter(config, {}, {});
  std::vector<Diagnostic> old_findings = Lint(**before, filter);
  std::vector<Diagnostic> new_findings = Lint(**after, filter);
  std::map<FindingKey, int> seen;
  for (const Diagnostic& d : old_findings) ++seen[KeyOf(d)];
  std::vector<Diagnostic> introduced;
  for (Diagnostic& d : new_findings) {
    if (seen[KeyOf(d)]-- > 0) continue;
    introduced.push_back(std::move(d));
  }
  std::set<std::string> acks = Acknowledged(**after);
  Severity fail_on = SeverityFromName(opt.fail_on).value_or(Severity::kWarning);
  bool failing = false;
  for (const Diagnostic& d : introduced) failing = failing || d.severity >= fail_on;
  for (const ConfigChange& c : changes) {
    failing = failing || (c.level == ConfigChange::Level::kRisky && acks.count(c.subject) == 0);
  }

  std::string out;
  if (opt.format == "json") {
    report::JsonWriter w(&out);
    w.BeginObject();
    w.UintField("version", 1);
    w.Key("changes");
    w.BeginArray();
    for (const ConfigChange& c : changes) {
      w.BeginObject();
      w.StringField("level", ChangeLevelName(c.level));
      w.StringField("subject", c.subject);
      w.StringField("message", c.message);
      w.StringField("where", Where(c.where));
      w.Key("acknowledged");
      w.Bool(acks.count(c.subject) != 0);
      w.EndObject();
    }
    w.EndArray();
    w.Key("new_findings");
    std::string findings = Render(Format::kJson, introduced, AllRuleInfos(), ReportOptions{});
    w.BeginArray();
    w.EndArray();
    w.EndObject();
    // Splice the reporter's diagnostics array in place of the empty one.
    size_t at = out.rfind("[]");
    size_t b = findings.find("\"diagnostics\"");
    if (at != std::string::npos && b != std::string::npos) {
      size_t open = findings.find('[', b);
      size_t close = findings.rfind(']');
      out.replace(at, 2, findings.substr(open, close - open + 1));
    }
    out += '\n';
  } else if (opt.format == "text") {
    if (changes.empty()) out += "no changes in the effective configuration\n";
    for (const ConfigChange& c : changes) {
      bool ack = acks.count(c.subject) != 0;
      out += fmt::format("{:<8} {}{}{}\n", ChangeLevelName(c.level), c.message,
                         c.where.source ? "  [" + Where(c.where) + "]" : "",
                         c.level == ConfigChange::Level::kRisky ? (ack ? "  (acknowledged)" : "  (not acknowledged: add # postvet: expect-change=" + c.subject + ")") : "");
    }
    if (!introduced.empty()) {
      out += fmt::format("\n{} new finding(s) in {}:\n\n", introduced.size(), new_path);
      out += Render(Format::kText, introduced, AllRuleInfos(), ReportOptions{});
    }
  } else {
    std::optional<Format> f = FormatFromName(opt.format);
    if (!f) {
      fmt::print(stderr, "postvet: unknown --format \"{}\"\n", opt.format);
      cleanup();
      return kExitError;
    }
    out = Render(*f, introduced, AllRuleInfos(), ReportOptions{});
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  cleanup();
  return failing ? kExitFindings : kExitOk;
}

}  // namespace

void AddDiffCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand("diff", "Review a change: what the effective configuration gains or loses between two versions");
  cmd->add_option("paths", opt->paths, "OLD NEW (config dirs or files), or with --git: PATH (default .)");
  cmd->add_option("--git", opt->git_rev, "Compare PATH as of this git revision with the working tree");
  cmd->add_option("--format", opt->format, "text, json, or a CI format for the new findings (sarif, github, gitlab, checkstyle, gcc)");
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity of a new finding that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->callback([opt, exit_code] { *exit_code = RunDiff(*opt); });
}

}  // namespace postvet
