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
#include "src/report/reporter.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"

namespace postvet::run {

namespace fs = std::filesystem;

int RunProbe(const ProbeRequest& opt) {
  Result<probe::ProbeOptions> options = probe::MakeProbeOptions(opt.settings);
  if (!options.ok()) return ToolErrorRaw(options.status().message());
  std::optional<Format> format = FormatFromName(opt.format);
  if (!format) return ToolErrorRaw(fmt::format("unknown --format \"{}\"", opt.format));

  Result<ProjectConfig> read = ProjectConfigFor(opt.path, opt.config);
  if (!read.ok()) return ToolErrorRaw(read.status().message());
  const ProjectConfig& config = read.value();
  std::error_code ec;
  if (!fs::exists(opt.path, ec)) return ToolErrorRaw(fmt::format("{}: no such file or directory", opt.path));
  LoadOptions lo;
  lo.root = opt.root;
  Result<std::unique_ptr<LintContext>> ctx = LoadPath(opt.path, opt.path, config, lo);
  if (!ctx.ok()) return ToolErrorRaw(ctx.status().message());

  Result<probe::ProbeResults> results = probe::ProbeConfig(**ctx, *options);
  if (!results.ok()) return ToolErrorRaw(results.status().message());
  (*ctx)->set_probe_results(&*results);
  // Only the probe rules: the rest is `check`'s job.
  RuleFilter filter(config, {"PV9"}, {});
  std::vector<Diagnostic> found = Lint(**ctx, filter);

  ReportOptions ro;
  ro.color = WantColor(opt.color);
  ro.working_directory = fs::current_path(ec).string();
  std::string out = Render(*format, found, AllRuleInfos(), ro);
  if (*format == Format::kText) out += probe::RenderProbeTable(*results, probe::ComputeBudgets(**ctx, *results));
  if (*format == Format::kJson) out = probe::AddProbeJson(std::move(out), *results);
  std::fwrite(out.data(), 1, out.size(), stdout);

  const Severity fail_on = FailOnFor(opt.fail_on, config);
  for (const Diagnostic& d : found) {
    if (d.severity >= fail_on) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace postvet::run
