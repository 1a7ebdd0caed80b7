// `postvet tune [PATH] [--log FILE]... [--memory SIZE|auto] [--peak-clients N] [--diff]
// [--format text|json]`:
// the tuning advisor. Reads the config dir (default /etc/postfix) and the
// mail logs, prints each service's effective process limit and stress
// behaviour, the log evidence and the advice, then the findings of the
// tuning rules (PV5xx, and the stress rules PV104, PV401, PV402, PV411).
// With --diff it prints the fixes of those findings (unsafe ones included:
// raising a limit changes behaviour, which is the point) as a unified diff
// of master.cf/main.cf instead, and changes nothing. --format json prints
// the same report as one JSON document (src/tune/tune_json.hpp).
//
// The log evidence reaches PV501 through ProjectConfig::log_evidence: the
// config is loaded once to map log tags to services, then again with the
// evidence floors set.
#include <cstdio>
#include <filesystem>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/base/printable.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/run/targets.hpp"
#include "src/report/reporter.hpp"
#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"
#include "src/tune/tune_json.hpp"
#include "src/tune/tune_report.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

struct TuneOptions {
  std::string path = "/etc/postfix";
  std::vector<std::string> logs;
  std::string memory;
  long peak_clients = 0;
  bool diff = false;
  std::string format = "text";
  std::string config;
  std::string root;
  std::string postfix_version;
};

// The rules whose findings tune reports and fixes.
const std::vector<std::string>& TuneRules() {
  static const std::vector<std::string> rules = {"PV5", "PV104", "PV401", "PV402", "PV411"};
  return rules;
}

// Messages may quote log lines or file names: escaped for the terminal.
int Fail(const std::string& message) {
  fmt::print(stderr, "postvet: {}\n", report::TerminalSafe(message));
  return kExitError;
}

int RunTune(const TuneOptions& opt) {
  std::error_code ec;
  if (!fs::is_directory(opt.path, ec)) return Fail(opt.path + ": not a configuration directory");

  Result<ProjectConfig> read = run::ProjectConfigFor(opt.path, opt.config, opt.postfix_version);
  if (!read.ok()) return Fail(read.status().message());
  ProjectConfig config = std::move(read.value());
  std::string memory_origin = config.memory_bytes ? fmt::format("memory in {}", config.path) : "";
  if (opt.memory == "auto") {
    Result<unsigned long long> mem = tune::MachineMemory();
    if (!mem.ok()) return Fail(mem.status().message());
    config.memory_bytes = *mem;
    memory_origin = "MemTotal in /proc/meminfo";
  } else if (!opt.memory.empty()) {
    config.memory_bytes = ParseSize(opt.memory);
    if (!config.memory_bytes) return Fail(fmt::format("--memory: expected a size such as 4G or 512M, or auto, not \"{}\"",
                                                      opt.memory));
    memory_origin = "--memory";
  }
  // Run on the server itself (the default /etc/postfix): the machine's
  // memory bounds the advice unless --memory or .postvet.cf says otherwise.
  if (!config.memory_bytes && opt.memory.empty() && opt.path == "/etc/postfix") {
    if (Result<unsigned long long> mem = tune::MachineMemory(); mem.ok()) {
      config.memory_bytes = *mem;
      memory_origin = "MemTotal in /proc/meminfo, this machine's";
    }
  }
  if (opt.peak_clients < 0) return Fail("--peak-clients: expected a positive number");

  tune::LogAnalyzer analyzer;
  for (const std::string& log : tune::OrderLogFiles(opt.logs)) {
    Status st = tune::ReadLogFile(log, &analyzer);
    if (!st.ok()) return Fail(st.message());
  }

  LoadOptions load_options;
  load_options.root = opt.root;
  Result<std::unique_ptr<LintContext>> first = LoadConfigDir(opt.path, opt.path, config, load_options);
  if (!first.ok()) return Fail(first.status().message());
  const tune::TuneSettings& first_settings = FactsOf(**first).Settings();
  tune::LogEvidence no_logs;
  const tune::LogEvidence& evidence = opt.logs.empty() ? no_logs : analyzer.evidence();
  std::vector<tune::SmtpdAdvice> first_advice = tune::AdviseSmtpd(first_settings, evidence, opt.peak_clients);
  tune::ExportEvidence(first_advice, &config);

  // Again with the evidence in the config, so PV501 sees it.
  Result<std::unique_ptr<LintContext>> loaded = LoadConfigDir(opt.path, opt.path, config, load_options);
  if (!loaded.ok()) return Fail(loaded.status().message());
  const LintContext& ctx = **loaded;
  const tune::TuneSettings& settings = FactsOf(ctx).Settings();
  std::vector<tune::SmtpdAdvice> advice = tune::AdviseSmtpd(settings, evidence, opt.peak_clients);
  RuleFilter filter(config, TuneRules(), {});
  std::vector<Diagnostic> found = Lint(ctx, filter);
  bool failing = false;
  for (const Diagnostic& d : found) failing = failing || d.severity >= config.fail_on.value_or(Severity::kWarning);

  if (opt.diff) {
    std::string patch;
    for (const FileFix& f : PlanFixes(found, FixPolicy{true})) {
      if (f.edits.empty()) continue;
      std::string shown = f.source->path();
      if (shown.rfind("./", 0) == 0) shown = shown.substr(2);
      patch += UnifiedDiff(shown, f.source->text(), ApplyEdits(f.source->text(), f.edits));
    }
    std::fwrite(patch.data(), 1, patch.size(), stdout);
    return failing ? kExitFindings : kExitOk;
  }

  tune::TuneReport report;
  report.config = opt.path;
  report.settings = &settings;
  report.evidence = opt.logs.empty() ? nullptr : &evidence;
  report.advice = &advice;
  report.memory = config.memory_bytes;
  report.memory_origin = memory_origin;
  report.min_smtpd_processes = config.min_smtpd_processes;
  for (const dnsbl::DnsblUse& use : FactsOf(ctx).DnsblUses()) {
    bool rejects = use.check == dnsbl::CheckKind::kPostscreen ? use.weight > 0 : dnsbl::IsRejectCheck(use.check);
    if (rejects) report.dnsbl_zones.push_back(use.zone);
  }
  if (opt.format == "json") {
    std::string json = tune::RenderTuneJson(report, found);
    std::fwrite(json.data(), 1, json.size(), stdout);
    return failing ? kExitFindings : kExitOk;
  }
  std::string out = tune::RenderTuneText(report);
  out += "\nFindings\n";
  if (found.empty()) {
    out += "  none\n";
  } else {
    ReportOptions ro;
    ro.working_directory = fs::current_path(ec).string();
    out += Render(Format::kText, found, AllRuleInfos(), ro);
    bool fixable = false;
    for (const Diagnostic& d : found) fixable = fixable || d.fix.has_value();
    if (fixable) out += "(postvet tune --diff prints these fixes, unsafe ones included, as a patch)\n";
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

}  // namespace

void AddTuneCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<TuneOptions>();
  CLI::App* cmd = app.add_subcommand("tune", "Process limits, stress behaviour and memory: advice from config and logs");
  cmd->add_option("path", opt->path, "Config directory (default: /etc/postfix)");
  cmd->add_option("--log", opt->logs,
                  "Mail log to read (syslog, RFC 3339/5424, journalctl short-iso/short-precise/json/export, postlog; "
                  "plain or gzip; - for stdin); may be repeated, a rotated set is read oldest first")
      ->allow_extra_args(false);
  cmd->add_option("--memory", opt->memory, "Memory of the machine (4G, 512M) or auto (/proc/meminfo)");
  cmd->add_option("--peak-clients", opt->peak_clients,
                  "Expected peak of concurrent SMTP clients (with --log, the higher of it and the log's peak)");
  cmd->add_flag("--diff", opt->diff, "Print the suggested master.cf/main.cf changes as a unified diff");
  cmd->add_option("--format", opt->format, "Report format: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--postfix-version", opt->postfix_version, "Target Postfix version (default 3.7)")
      ->check(PostfixVersionError, "VERSION");
  cmd->callback([opt, exit_code] { *exit_code = RunTune(*opt); });
}

}  // namespace postvet
