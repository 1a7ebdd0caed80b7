// `postvet diff --git REV ROOT` on a directory of config dirs (a repository
// of hosts/*/): every config dir below ROOT (src/run/targets_discovery.hpp)
// is compared with its own version at REV, each with its own .postvet.cf.
// Only config dirs git tracks (in its index) count: under pre-commit the
// working tree is the commit, except for untracked files, which are not.
// A config dir that REV does not have is new: all its findings are new.
//
// Output: text: one section per config dir that changed or gained
// findings, headed "== DIR ==" ("== DIR (new since REV) =="), then a line
// counting the dirs compared; json: {"version": 1, "dirs": [{"path",
// "new_dir", "diff": <the one-dir document>}, ...]} for every dir; the CI
// formats: the new findings of all dirs in one report. Exit 1 when any dir
// fails (a new finding at or above fail_on, an unacknowledged risky change).
#include <cstdio>
#include <filesystem>

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/base/display_path.hpp"
#include "src/base/exit_codes.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/diff/git_export.hpp"
#include "src/report/reporter.hpp"
#include "src/run/diff_run_dir.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"

namespace postvet::run {

namespace fs = std::filesystem;

int RunFleetDiff(const DiffRequest& opt, const std::string& root) {
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  Status rev_ok = CheckRevision(opt.git_rev, root);
  if (!rev_ok.ok()) return ToolErrorOneLine(rev_ok.message());
  Result<std::vector<std::string>> dirs = ExpandConfigDirs(root, cwd, opt.config, /*tracked_only=*/true);
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
  bool failing = false;
  if (json) out = "{\"version\": 1, \"dirs\": [";
  for (size_t i = 0; i < dirs->size(); ++i) {
    const std::string& dir = (*dirs)[i];
    const std::string display = DisplayPath(dir, cwd);
    const std::string shown_dir = display.empty() ? "." : display;
    const bool is_new = !DirectoryAtRevision(opt.git_rev, dir);
    Result<DirDiff> diff = Status::Error("");
    {
      ScratchDir scratch;  // this dir at REV; removed before the next
      if (!is_new) {
        Status made = scratch.Create("postvet-diff-");
        if (!made.ok()) return ToolErrorOneLine(made.message());
        Status st = ExportRevision(opt.git_rev, dir, scratch.path());
        if (!st.ok()) return ToolErrorOneLine(st.message());
      }
      // The current directory by its absolute name, shown as "" (so "main.cf").
      diff = DiffOnce(is_new ? "" : scratch.path(), opt.git_rev + ":" + shown_dir, display.empty() ? cwd : dir, display,
                      opt, /*keep_whole=*/false);
    }
    if (!diff.ok()) return ToolErrorOneLine(diff.status().message());
    DirDiff& d = diff.value();
    d.result.new_path = shown_dir;
    failing = failing || d.failing;
    if (ci_format) {
      for (Diagnostic& f : d.result.introduced) all_new.push_back(std::move(f));
      continue;
    }
    Result<std::string> one = RenderDiff(d.result, opt.format);
    if (!one.ok()) return ToolErrorOneLine(one.status().message());
    if (json) {
      while (!one->empty() && one->back() == '\n') one->pop_back();
      out += i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ";
      report::AppendJsonString(&out, shown_dir);
      out += fmt::format(", \"new_dir\": {}, \"diff\": {}}}", is_new ? "true" : "false", *one);
      continue;
    }
    if (!is_new && d.result.changes.empty() && d.result.introduced.empty()) continue;
    out += report::TerminalSafeLines(
        fmt::format("{}== {}{} ==\n", shown == 0 ? "" : "\n", shown_dir, is_new ? " (new since " + opt.git_rev + ")" : ""));
    out += *one;
    ++shown;
  }
  if (json) out += dirs->empty() ? "]}\n" : "\n]}\n";
  if (text) {
    out += report::TerminalSafeLines(fmt::format("{}{} config dir{} compared with {}, {} with changes or new findings\n",
                                                 shown == 0 ? "" : "\n", dirs->size(), dirs->size() == 1 ? "" : "s",
                                                 opt.git_rev, shown));
  }
  if (ci_format) out = Render(*ci_format, all_new, AllRuleInfos(), ReportOptions{});
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

}  // namespace postvet::run
