#include "src/run/diff_run.hpp"

#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/base/exit_codes.hpp"
#include "src/diff/git_export.hpp"
#include "src/diff/safe_fix_changes.hpp"
#include "src/engine/engine.hpp"
#include "src/engine/suppression.hpp"
#include "src/run/diff_report.hpp"
#include "src/run/diff_run_dir.hpp"
#include "src/run/targets_discovery.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

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

// The findings of `after` whose rule, file name and subject `before` does
// not have (as often).
std::vector<Diagnostic> Introduced(std::vector<Diagnostic> before, std::vector<Diagnostic> after) {
  std::map<FindingKey, int> seen;
  for (const Diagnostic& d : before) ++seen[KeyOf(d)];
  std::vector<Diagnostic> introduced;
  for (Diagnostic& d : after) {
    if (seen[KeyOf(d)]-- > 0) continue;
    introduced.push_back(std::move(d));
  }
  return introduced;
}

// Where OLD and NEW are, and how OLD is shown.
struct DiffInputs {
  std::string old_path;
  std::string new_path;
  std::string old_display;
};

// OLD and NEW as given, or NEW and its version at --git REV exported into `scratch`.
Result<DiffInputs> Inputs(const DiffRequest& opt, ScratchDir* scratch) {
  if (opt.git_rev.empty()) {
    if (opt.paths.size() != 2) return Status::Error("diff needs OLD and NEW (or --git REV [PATH])");
    return DiffInputs{opt.paths[0], opt.paths[1], opt.paths[0]};
  }
  DiffInputs in;
  if (opt.paths.size() > 1) return Status::Error("diff --git REV takes at most one PATH");
  in.new_path = opt.paths.empty() ? "." : opt.paths[0];
  std::error_code ec;
  Status made = scratch->Create("postvet-diff-");
  if (!made.ok()) return made;
  std::string dir = fs::is_directory(in.new_path, ec) ? in.new_path : fs::path(in.new_path).parent_path().string();
  Status st = ExportRevision(opt.git_rev, dir.empty() ? "." : dir, scratch->path());
  if (!st.ok()) return st;
  in.old_path = fs::is_directory(in.new_path, ec) ? scratch->path() : scratch->path() + "/" + BaseName(in.new_path);
  in.old_display = opt.git_rev + ":" + in.new_path;
  return in;
}


// The contexts a result points into: kept until exit (whole, or only
// their Sources).
void Keep(std::unique_ptr<LintContext> ctx, bool keep_whole) {
  if (ctx == nullptr) return;
  if (keep_whole) {
    KeepUntilExit(std::move(ctx));
    return;
  }
  for (const auto& file : ctx->files()) {
    if (file->source != nullptr) KeepUntilExit(std::move(file->source));
  }
}

}  // namespace

Result<DirDiff> DiffOnce(const std::string& old_path, const std::string& old_display, const std::string& new_path,
                         const std::string& new_display, const DiffRequest& opt, bool keep_whole) {
  Result<ProjectConfig> read = ProjectConfigFor(new_path, opt.config);
  if (!read.ok()) return read.status();
  const ProjectConfig& config = read.value();
  auto load_old = [&](const LoadOptions& lo) { return LoadPath(old_path, old_display, config, lo); };
  Result<std::unique_ptr<LintContext>> after = LoadPath(new_path, new_display, config, LoadOptions{});
  if (!after.ok()) return after.status();
  RuleFilter filter(config, {}, {});
  DirDiff out;
  DiffResult& result = out.result;
  result.new_path = new_path;
  std::vector<Diagnostic> old_findings;
  std::unique_ptr<LintContext> before_ctx;
  if (!old_path.empty()) {
    Result<std::unique_ptr<LintContext>> before = load_old(LoadOptions{});
    if (!before.ok()) return before.status();
    result.changes = DiffConfigs(**before, **after);
    // What postvet's own safe fixes of OLD explain needs no acknowledgement.
    std::vector<std::unique_ptr<LintContext>> fixed_contexts;
    Result<const LintContext*> fixed = WithSafeFixes(**before, load_old, filter, &fixed_contexts);
    if (!fixed.ok()) return fixed.status();
    if (fixed.value() != nullptr) MarkSafeFixChanges(DiffConfigs(*fixed.value(), **after), &result.changes);
    for (auto& c : fixed_contexts) Keep(std::move(c), keep_whole);
    old_findings = Lint(**before, filter);
    before_ctx = std::move(before.value());
  }
  std::vector<Diagnostic> new_findings = Lint(**after, filter);
  result.introduced = Introduced(std::move(old_findings), std::move(new_findings));
  result.acks = Acknowledged(**after);
  const Severity fail_on = FailOnFor(opt.fail_on, config);
  for (const Diagnostic& d : result.introduced) out.failing = out.failing || d.severity >= fail_on;
  for (const ConfigChange& c : result.changes) {
    out.failing = out.failing || (c.level == ConfigChange::Level::kRisky && result.acks.count(c.subject) == 0);
  }
  Keep(std::move(before_ctx), keep_whole);
  Keep(std::move(after.value()), keep_whole);
  return out;
}

Result<DirDiff> DeletedDirDiff(const std::string& old_path, const std::string& old_display,
                               const std::string& config_path, const DiffRequest& opt) {
  Result<ProjectConfig> read = ProjectConfigFor(config_path, opt.config);
  if (!read.ok()) return read.status();
  Result<std::unique_ptr<LintContext>> before = LoadPath(old_path, old_display, read.value(), LoadOptions{});
  if (!before.ok()) return before.status();
  DirDiff out;
  out.resolved = Lint(**before, RuleFilter(read.value(), {}, {}));
  Keep(std::move(before.value()), /*keep_whole=*/false);
  return out;
}

int RunDiff(const DiffRequest& opt) {
  // --git on a directory that is not a config dir: every config dir below it.
  if (!opt.git_rev.empty() && opt.paths.size() <= 1) {
    const std::string root = opt.paths.empty() ? "." : opt.paths[0];
    std::error_code ec;
    if (fs::is_directory(root, ec) && !IsConfigDir(root)) return RunFleetDiff(opt, root);
  }
  ScratchDir scratch;  // removed on every return
  Result<DiffInputs> inputs = Inputs(opt, &scratch);
  if (!inputs.ok()) return ToolErrorOneLine(inputs.status().message());
  const DiffInputs& in = inputs.value();
  Result<DirDiff> diff = DiffOnce(in.old_path, in.old_display, in.new_path, in.new_path, opt, /*keep_whole=*/true);
  if (!diff.ok()) return ToolErrorOneLine(diff.status().message());
  scratch.Remove();  // everything is in memory now
  Status st = RenderDiffTo(diff->result, opt.format,
                           [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); });
  if (!st.ok()) return ToolErrorOneLine(st.message());
  return diff->failing ? kExitFindings : kExitOk;
}

}  // namespace postvet::run
