#include "src/run/probe_run.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/base/exit_codes.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/probe/probe_report.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/report/reporter.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"
#include "src/run/targets_discovery.hpp"
#include "src/base/display_path.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/base/printable.hpp"

namespace postvet::run {

namespace fs = std::filesystem;

namespace {

// One config dir (or file) probed: its findings, the rendered report in
// `format` (the zone table in text, a "probe" member in json), whether a
// finding reaches fail_on. The context and results are kept until exit
// (the findings point into them).
struct ProbedDir {
  std::vector<Diagnostic> found;
  std::string report;
  bool failing = false;
};

Result<ProbedDir> ProbeOne(const std::string& path, const std::string& display, const ProbeRequest& opt,
                           const probe::ProbeOptions& options, Format format, const std::string& cwd) {
  RegcompBudgetScope regcomp_budget;  // this dir's own (src/match/regcomp_cost.hpp)
  Result<ProjectConfig> read = ProjectConfigFor(path, opt.config);
  if (!read.ok()) return read.status();
  const ProjectConfig& config = read.value();
  LoadOptions lo;
  lo.root = opt.root;
  Result<std::unique_ptr<LintContext>> loaded = LoadPath(path, display, config, lo);
  if (!loaded.ok()) return loaded.status();
  LintContext* ctx = KeepUntilExit(std::move(loaded.value()));
  Result<probe::ProbeResults> probed = probe::ProbeConfig(*ctx, options);
  if (!probed.ok()) return probed.status();
  const probe::ProbeResults* results = KeepUntilExit(std::make_unique<probe::ProbeResults>(std::move(probed.value())));
  ctx->set_probe_results(results);
  // Only the probe rules: the rest is `check`'s job.
  RuleFilter filter(config, {"PV9"}, {});
  ProbedDir out;
  out.found = Lint(*ctx, filter);
  ReportOptions ro;
  ro.color = WantColor(opt.color);
  ro.working_directory = cwd;
  out.report = Render(format, out.found, AllRuleInfos(), ro);
  if (format == Format::kText) out.report += probe::RenderProbeTable(*results, probe::ComputeBudgets(*ctx, *results));
  if (format == Format::kJson) out.report = probe::AddProbeJson(std::move(out.report), *results);
  const Severity fail_on = FailOnFor(opt.fail_on, config);
  for (const Diagnostic& d : out.found) out.failing = out.failing || d.severity >= fail_on;
  return out;
}

}  // namespace

// A directory of config dirs (src/run/targets_discovery.hpp): each probed
// in turn. Text: a "== DIR ==" section each; json: {"version": 1, "dirs":
// [{"path", "report": <the one-dir document>}]}; the CI formats: the
// findings of all dirs in one report.
int RunProbe(const ProbeRequest& opt) {
  Result<probe::ProbeOptions> options = probe::MakeProbeOptions(opt.settings);
  if (!options.ok()) return ToolErrorRaw(options.status().message());
  std::optional<Format> format = FormatFromName(opt.format);
  if (!format) return ToolErrorRaw(fmt::format("unknown --format \"{}\"", opt.format));
  std::error_code ec;
  if (!fs::exists(opt.path, ec)) return ToolErrorRaw(fmt::format("{}: no such file or directory", opt.path));
  const std::string cwd = fs::current_path(ec).string();
  if (!fs::is_directory(opt.path, ec) || IsConfigDir(opt.path)) {
    Result<ProbedDir> one = ProbeOne(opt.path, opt.path, opt, *options, *format, cwd);
    if (!one.ok()) return ToolErrorRaw(one.status().message());
    std::fwrite(one->report.data(), 1, one->report.size(), stdout);
    return one->failing ? kExitFindings : kExitOk;
  }
  Result<std::vector<std::string>> dirs = ExpandConfigDirs(opt.path, cwd, opt.config, /*tracked_only=*/false);
  if (!dirs.ok()) return ToolErrorRaw(dirs.status().message());
  const bool ci = *format != Format::kText && *format != Format::kJson;
  std::string out = *format == Format::kJson ? "{\"version\": 1, \"dirs\": [" : "";
  std::vector<Diagnostic> all;
  bool failing = false;
  for (size_t i = 0; i < dirs->size(); ++i) {
    const std::string display = DisplayPath((*dirs)[i], cwd);
    Result<ProbedDir> one = ProbeOne((*dirs)[i], display, opt, *options, *format, cwd);
    if (!one.ok()) return ToolErrorRaw(one.status().message());
    failing = failing || one->failing;
    const std::string shown = display.empty() ? "." : display;
    if (ci) {
      for (Diagnostic& d : one->found) all.push_back(std::move(d));
    } else if (*format == Format::kJson) {
      while (!one->report.empty() && one->report.back() == '\n') one->report.pop_back();
      out += i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ";
      report::AppendJsonString(&out, shown);
      out += ", \"report\": " + one->report + "}";
    } else {
      out += report::TerminalSafeLines(fmt::format("{}== {} ==\n", i == 0 ? "" : "\n", shown)) + one->report;
    }
  }
  if (*format == Format::kJson) out += "\n]}\n";
  if (ci) out = Render(*format, all, AllRuleInfos(), ReportOptions{});
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

}  // namespace postvet::run
