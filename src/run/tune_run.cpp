#include "src/run/tune_run.hpp"

#include <cstdio>
#include <filesystem>

#include <fmt/core.h>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/base/exit_codes.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/facts/tune/memory_estimate.hpp"
#include "src/facts/tune/service_settings.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/report/reporter.hpp"
#include "src/run/run_common.hpp"
#include "src/run/targets.hpp"
#include "src/run/targets_discovery.hpp"
#include "src/base/display_path.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/printable.hpp"
#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/tune/tune_json.hpp"
#include "src/tune/tune_report.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

// The rules whose findings tune reports and fixes.
const std::vector<std::string>& TuneRules() {
  static const std::vector<std::string> rules = {"PV5", "PV104", "PV401", "PV402", "PV411"};
  return rules;
}

// The .postvet.cf settings with --memory applied; `origin` says where the
// memory size comes from.
Result<ProjectConfig> TuneConfig(const TuneRequest& opt, const std::string& path, std::string* origin) {
  Result<ProjectConfig> read = ProjectConfigFor(path, opt.config, opt.postfix_version);
  if (!read.ok()) return read.status();
  ProjectConfig config = std::move(read.value());
  *origin = config.memory_bytes ? fmt::format("memory in {}", config.path) : "";
  if (opt.memory == "auto") {
    Result<unsigned long long> mem = tune::MachineMemory();
    if (!mem.ok()) return mem.status();
    config.memory_bytes = *mem;
    *origin = "MemTotal in /proc/meminfo";
  } else if (!opt.memory.empty()) {
    config.memory_bytes = ParseSize(opt.memory);
    if (!config.memory_bytes) {
      return Status::Error(
          fmt::format("--memory: expected a size such as 4G or 512M, or auto, not \"{}\"", opt.memory));
    }
    *origin = "--memory";
  }
  // Run on the server itself (the default /etc/postfix): the machine's
  // memory bounds the advice unless --memory or .postvet.cf says otherwise.
  if (!config.memory_bytes && opt.memory.empty() && path == "/etc/postfix") {
    if (Result<unsigned long long> mem = tune::MachineMemory(); mem.ok()) {
      config.memory_bytes = *mem;
      *origin = "MemTotal in /proc/meminfo, this machine's";
    }
  }
  return config;
}

// --diff: the fixes of `found`, unsafe ones included, as one patch.
std::string FixPatch(const std::vector<Diagnostic>& found) {
  std::string patch;
  for (const FileFix& f : PlanFixes(found, FixPolicy{true})) {
    if (f.edits.empty()) continue;
    std::string shown = f.source->path();
    if (shown.rfind("./", 0) == 0) shown = shown.substr(2);
    patch += UnifiedDiff(shown, f.source->text(), ApplyEdits(f.source->text(), f.edits));
  }
  return patch;
}

// The text report: settings, evidence, advice, then the findings.
std::string TextReport(const tune::TuneReport& report, const std::vector<Diagnostic>& found) {
  std::string out = tune::RenderTuneText(report);
  out += "\nFindings\n";
  if (found.empty()) return out + "  none\n";
  ReportOptions ro;
  std::error_code ec;
  ro.working_directory = fs::current_path(ec).string();
  out += Render(Format::kText, found, AllRuleInfos(), ro);
  bool fixable = false;
  for (const Diagnostic& d : found) fixable = fixable || d.fix.has_value();
  if (fixable) out += "(postvet tune --diff prints these fixes, unsafe ones included, as a patch)\n";
  return out;
}

// One config dir tuned: its report (text, JSON or patch) and whether a
// finding reaches fail_on. Its context is freed on return: the report is
// rendered by then, so a fleet holds one configuration at a time.
struct TunedDir {
  std::string out;
  bool failing = false;
};

Result<TunedDir> TuneOne(const TuneRequest& opt, const std::string& path, const std::string& display,
                         tune::LogAnalyzer& analyzer) {
  RegcompBudgetScope regcomp_budget;  // this dir's own (src/match/regcomp_cost.hpp)
  std::string memory_origin;
  Result<ProjectConfig> read = TuneConfig(opt, path, &memory_origin);
  if (!read.ok()) return read.status();
  const ProjectConfig& config = read.value();
  LoadOptions load_options;
  load_options.root = opt.root;
  Result<std::unique_ptr<LintContext>> loaded = LoadConfigDir(path, display, config, load_options);
  if (!loaded.ok()) return loaded.status();
  LintContext& ctx = **loaded;
  const tune::TuneSettings& settings = FactsOf(ctx).Settings();
  tune::LogEvidence no_logs;
  const tune::LogEvidence& evidence = opt.logs.empty() ? no_logs : analyzer.evidence();
  std::vector<tune::SmtpdAdvice> advice = tune::AdviseSmtpd(settings, evidence, opt.peak_clients);
  // The evidence reaches PV501 through the context's project settings.
  tune::ExportEvidence(advice, &ctx.mutable_config());
  RuleFilter filter(ctx.config(), TuneRules(), {});
  std::vector<Diagnostic> found = Lint(ctx, filter);
  TunedDir out;
  for (const Diagnostic& d : found) {
    out.failing = out.failing || d.severity >= config.fail_on.value_or(Severity::kWarning);
  }
  if (opt.diff) {
    out.out = FixPatch(found);
    return out;
  }
  tune::TuneReport report;
  report.config = display;
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
  out.out = opt.format == "json" ? tune::RenderTuneJson(report, found) : TextReport(report, found);
  return out;
}

// A directory of config dirs (src/run/targets_discovery.hpp), each tuned
// in turn: text, a "== DIR ==" section each; json, {"version": 1, "dirs":
// [{"path", "report": <the one-dir document>}]}; --diff, one patch.
int TuneFleet(const TuneRequest& opt, const std::vector<std::string>& dirs, const std::string& cwd) {
  tune::LogAnalyzer no_logs;
  std::string out = opt.format == "json" && !opt.diff ? "{\"version\": 1, \"dirs\": [" : "";
  bool failing = false;
  for (size_t i = 0; i < dirs.size(); ++i) {
    const std::string display = DisplayPath(dirs[i], cwd);
    const std::string shown = display.empty() ? "." : display;
    Result<TunedDir> one = TuneOne(opt, display.empty() ? cwd : dirs[i], shown, no_logs);
    if (!one.ok()) return ToolErrorOneLine(one.status().message());
    failing = failing || one->failing;
    if (opt.diff) {
      out += one->out;
    } else if (opt.format == "json") {
      while (!one->out.empty() && one->out.back() == '\n') one->out.pop_back();
      out += i == 0 ? "\n  {\"path\": " : ",\n  {\"path\": ";
      report::AppendJsonString(&out, shown);
      out += ", \"report\": " + one->out + "}";
    } else {
      out += report::TerminalSafeLines(fmt::format("{}== {} ==\n", i == 0 ? "" : "\n", shown)) + one->out;
    }
  }
  if (opt.format == "json" && !opt.diff) out += "\n]}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failing ? kExitFindings : kExitOk;
}

// The names of `dirs` for a message: the first few, then how many more.
std::string SomeDirs(const std::vector<std::string>& dirs, const std::string& cwd) {
  constexpr size_t kShown = 3;
  std::string names;
  for (size_t i = 0; i < dirs.size() && i < kShown; ++i) {
    const std::string display = DisplayPath(dirs[i], cwd);
    names += (i == 0 ? "" : ", ") + (display.empty() ? std::string(".") : display);
  }
  if (dirs.size() > kShown) names += fmt::format(" and {} more", dirs.size() - kShown);
  return names;
}

}  // namespace

int RunTune(const TuneRequest& opt) {
  std::error_code ec;
  if (!fs::is_directory(opt.path, ec)) return ToolErrorOneLine(opt.path + ": not a configuration directory");
  if (opt.peak_clients < 0) return ToolErrorOneLine("--peak-clients: expected a positive number");
  const std::string cwd = fs::current_path(ec).string();
  std::string path = opt.path;   // the config dir tuned
  std::string shown = opt.path;  // as the report names it
  // A directory of config dirs: each one tuned on its own.
  if (!IsConfigDir(opt.path)) {
    Result<std::vector<std::string>> dirs = ExpandConfigDirs(opt.path, cwd, opt.config, /*tracked_only=*/false);
    if (!dirs.ok()) return ToolErrorOneLine(dirs.status().message());
    // A mail log is one server's: its evidence must not size every host.
    if (dirs->size() > 1 && !opt.logs.empty()) {
      return ToolErrorOneLine(fmt::format(
          "{}: holds {} config dirs ({}); --log reads one server's mail log: name that server's config dir "
          "(postvet tune DIR --log FILE)",
          opt.path, dirs->size(), SomeDirs(*dirs, cwd)));
    }
    if (dirs->size() > 1) return TuneFleet(opt, *dirs, cwd);
    const std::string display = DisplayPath(dirs->front(), cwd);
    path = display.empty() ? cwd : dirs->front();
    shown = display.empty() ? "." : display;
  }
  tune::LogAnalyzer analyzer;
  // Rotated sets oldest first, several logs merged by time.
  if (Status st = tune::ReadLogFiles(opt.logs, &analyzer); !st.ok()) return ToolErrorOneLine(st.message());
  Result<TunedDir> one = TuneOne(opt, path, shown, analyzer);
  if (!one.ok()) return ToolErrorOneLine(one.status().message());
  std::fwrite(one->out.data(), 1, one->out.size(), stdout);
  return one->failing ? kExitFindings : kExitOk;
}

}  // namespace postvet::run
