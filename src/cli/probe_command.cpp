// `postvet probe [PATH]`: live health of the DNS lists a configuration uses.
// Loads the config dir (or file) like `check`, asks every zone its RFC 5782
// test points through c-ares (src/probe/), and reports the verdicts as the
// PV9xx rules' diagnostics at the places the zones are written, followed in
// the text format by a table of every zone (verdict, median and p95 answer
// time) and the worst-case time the lists add to an SMTP connection; the
// json format carries the same table as a "probe" member. A resolver unfit
// to judge lists (probe_session.hpp) is one error message and exit 2.
// This command and `check --probe` are the only ones that use the network.
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/probe_options.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/run/targets.hpp"
#include "src/probe/probe_report.hpp"
#include "src/report/reporter.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

struct ProbeCommandOptions {
  std::string path = "/etc/postfix";
  probe::ProbeSettings settings;
  std::string format = "text";
  std::string fail_on;
  std::string config;
  std::string root;
  std::string color = "auto";
};

int Fail(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", message);
  return kExitError;
}

bool WantColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never" || std::getenv("NO_COLOR") != nullptr) return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

int RunProbeCommand(const ProbeCommandOptions& opt) {
  Result<probe::ProbeOptions> options = probe::MakeProbeOptions(opt.settings);
  if (!options.ok()) return Fail(options.status().message());
  std::optional<Format> format = FormatFromName(opt.format);
  if (!format) return Fail(fmt::format("unknown --format \"{}\"", opt.format));

  Result<ProjectConfig> read = run::ProjectConfigFor(opt.path, opt.config);
  if (!read.ok()) return Fail(read.status().message());
  const ProjectConfig& config = read.value();
  std::error_code ec;
  if (!fs::exists(opt.path, ec)) return Fail(fmt::format("{}: no such file or directory", opt.path));
  LoadOptions lo;
  lo.root = opt.root;
  Result<std::unique_ptr<LintContext>> ctx = run::LoadPath(opt.path, opt.path, config, lo);
  if (!ctx.ok()) return Fail(ctx.status().message());

  Result<probe::ProbeResults> results = probe::ProbeConfig(**ctx, *options);
  if (!results.ok()) return Fail(results.status().message());
  (*ctx)->set_probe_results(&*results);
  // Only the probe rules: the rest is `check`'s job.
  RuleFilter filter(config, {"PV9"}, {});
  std::vector<Diagnostic> found = Lint(**ctx, filter);

  ReportOptions ro;
  ro.color = WantColor(opt.color);
  std::string cwd = fs::current_path(ec).string();
  ro.working_directory = cwd;
  std::string out = Render(*format, found, AllRuleInfos(), ro);
  if (*format == Format::kText) out += probe::RenderProbeTable(*results, probe::ComputeBudgets(**ctx, *results));
  if (*format == Format::kJson) out = probe::AddProbeJson(std::move(out), *results);
  std::fwrite(out.data(), 1, out.size(), stdout);

  Severity fail_on = Severity::kWarning;
  if (!opt.fail_on.empty()) {
    fail_on = SeverityFromName(opt.fail_on).value_or(Severity::kWarning);
  } else if (config.fail_on) {
    fail_on = *config.fail_on;
  }
  for (const Diagnostic& d : found) {
    if (d.severity >= fail_on) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

void AddProbeCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<ProbeCommandOptions>();
  CLI::App* cmd = app.add_subcommand("probe", "Live DNSBL health of the zones a configuration uses (network)");
  cmd->add_option("path", opt->path, "Config directory or main.cf/master.cf (default: /etc/postfix)");
  AddProbeOptions(cmd, &opt->settings, /*all=*/true);
  cmd->add_option("--format", opt->format, "text, gcc, json, sarif, github, gitlab, checkstyle (table: text only)")
      ->check(CLI::IsMember({"text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"}));
  cmd->add_option("--fail-on", opt->fail_on, "Lowest severity that makes the exit code 1 (default warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--color", opt->color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([opt, exit_code] { *exit_code = RunProbeCommand(*opt); });
}

}  // namespace postvet
