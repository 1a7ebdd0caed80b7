// The middle stage of the check pipeline (src/run/check_run.hpp): each
// target's .postvet.cf, load, live probe, lint, and the fix loop that
// lints the fixed text again until nothing changes.
//
// Each target is linted in two steps: LintAlone() does the work and
// touches nothing of the run (so worker threads may run it for several
// targets at once, src/run/lint_parallel.cpp), Merge() folds its outcome
// into the run on the calling thread, in target order. Serial or parallel,
// the run sees the same outcomes in the same order.
#include <algorithm>
#include <iterator>

#include "src/report/baseline.hpp"
#include "src/base/display_path.hpp"
#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/base/printable.hpp"
#include "src/engine/rule_filter.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/run/check_run_state.hpp"
#include "src/run/template_notice.hpp"
#include "src/template/static_view.hpp"

namespace postvet::run {
namespace {

constexpr int kMaxFixPasses = 5;

// Findings point into their files' Sources (Location::source), nothing
// else of a context: with many targets, each context's syntax trees and
// models are freed once it is linted, its Sources kept (until the process
// exits, by Merge()); so a run over 1,000 host dirs holds one model per
// thread at a time. Between fix passes a lone target is kept whole (a
// resident table's compiled regexes cost time to free one by one); after
// its last pass it is freed too: linting keeps no compiled code
// (LintContext::table()), and the report of a big table then no longer
// shares the peak with its model and syntax tree.
void Retire(std::unique_ptr<LintContext> ctx, bool keep_whole, TargetOutcome* out) {
  if (keep_whole) {
    out->whole.push_back(std::move(ctx));
    return;
  }
  for (const auto& file : ctx->files()) {
    if (file->source != nullptr) out->sources.push_back(std::move(file->source));
    // A template rendered with --vars: its findings point into the template's own Source.
    if (file->template_info) out->templates.push_back(std::move(file->template_info));
  }
}

}  // namespace

Exit CheckRun::LintTargets() {
  if (Parallel()) return LintTargetsInParallel();
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
  const Severity target_fail_on = TargetFailOn(config.value());
  return Merge(t, target_fail_on, LintAlone(t, config.value()));
}

Severity CheckRun::TargetFailOn(const ProjectConfig& config) {
  const Severity target_fail_on = cli_fail_on_.value_or(config.fail_on.value_or(Severity::kWarning));
  lowest_fail_on_ = std::min(lowest_fail_on_.value_or(target_fail_on), target_fail_on);
  return target_fail_on;
}

TargetOutcome CheckRun::LintAlone(const Target& t, const ProjectConfig& config) const {
  TargetOutcome out;
  // This target's own regcomp budget: its verdicts do not depend on the
  // targets linted before it or beside it (src/match/regcomp_cost.hpp).
  RegcompBudgetScope regcomp_budget;
  const bool keep_whole = targets_.size() == 1;
  RuleFilter filter(config, opt_.select, opt_.ignore);
  std::map<std::string, std::string> originals;                 // path -> bytes before fixing
  std::map<std::string, std::string> overlay = stdin_overlay_;  // path -> fixed bytes (and stdin's)
  LoadOptions load_options = load_options_;
  load_options.overlay = &overlay;
  Result<std::unique_ptr<LintContext>> ctx = LoadTarget(t, cwd_, config, load_options);
  if (!ctx.ok()) {
    out.error = ctx.status().message();
    return out;
  }
  for (const auto& file : (*ctx)->files()) {
    const std::string& display = file->source->display();
    if (t.partial && given_.count(DisplayPath(display, cwd_)) == 0) continue;
    out.reported.insert(display);
    // Said once per template file, on stderr, by Merge().
    if (file->template_info) out.template_notices.emplace_back(display, TemplateNotice(*file));
  }
  // Only the files given are reported on, and only their findings fixed.
  auto reported_only = [&](std::vector<Diagnostic> found) {
    if (t.partial) {
      std::erase_if(found, [&](const Diagnostic& d) {
        return d.location.source != nullptr && out.reported.count(d.location.source->display()) == 0;
      });
    }
    return found;
  };
  // --probe: one live probe per configuration, before any fix; the PV9xx
  // rules read its results from the context (LintContext::probe_results).
  const probe::ProbeResults* probed = nullptr;
  if (probe_options_) {
    Result<probe::ProbeResults> r = probe::ProbeConfig(**ctx, *probe_options_);
    if (!r.ok()) {
      out.error = r.status().message();
      Retire(std::move(ctx.value()), keep_whole, &out);
      return out;
    }
    out.probe = std::make_unique<probe::ProbeResults>(std::move(r.value()));
    probed = out.probe.get();
    // Zone names come from the configuration: escaped like the findings.
    out.probe_table =
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
        out.fixes_applied += f.applied.size();
        const std::string& path = f.source->path();
        originals.try_emplace(path, std::string(f.source->text()));
        overlay[path] = ApplyEdits(f.source->text(), f.edits);
        changed = true;
      }
      if (!changed) break;
      Retire(std::move(ctx.value()), keep_whole, &out);
      ctx = LoadTarget(t, cwd_, config, load_options);
      if (!ctx.ok()) {
        out.error = ctx.status().message();
        return out;
      }
      (*ctx)->set_probe_results(probed);
      found = reported_only(Lint(**ctx, filter));
    }
    for (const auto& [path, before] : originals) {
      const std::string& after = overlay[path];
      if (before == after) continue;
      if (opt_.diff) out.patch += UnifiedDiff(DisplayPath(path, cwd_), before, after);
      if (opt_.fix) out.writes.push_back({path, before, after});
    }
  }
  out.found = std::move(found);
  Retire(std::move(ctx.value()), /*keep_whole=*/false, &out);
  return out;
}

Exit CheckRun::Merge(const Target& t, Severity target_fail_on, TargetOutcome out) {
  for (auto& source : out.sources) KeepUntilExit(std::move(source));
  for (auto& info : out.templates) {
    KeepUntilExit(std::make_unique<std::shared_ptr<const tmpl::TemplateInfo>>(std::move(info)));
  }
  for (auto& ctx : out.whole) KeepUntilExit(std::move(ctx));
  for (const std::string& display : out.reported) {
    fail_on_by_file_.try_emplace(display, target_fail_on);
    covered_.insert(DisplayPath(display, cwd_));
    checked_.insert(BaselineFileKey(display, cwd_));
  }
  for (const auto& [display, line] : out.template_notices) {
    if (templates_said_.insert(display).second) std::fwrite(line.data(), 1, line.size(), stderr);
  }
  for (const auto& [display, path] : t.only) {
    if (covered_.count(display) == 0) targets_.push_back({path, display, false, false, {}});
  }
  if (out.error) return ToolError(*out.error);
  if (out.probe) probes_.push_back(std::move(out.probe));
  probe_tables_ += out.probe_table;
  fixes_applied_ += out.fixes_applied;
  patch_ += out.patch;
  for (FixWrite& w : out.writes) fix_writes_.Add(std::move(w.path), std::move(w.before), std::move(w.after));
  // The first target's findings are taken whole: copying them one by one
  // would hold two arrays of them at once (issue 20).
  if (all_.empty()) {
    all_ = std::move(out.found);
  } else {
    all_.insert(all_.end(), std::make_move_iterator(out.found.begin()), std::make_move_iterator(out.found.end()));
  }
  return std::nullopt;
}

}  // namespace postvet::run
