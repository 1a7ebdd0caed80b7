// `postvet diff OLD NEW` and `postvet diff --git REV [PATH]`: review a
// configuration change. Reports what changed in the effective configuration
// (src/diff/config_diff.hpp), classified risky / notable / cosmetic, and the
// findings the change introduces (rules run on both versions; a finding of
// NEW whose rule, file and subject OLD does not have is new). Exit 1 when
// the change introduces findings at or above --fail-on, or makes a risky
// change that no `# postvet: expect-change=SUBJECT` comment in NEW
// acknowledges; 2 when it cannot do its job. Changes that are exactly
// postvet's safe fixes of OLD are reported as "safe-fix" and need no
// acknowledgement. Input-derived text is escaped (src/base/printable.hpp).
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/cli/cli.hpp"
#include "src/diff/config_diff.hpp"
#include "src/diff/git_export.hpp"
#include "src/diff/safe_fix_changes.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/run/targets.hpp"
#include "src/report/reporter.hpp"
#include "src/engine/suppression.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

struct DiffOptions {
  std::vector<std::string> paths;
  std::string git_rev;
  std::string format = "text";
  std::string fail_on;  // empty: .postvet.cf's fail_on, else warning
  std::string config;
};

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

int Fail(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", report::TerminalSafe(message));
  return kExitError;
}

int RunDiff(const DiffOptions& opt) {
  std::string old_path;
  std::string new_path;
  std::string old_display;
  ScratchDir scratch;  // removed on every return
  if (!opt.git_rev.empty()) {
    if (opt.paths.size() > 1) return Fail("diff --git REV takes at most one PATH");
    new_path = opt.paths.empty() ? "." : opt.paths[0];
    std::error_code ec;
    Status made = scratch.Create("postvet-diff-");
    if (!made.ok()) return Fail(made.message());
    std::string dir = fs::is_directory(new_path, ec) ? new_path : fs::path(new_path).parent_path().string();
    Status st = ExportRevision(opt.git_rev, dir.empty() ? "." : dir, scratch.path());
    if (!st.ok()) return Fail(st.message());
    old_path = fs::is_directory(new_path, ec) ? scratch.path() : scratch.path() + "/" + BaseName(new_path);
    old_display = opt.git_rev + ":" + new_path;
  } else {
    if (opt.paths.size() != 2) return Fail("diff needs OLD and NEW (or --git REV [PATH])");
    old_path = opt.paths[0];
    new_path = opt.paths[1];
    old_display = old_path;
  }
  Result<ProjectConfig> read = run::ProjectConfigFor(new_path, opt.config);
  if (!read.ok()) return Fail(read.status().message());
  const ProjectConfig& config = read.value();
  auto load_old = [&](const LoadOptions& lo) { return run::LoadPath(old_path, old_display, config, lo); };
  Result<std::unique_ptr<LintContext>> before = load_old(LoadOptions{});
  Result<std::unique_ptr<LintContext>> after = run::LoadPath(new_path, new_path, config, LoadOptions{});
  for (auto* r : {&before, &after}) {
    if (!r->ok()) return Fail(r->status().message());
  }
  RuleFilter filter(config, {}, {});
  std::vector<ConfigChange> changes = DiffConfigs(**before, **after);
  // What postvet's own safe fixes of OLD explain needs no acknowledgement.
  std::vector<std::unique_ptr<LintContext>> fixed_contexts;
  Result<const LintContext*> fixed = WithSafeFixes(**before, load_old, filter, &fixed_contexts);
  if (!fixed.ok()) return Fail(fixed.status().message());
  if (fixed.value() != nullptr) MarkSafeFixChanges(DiffConfigs(*fixed.value(), **after), &changes);
  scratch.Remove();  // everything is in memory now
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
  // --fail-on, else .postvet.cf's fail_on, else warning.
  Severity fail_on = Severity::kWarning;
  if (!opt.fail_on.empty()) {
    fail_on = SeverityFromName(opt.fail_on).value_or(Severity::kWarning);
  } else if (config.fail_on) {
    fail_on = *config.fail_on;
  }
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
    // Messages quote values, names and paths from the files: escaped.
    std::string lines;
    if (changes.empty()) lines += "no changes in the effective configuration\n";
    for (const ConfigChange& c : changes) {
      bool ack = acks.count(c.subject) != 0;
      std::string note;
      if (c.level == ConfigChange::Level::kRisky) {
        note = ack ? "  (acknowledged)" : "  (not acknowledged: add # postvet: expect-change=" + c.subject + ")";
      } else if (c.level == ConfigChange::Level::kSafeFix) {
        note = "  (postvet's safe fix)";
      }
      lines += fmt::format("{:<8} {}{}{}\n", ChangeLevelName(c.level), c.message,
                           c.where.source ? "  [" + Where(c.where) + "]" : "", note);
    }
    if (!introduced.empty()) lines += fmt::format("\n{} new finding(s) in {}:\n\n", introduced.size(), new_path);
    out = report::TerminalSafeLines(lines);
    if (!introduced.empty()) out += Render(Format::kText, introduced, AllRuleInfos(), ReportOptions{});
  } else {
    std::optional<Format> f = FormatFromName(opt.format);
    if (!f) return Fail(fmt::format("unknown --format \"{}\"", opt.format));
    out = Render(*f, introduced, AllRuleInfos(), ReportOptions{});
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

}  // namespace

void AddDiffCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<DiffOptions>();
  CLI::App* cmd = app.add_subcommand("diff", "Review a change: what the effective configuration gains or loses between two versions");
  cmd->add_option("paths", opt->paths, "OLD NEW (config dirs or files), or with --git: PATH (default .)");
  cmd->add_option("--git", opt->git_rev, "Compare PATH as of this git revision with the working tree");
  cmd->add_option("--format", opt->format, "text, json, or a CI format for the new findings (sarif, github, gitlab, checkstyle, gcc)");
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity of a new finding that makes the exit code 1 (default: fail_on in .postvet.cf, else warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->callback([opt, exit_code] { *exit_code = RunDiff(*opt); });
}

}  // namespace postvet
