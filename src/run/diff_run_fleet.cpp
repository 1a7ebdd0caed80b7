// `postvet diff --git REV ROOT` on a directory of config dirs (a repository
// of hosts/*/): every config dir below ROOT (src/run/targets_discovery.hpp)
// is compared with its own version at REV, each with its own .postvet.cf.
// Only config dirs git tracks (in its index) count: under pre-commit the
// working tree is the commit, except for untracked files, which are not.
// A config dir that REV does not have is new: all its findings are new.
// One that REV has (a directory holding a config file in REV's tree) and
// the index no longer does is deleted: its findings at REV are listed as
// resolved; a deletion alone does not fail.
//
// Output: text: one section per config dir that changed, gained findings
// or is gone, headed "== DIR ==" ("== DIR (new since REV) ==", "== DIR
// (deleted since REV) =="), then a line counting the dirs compared; json:
// {"version": 1, "dirs": [{"path", "new_dir", "deleted_dir", "diff": <the
// one-dir document>, "resolved_findings": [...]}, ...]} for every dir
// (resolved_findings: a deleted dir's findings at REV, else []); the CI
// formats: the new findings of all dirs in one report. Exit 1 when any dir
// fails (a new finding at or above fail_on, an unacknowledged risky change).
// Each dir is compared under a regcomp budget of its own
// (src/match/regcomp_cost.hpp), as `check`, `probe` and `tune` lint each
// dir of a fleet: its verdicts do not depend on the dirs before it.
#include <cstdio>
#include <filesystem>
#include <map>

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/base/display_path.hpp"
#include "src/base/exit_codes.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/diff/git_export.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/report/reporter.hpp"
#include "src/run/diff_run_dir.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"
#include "src/run/targets_discovery.hpp"

namespace postvet::run {

namespace fs = std::filesystem;

namespace {

// One config dir of the fleet: where it is now and at REV.
struct FleetDir {
  std::string dir;       // as discovery names it
  bool in_tree = false;  // a tracked config dir now
  bool at_rev = false;   // a config dir in REV's tree
};

// The config dirs below `root` now and at REV, merged in discovery's order.
Result<std::vector<FleetDir>> FleetDirs(const DiffRequest& opt, const std::string& root, const std::string& cwd) {
  Result<ExcludeRules> exclude = ExcludeRulesFor(root, opt.config, /*tracked_only=*/true);
  if (!exclude.ok()) return exclude.status();
  Result<std::vector<std::string>> now = DiscoverConfigDirs(root, cwd, exclude.value());
  if (!now.ok()) return now.status();
  Result<std::vector<std::string>> then = DiscoverConfigDirsAtRevision(opt.git_rev, root, cwd, exclude.value());
  if (!then.ok()) return then.status();
  std::map<std::string, FleetDir> merged;
  for (const std::string& d : now.value()) merged[d].in_tree = true;
  for (const std::string& d : then.value()) merged[d].at_rev = true;
  std::vector<FleetDir> dirs;
  for (auto& [dir, where] : merged) {
    where.dir = dir;
    dirs.push_back(std::move(where));
  }
  if (dirs.empty()) {
    return Status::Error(fmt::format("{}: neither main.cf nor master.cf found (nor in a directory below it)",
                                     report::TerminalSafe(root)));
  }
  return dirs;
}

// The directory whose .postvet.cf governs a deleted dir: its closest
// ancestor that still exists.
std::string ExistingAncestor(const std::string& dir) {
  fs::path p = fs::path(dir).lexically_normal();
  std::error_code ec;
  while (!p.empty() && !fs::is_directory(p, ec)) p = p.parent_path();
  return p.empty() ? "." : p.string();
}

// One config dir compared with its version at REV (exported to a scratch
// directory removed before returning).
Result<DirDiff> DiffFleetDir(const DiffRequest& opt, const FleetDir& f, const std::string& display,
                             const std::string& cwd) {
  const std::string shown_dir = display.empty() ? "." : display;
  RegcompBudgetScope regcomp_budget;  // this dir's own, for both versions (src/match/regcomp_cost.hpp)
  ScratchDir scratch;
  if (f.at_rev) {
    Status made = scratch.Create("postvet-diff-");
    if (!made.ok()) return made;
    // A deleted dir: named below its closest ancestor still in the work tree.
    const std::string from = f.in_tree ? f.dir : ExistingAncestor(f.dir);
    const std::string below =
        f.in_tree ? "" : fs::path(f.dir).lexically_normal().lexically_relative(fs::path(from)).generic_string();
    Status st = ExportRevision(opt.git_rev, from, scratch.path(), below == "." ? "" : below);
    if (!st.ok()) return st;
  }
  const std::string old_display = opt.git_rev + ":" + shown_dir;
  if (!f.in_tree) {
    const std::string& old_path = scratch.path();
    // Its own .postvet.cf at REV when it had one, else the one above it now.
    std::error_code ec;
    const bool own = opt.config.empty() && fs::is_regular_file(old_path + "/.postvet.cf", ec);
    return DeletedDirDiff(old_path, old_display, own ? old_path : ExistingAncestor(f.dir), opt);
  }
  // The current directory by its absolute name, shown as "" (so "main.cf").
  return DiffOnce(f.at_rev ? scratch.path() : "", old_display, display.empty() ? cwd : f.dir, display, opt,
                  /*keep_whole=*/false);
}

// The reporter's JSON "diagnostics" array of `found`.
std::string JsonFindings(const std::vector<Diagnostic>& found) {
  const std::string doc = Render(Format::kJson, found, AllRuleInfos(), ReportOptions{});
  const size_t key = doc.find("\"diagnostics\"");
  const size_t open = key == std::string::npos ? key : doc.find('[', key);
  const size_t close = doc.rfind(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "[]";
  return doc.substr(open, close - open + 1);
}

}  // namespace

int RunFleetDiff(const DiffRequest& opt, const std::string& root) {
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  Status rev_ok = CheckRevision(opt.git_rev, root);
  if (!rev_ok.ok()) return ToolErrorOneLine(rev_ok.message());
  Result<std::vector<FleetDir>> dirs = FleetDirs(opt, root, cwd);
  if (!dirs.ok()) return ToolErrorOneLine(dirs.status().message());
  const bool text = opt.format == "text";
  const bool json = opt.format == "json";
  std::optional<Format> ci_format;
  if (!text && !json) {
    ci_format = FormatFromName(opt.format);
    if (!ci_format) return ToolErrorOneLine(fmt::format("unknown --format \"{}\"", opt.format));
  }
  std::string out;
  std::vector<Diagnostic> all_new;  // the CI formats: one report
  size_t shown = 0;
  size_t deleted = 0;
  bool failing = false;
  if (json) out = "{\"version\": 1, \"dirs\": [";
  for (size_t i = 0; i < dirs->size(); ++i) {
    const FleetDir& f = (*dirs)[i];
    const std::string display = DisplayPath(f.dir, cwd);
    const std::string shown_dir = display.empty() ? "." : display;
    const bool is_new = !f.at_rev;
    const bool is_deleted = !f.in_tree;
    Result<DirDiff> diff = DiffFleetDir(opt, f, display, cwd);
    if (!diff.ok()) return ToolErrorOneLine(diff.status().message());
    DirDiff& d = diff.value();
    d.result.new_path = shown_dir;
    failing = failing || d.failing;
    deleted += is_deleted ? 1 : 0;
    if (ci_format) {
      for (Diagnostic& found : d.result.introduced) all_new.push_back(std::move(found));
      continue;
    }
    Result<std::string> one = RenderDiff(d.result, opt.format);
    if (!one.ok()) return ToolErrorOneLine(one.status().message());
    if (json) {
      while (!one->empty() && one->back() == '\n') one->pop_back();
      out += i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ";
      report::AppendJsonString(&out, shown_dir);
      out += fmt::format(", \"new_dir\": {}, \"deleted_dir\": {}, \"diff\": {}, \"resolved_findings\": {}}}",
                         is_new ? "true" : "false", is_deleted ? "true" : "false", *one, JsonFindings(d.resolved));
      continue;
    }
    if (!is_new && !is_deleted && d.result.changes.empty() && d.result.introduced.empty()) continue;
    const std::string note = is_new ? " (new since " + opt.git_rev + ")"
                             : is_deleted ? " (deleted since " + opt.git_rev + ")"
                                          : "";
    out += report::TerminalSafeLines(fmt::format("{}== {}{} ==\n", shown == 0 ? "" : "\n", shown_dir, note));
    ++shown;
    if (is_deleted) {
      out += report::TerminalSafeLines(fmt::format("config dir deleted: {} finding(s) it had at {} are resolved{}\n",
                                                   d.resolved.size(), opt.git_rev, d.resolved.empty() ? "" : ":\n"));
      out += Render(Format::kText, d.resolved, AllRuleInfos(), ReportOptions{});
      continue;
    }
    out += *one;
  }
  if (json) out += dirs->empty() ? "]}\n" : "\n]}\n";
  if (text) {
    out += report::TerminalSafeLines(fmt::format(
        "{}{} config dir{} compared with {}, {} with changes or new findings{}\n", shown == 0 ? "" : "\n",
        dirs->size(), dirs->size() == 1 ? "" : "s", opt.git_rev, shown,
        deleted == 0 ? "" : fmt::format(", {} deleted since {}", deleted, opt.git_rev)));
  }
  if (ci_format) out = Render(*ci_format, all_new, AllRuleInfos(), ReportOptions{});
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

}  // namespace postvet::run
