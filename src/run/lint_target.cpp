// The middle stage of the check pipeline (src/run/check_run.hpp): each
// target's .postvet.cf, load, live probe, lint, and the fix loop that
// lints the fixed text again until nothing changes.
#include <algorithm>

#include "src/report/baseline.hpp"
#include "src/base/display_path.hpp"
#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/base/printable.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/run/check_run_state.hpp"
#include "src/run/template_notice.hpp"

namespace postvet::run {
namespace {

constexpr int kMaxFixPasses = 5;

// Findings point into their files' Sources (Location::source), nothing
// else of a context: with many targets, each context's syntax trees and
// models are freed once it is linted, its Sources kept until the process
// exits; so a run over 1,000 host dirs holds one model at a time. Between
// fix passes one target is kept whole (a resident table's compiled regexes
// cost time to free one by one); after its last pass it is freed too: linting
// keeps no compiled code (LintContext::table()), and the report of a big
// table then no longer shares the peak with its model and syntax tree.
void Retire(std::unique_ptr<LintContext> ctx, bool keep_whole) {
  if (keep_whole) {
    KeepUntilExit(std::move(ctx));
    return;
  }
  for (const auto& file : ctx->files()) {
    if (file->source != nullptr) KeepUntilExit(std::move(file->source));
  }
}

}  // namespace

Exit CheckRun::LintTargets() {
  // By index: files the loaded configuration does not name become targets of their own.
  for (size_t target_index = 0; target_index < targets_.size(); ++target_index) {
    const Target t = targets_[target_index];
    if (!t.is_dir && covered_.count(t.display) != 0) continue;
    if (Exit e = LintTarget(t)) return e;
  }
  return std::nullopt;
}

Exit CheckRun::LintTarget(const Target& t) {
  Result<ProjectConfig> config = ProjectConfigFor(t.path, opt_.config, opt_.postfix_version);
  if (!config.ok()) return ToolError(config.status().message());
  const Severity target_fail_on = cli_fail_on_.value_or(config->fail_on.value_or(Severity::kWarning));
  lowest_fail_on_ = std::min(lowest_fail_on_.value_or(target_fail_on), target_fail_on);
  return LintOne(t, config.value(), target_fail_on);
}

Exit CheckRun::LintOne(const Target& t, const ProjectConfig& config, Severity target_fail_on) {
  RuleFilter filter(config, opt_.select, opt_.ignore);
  std::map<std::string, std::string> originals;                 // path -> bytes before fixing
  std::map<std::string, std::string> overlay = stdin_overlay_;  // path -> fixed bytes (and stdin's)
  load_options_.overlay = &overlay;
  Result<std::unique_ptr<LintContext>> ctx = LoadTarget(t, cwd_, config, load_options_);
  if (!ctx.ok()) return ToolError(ctx.status().message());
  std::set<std::string> reported;  // displays of the files whose findings count
  for (const auto& file : (*ctx)->files()) {
    const std::string& display = file->source->display();
    const std::string shown = DisplayPath(display, cwd_);
    if (t.partial && given_.count(shown) == 0) continue;
    reported.insert(display);
    fail_on_by_file_.try_emplace(display, target_fail_on);
    covered_.insert(shown);
    checked_.insert(BaselineFileKey(display, cwd_));
  }
  SayTemplates(**ctx, reported, &templates_said_);  // once per template file, on stderr
  for (const auto& [display, path] : t.only) {
    if (covered_.count(display) == 0) targets_.push_back({path, display, false, false, {}});
  }
  // Only the files given are reported on, and only their findings fixed.
  auto reported_only = [&](std::vector<Diagnostic> found) {
    if (t.partial) {
      std::erase_if(found, [&](const Diagnostic& d) {
        return d.location.source != nullptr && reported.count(d.location.source->display()) == 0;
      });
    }
    return found;
  };
  // --probe: one live probe per configuration, before any fix; the PV9xx
  // rules read its results from the context (LintContext::probe_results).
  const probe::ProbeResults* probed = nullptr;
  if (probe_options_) {
    Result<probe::ProbeResults> r = probe::ProbeConfig(**ctx, *probe_options_);
    if (!r.ok()) return ToolError(r.status().message());
    probed = probes_.emplace_back(std::make_unique<probe::ProbeResults>(std::move(r.value()))).get();
    // Zone names come from the configuration: escaped like the findings.
    probe_tables_ +=
        report::TerminalSafeLines(probe::RenderProbeTable(*probed, probe::ComputeBudgets(**ctx, *probed)));
  }
  (*ctx)->set_probe_results(probed);
  std::vector<Diagnostic> found = reported_only(Lint(**ctx, filter));
  if (opt_.fix || opt_.diff) {
    for (int pass = 0; pass < kMaxFixPasses; ++pass) {
      std::vector<FileFix> plan = PlanFixes(found, FixPolicy{opt_.unsafe_fixes});
      bool changed = false;
      for (const FileFix& f : plan) {
        if (f.edits.empty()) continue;
        fixes_applied_ += f.applied.size();
        const std::string& path = f.source->path();
        originals.try_emplace(path, std::string(f.source->text()));
        overlay[path] = ApplyEdits(f.source->text(), f.edits);
        changed = true;
      }
      if (!changed) break;
      Retire(std::move(ctx.value()), targets_.size() == 1);
      ctx = LoadTarget(t, cwd_, config, load_options_);
      if (!ctx.ok()) return ToolError(ctx.status().message());
      (*ctx)->set_probe_results(probed);
      found = reported_only(Lint(**ctx, filter));
    }
    for (const auto& [path, before] : originals) {
      const std::string& after = overlay[path];
      if (before == after) continue;
      if (opt_.diff) patch_ += UnifiedDiff(DisplayPath(path, cwd_), before, after);
      if (opt_.fix) fix_writes_.Add(path, before, after);
    }
  }
  for (Diagnostic& d : found) all_.push_back(std::move(d));
  Retire(std::move(ctx.value()), /*keep_whole=*/false);
  return std::nullopt;
}

}  // namespace postvet::run
