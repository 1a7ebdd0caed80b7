// `postvet check [PATH...]`: lint config dirs or files, report, fix.
//
// Each PATH is a config dir, or a file. Files whose directory holds a
// main.cf are linted together with that directory (so cross-file rules
// still see the whole configuration) but only their own findings are
// reported: this is what a pre-commit hook passing changed files needs.
// A table file is grouped with the closest directory above it that holds a
// main.cf or master.cf; one that configuration does not name is linted on
// its own, so no file given is ever silently skipped. Paths are shown
// relative to the current directory (DisplayPath).
// With --fix/--diff, fixing repeats on the fixed text until nothing changes
// (at most kMaxFixPasses), then the patch is printed (--diff) or, with
// --fix, every changed file of every target is written in one
// FixTransaction (src/fix/transaction.hpp) while the directories given are
// locked against a second --fix (src/fix/dir_lock.hpp); --fix ends with a
// one-line summary on stderr. The findings reported are those left after
// fixing, minus those a --baseline accepts (src/report/baseline.hpp).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/report/baseline.hpp"
#include "src/cli/check_statistics.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/cli/probe_options.hpp"
#include "src/cli/show_settings.hpp"
#include "src/cli/stdin_input.hpp"
#include "src/base/display_path.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/dir_lock.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/summary.hpp"
#include "src/fix/transaction.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/fix/unified_diff.hpp"
#include "src/config/loader.hpp"
#include "src/probe/probe_report.hpp"
#include "src/base/printable.hpp"
#include "src/report/reporter.hpp"
#include "rules/rule_selector.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxFixPasses = 5;

struct CheckOptions {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string output;
  std::vector<std::string> select;
  std::vector<std::string> ignore;
  std::string fail_on;
  std::string postfix_version;
  bool diff = false;
  bool fix = false;
  bool unsafe_fixes = false;
  std::string config;
  std::string root;
  std::string type;
  std::string color = "auto";
  std::string baseline;
  std::string generate_baseline;
  bool baseline_report = false;
  bool probe = false;                    // --probe: query the DNS lists live (PV9xx)
  probe::ProbeSettings probe_settings;
  bool statistics = false;     // --statistics: counts per rule instead of the findings
  bool show_settings = false;  // --show-settings: effective .postvet.cf settings; no lint
  std::string stdin_filename;  // --stdin-filename: the name of `-` (src/cli/stdin_input.hpp)
};

// One unit of work: a config dir or a lone file, and which of its files to report on.
struct Target {
  std::string path;           // directory or file to load
  std::string display;        // its DisplayPath ("" for the current directory)
  bool is_dir = false;
  bool partial = false;       // only the files in `only` were given
  std::map<std::string, std::string> only;  // display path -> path as given, when partial
};

std::string Join(const std::string& dir, const std::string& name) {
  if (dir.empty() || dir == ".") return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

// Holds a main.cf or master.cf file (not a directory of that name, as in a corpus).
bool IsConfigDir(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(Join(dir, "main.cf"), ec) || fs::is_regular_file(Join(dir, "master.cf"), ec);
}

// The config dir a file given on its own belongs to: its own directory for
// main.cf/master.cf, else the closest ancestor holding a configuration (a
// table below the config dir: maps/header_checks). "." is the current one.
// The walk is lexical and stops at a "..": the parent of "../x" is not ".".
std::optional<std::string> OwningConfigDir(const std::string& file) {
  fs::path dir = fs::path(file).lexically_normal().parent_path();
  const std::string name = fs::path(file).filename().string();
  const bool config_file = name == "main.cf" || name == "master.cf";
  for (;;) {
    const std::string d = dir.empty() ? "." : dir.string();
    if (IsConfigDir(d)) return d;
    if (config_file || dir.empty() || dir == dir.parent_path() || dir.filename() == "..") return std::nullopt;
    dir = dir.parent_path();
  }
}

// Directories first, so that a file inside a directory also given whole is
// not linted twice; lone files last, so that one a configuration already
// loaded (a --root table) can be skipped; each directory and lone file once,
// however it was spelled.
Result<std::vector<Target>> PlanTargets(const std::vector<std::string>& paths, const std::string& cwd) {
  std::vector<Target> targets;
  std::map<std::string, size_t> dir_index;  // display of a dir -> its target
  std::map<std::string, std::string> lone;  // display -> path of lone files
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(p, ec);
    if (ec || !fs::exists(st)) return Status::Error(fmt::format("{}: no such file or directory", p));
    if (!fs::is_directory(st)) {
      files.push_back(p);
      continue;
    }
    std::string display = DisplayPath(p, cwd);
    if (dir_index.try_emplace(display, targets.size()).second) targets.push_back({p, display, true, false, {}});
  }
  for (const std::string& p : files) {
    std::string display = DisplayPath(p, cwd);
    if (std::optional<std::string> dir = OwningConfigDir(p)) {
      auto [it, inserted] = dir_index.try_emplace(DisplayPath(*dir, cwd), targets.size());
      if (inserted) targets.push_back({*dir, it->first, true, true, {}});
      Target& t = targets[it->second];
      if (t.partial) t.only.emplace(display, p);
      continue;
    }
    lone.emplace(display, p);
  }
  for (const auto& [display, p] : lone) targets.push_back({p, display, false, false, {}});
  return targets;
}

Result<ProjectConfig> ConfigFor(const CheckOptions& opt, const std::string& path) {
  std::optional<std::string> file = opt.config.empty() ? FindProjectConfig(path) : std::optional(opt.config);
  ProjectConfig config;
  if (file) {
    Result<ProjectConfig> read = ReadProjectConfig(*file);
    if (!read.ok()) return read.status();
    config = std::move(read.value());
  }
  if (!opt.postfix_version.empty()) config.postfix_version = opt.postfix_version;
  return config;
}

// A lone file is read by its display path (the same file, named as shown).
// The current directory is read by its absolute name: the loader tells the
// config dir's own tables from --root ones by the directory's path prefix,
// and "." would be a prefix of "../maps/x" too.
Result<std::unique_ptr<LintContext>> Load(const Target& t, const std::string& cwd, const ProjectConfig& config,
                                          const LoadOptions& lo) {
  if (!t.is_dir) return LoadSingleFile(t.display, config, lo);
  return LoadConfigDir(t.display.empty() ? cwd : t.path, t.display, config, lo);
}

// Writes a report or baseline file, creating it when it does not exist yet.
bool WriteOutputFile(const std::string& path, const std::string& text) {
  Status st = WriteFileAtomically(path, text);
  if (st.ok()) return true;
  // A new file: WriteFileAtomically replaces existing files only.
  FILE* f = std::fopen(path.c_str(), "wb");
  bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (f != nullptr && std::fclose(f) != 0) ok = false;
  if (!ok) fmt::print(stderr, "postvet: {}: cannot write\n", path);
  return ok;
}

// --baseline: drops the findings the baseline accepts; lists its stale
// entries on stderr with --baseline-report. False when it cannot be read.
bool FilterByBaseline(const CheckOptions& opt, const std::set<std::string>& checked, const std::string& cwd,
                      std::vector<Diagnostic>* all) {
  Result<Baseline> baseline = ReadBaseline(opt.baseline);
  if (!baseline.ok()) {
    fmt::print(stderr, "postvet: {}\n", report::TerminalSafe(baseline.status().message()));
    return false;
  }
  BaselineOutcome outcome = ApplyBaseline(baseline.value(), std::move(*all), checked, cwd);
  *all = std::move(outcome.kept);
  if (!opt.baseline_report) return true;
  const std::string stale_report = RenderStaleReport(opt.baseline, outcome.stale);  // escaped
  std::fwrite(stale_report.data(), 1, stale_report.size(), stderr);
  return true;
}

// --show-settings: each target's effective settings and their origins.
int ShowSettings(const CheckOptions& opt, const std::vector<Target>& targets, const std::string& cwd) {
  std::string out;
  for (const Target& t : targets) {
    Result<ProjectConfig> config = ConfigFor(opt, t.path);
    if (!config.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(config.status().message()));
      return kExitError;
    }
    const std::string shown = config->path.empty() ? "" : DisplayPath(config->path, cwd);
    out += RenderSettings(t.display, *config, shown, {opt.postfix_version, opt.select, opt.ignore, opt.fail_on});
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

bool WantColor(const std::string& mode, const std::string& output) {
  if (mode == "always") return true;
  if (mode == "never" || !output.empty() || std::getenv("NO_COLOR") != nullptr) return false;
  return ::isatty(STDOUT_FILENO) != 0;
}

int RunCheck(const CheckOptions& opt) {
  std::vector<std::string> paths = opt.paths.empty() ? std::vector<std::string>{"/etc/postfix"} : opt.paths;
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  // `-`: standard input, linted alone as one file named --stdin-filename.
  Result<StdinPlan> stdin_plan = PlanStdin(paths, opt.stdin_filename, opt.type, opt.fix);
  if (!stdin_plan.ok()) {
    fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(stdin_plan.status().message()));
    return kExitError;
  }
  std::map<std::string, std::string> stdin_overlay;  // its name -> its bytes
  if (stdin_plan->used) {
    Result<std::string> bytes = ReadAllBounded(0, stdin_plan->name);
    if (!bytes.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(bytes.status().message()));
      return kExitError;
    }
    stdin_overlay.emplace(stdin_plan->name, std::move(bytes.value()));
  }
  Result<std::vector<Target>> targets =
      stdin_plan->used ? Result<std::vector<Target>>(std::vector<Target>{{stdin_plan->name, stdin_plan->name, false, false, {}}})
                       : PlanTargets(paths, cwd);
  if (!targets.ok()) {
    fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(targets.status().message()));
    return kExitError;
  }
  if (opt.show_settings) return ShowSettings(opt, *targets, cwd);
  std::string format_name = opt.format;
  if (format_name == "auto") {
    const char* gha = std::getenv("GITHUB_ACTIONS");
    format_name = gha != nullptr && std::string_view(gha) == "true" ? "github" : "text";
  }
  std::optional<Format> format = FormatFromName(format_name);
  if (!format) {
    fmt::print(stderr, "postvet: unknown --format \"{}\"\n", opt.format);
    return kExitError;
  }
  std::optional<Severity> cli_fail_on;
  if (!opt.fail_on.empty()) cli_fail_on = SeverityFromName(opt.fail_on);
  LoadOptions load_options;
  // Normalised like the paths given, so tables found through it are shown
  // relative to the current directory too ("." when it is that directory).
  load_options.root = opt.root.empty() ? "" : DisplayPath(opt.root, cwd);
  if (!opt.root.empty() && load_options.root.empty()) load_options.root = ".";
  if (!opt.type.empty()) load_options.type = FileKindFromName(opt.type);
  if (stdin_plan->used) load_options.type = stdin_plan->kind;

  // --fix: one run at a time per directory given, from reading to writing.
  DirLocks fix_locks;
  if (opt.fix) {
    std::vector<std::string> dirs;
    for (const std::string& p : paths) {
      std::error_code dir_ec;
      dirs.push_back(fs::is_directory(p, dir_ec) ? p : fs::path(p).parent_path().string());
      if (dirs.back().empty()) dirs.back() = ".";
    }
    Status locked = fix_locks.Acquire(dirs, FixLockWait(), [](const std::string& dir) {
      fmt::print(stderr, "postvet: {}: waiting for another postvet --fix to finish\n", dir);
    });
    if (!locked.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(locked.message()));
      return kExitError;
    }
  }
  FixTransaction fix_writes;  // every file --fix changes, written together after linting
  size_t fixes_applied = 0;

  std::optional<probe::ProbeOptions> probe_options;
  if (opt.probe) {
    Result<probe::ProbeOptions> po = probe::MakeProbeOptions(opt.probe_settings);
    if (!po.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(po.status().message()));
      return kExitError;
    }
    probe_options = po.value();
  }
  std::vector<std::unique_ptr<probe::ProbeResults>> probes;  // live as long as the contexts
  std::string probe_tables;                                  // appended to the text report

  // Diagnostics point into the loaded contexts, so those must outlive the
  // report; they and the findings are kept until the process exits, since
  // destroying them would only cost time (src/base/keep_until_exit.hpp).
  std::vector<Diagnostic>& all = *KeepUntilExit(std::make_unique<std::vector<Diagnostic>>());
  std::set<std::string> checked;  // baseline keys of the files reported on
  std::string patch;
  // --fail-on, else the target's .postvet.cf fail_on, else warning; each
  // finding is judged by the threshold of the configuration it comes from.
  std::map<std::string, Severity> fail_on_by_file;  // display -> threshold
  std::optional<Severity> lowest_fail_on;           // for findings without a file
  // Files given one by one (pre-commit): a configuration loaded for some of
  // them reports on all of them it reads; the rest are linted alone.
  std::set<std::string> given;    // their display paths
  std::set<std::string> covered;  // display paths some context reported on
  for (const Target& t : targets.value()) {
    for (const auto& [display, path] : t.only) given.insert(display);
    if (!t.is_dir) given.insert(t.display);
  }
  // By index: files the loaded configuration does not name become targets of their own.
  for (size_t target_index = 0; target_index < targets->size(); ++target_index) {
    const Target t = (*targets)[target_index];
    if (!t.is_dir && covered.count(t.display) != 0) continue;
    Result<ProjectConfig> config = ConfigFor(opt, t.path);
    if (!config.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(config.status().message()));
      return kExitError;
    }
    const Severity target_fail_on = cli_fail_on.value_or(config->fail_on.value_or(Severity::kWarning));
    lowest_fail_on = std::min(lowest_fail_on.value_or(target_fail_on), target_fail_on);
    RuleFilter filter(config.value(), opt.select, opt.ignore);

    std::map<std::string, std::string> originals;  // path -> bytes before fixing
    std::map<std::string, std::string> overlay = stdin_overlay;  // path -> fixed bytes (and stdin's)
    load_options.overlay = &overlay;
    Result<std::unique_ptr<LintContext>> ctx = Load(t, cwd, config.value(), load_options);
    if (!ctx.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(ctx.status().message()));
      return kExitError;
    }
    std::set<std::string> reported;  // displays of the files whose findings count
    for (const auto& file : (*ctx)->files()) {
      const std::string& display = file->source->display();
      const std::string shown = DisplayPath(display, cwd);
      if (t.partial && given.count(shown) == 0) continue;
      reported.insert(display);
      fail_on_by_file.try_emplace(display, target_fail_on);
      covered.insert(shown);
      checked.insert(BaselineFileKey(display, cwd));
    }
    for (const auto& [display, path] : t.only) {
      if (covered.count(display) == 0) targets->push_back({path, display, false, false, {}});
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
    if (probe_options) {
      Result<probe::ProbeResults> r = probe::ProbeConfig(**ctx, *probe_options);
      if (!r.ok()) {
        fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(r.status().message()));
        return kExitError;
      }
      probed = probes.emplace_back(std::make_unique<probe::ProbeResults>(std::move(r.value()))).get();
      // Zone names come from the configuration: escaped like the findings.
      probe_tables +=
          report::TerminalSafeLines(probe::RenderProbeTable(*probed, probe::ComputeBudgets(**ctx, *probed)));
    }
    (*ctx)->set_probe_results(probed);
    std::vector<Diagnostic> found = reported_only(Lint(**ctx, filter));
    if (opt.fix || opt.diff) {
      for (int pass = 0; pass < kMaxFixPasses; ++pass) {
        std::vector<FileFix> plan = PlanFixes(found, FixPolicy{opt.unsafe_fixes});
        bool changed = false;
        for (const FileFix& f : plan) {
          if (f.edits.empty()) continue;
          fixes_applied += f.applied.size();
          const std::string& path = f.source->path();
          originals.try_emplace(path, std::string(f.source->text()));
          overlay[path] = ApplyEdits(f.source->text(), f.edits);
          changed = true;
        }
        if (!changed) break;
        KeepUntilExit(std::move(ctx.value()));
        ctx = Load(t, cwd, config.value(), load_options);
        if (!ctx.ok()) {
          fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(ctx.status().message()));
          return kExitError;
        }
        (*ctx)->set_probe_results(probed);
        found = reported_only(Lint(**ctx, filter));
      }
      for (const auto& [path, before] : originals) {
        const std::string& after = overlay[path];
        if (before == after) continue;
        if (opt.diff) {
          patch += UnifiedDiff(DisplayPath(path, cwd), before, after);
        }
        if (opt.fix) fix_writes.Add(path, before, after);
      }
    }
    for (Diagnostic& d : found) all.push_back(std::move(d));
    KeepUntilExit(std::move(ctx.value()));
  }
  size_t files_fixed = 0;
  if (opt.fix) {
    CommitReport written;
    Status st = fix_writes.Commit(&written);
    if (!st.ok()) {
      fmt::print(stderr, "postvet: {}\n", report::TerminalSafeLines(st.message()));
      return kExitError;
    }
    files_fixed = written.changed.size();
  }

  if (!opt.generate_baseline.empty()) {
    const Baseline baseline = MakeBaseline(all, cwd);
    if (!WriteOutputFile(opt.generate_baseline, SerializeBaseline(baseline))) return kExitError;
    fmt::print(stderr, "postvet: {}: recorded {} finding{} as {} baseline entr{}\n", opt.generate_baseline,
               all.size(), all.size() == 1 ? "" : "s", baseline.entries.size(),
               baseline.entries.size() == 1 ? "y" : "ies");
    return kExitOk;
  }
  if (!opt.baseline.empty() && !FilterByBaseline(opt, checked, cwd, &all)) return kExitError;

  bool failing = false;
  for (const Diagnostic& d : all) {
    Severity threshold = lowest_fail_on.value_or(Severity::kWarning);
    if (d.location.source != nullptr) {
      auto it = fail_on_by_file.find(d.location.source->display());
      if (it != fail_on_by_file.end()) threshold = it->second;
    }
    failing = failing || d.severity >= threshold;
  }
  // --fix ends with one line saying what it did and what is left.
  auto fix_summary = [&] {
    if (opt.fix) fmt::print(stderr, "postvet: {}\n", FixSummary(fixes_applied, files_fixed, all, opt.unsafe_fixes));
  };

  if (opt.diff) {
    std::fwrite(patch.data(), 1, patch.size(), stdout);
    fix_summary();
    return failing ? kExitFindings : kExitOk;
  }
  if (opt.statistics) {
    const std::string stats = RenderStatistics(all, *format == Format::kJson);
    if (opt.output.empty()) {
      std::fwrite(stats.data(), 1, stats.size(), stdout);
    } else if (!WriteOutputFile(opt.output, stats)) {
      return kExitError;
    }
    return failing ? kExitFindings : kExitOk;
  }
  ReportOptions ro;
  ro.color = WantColor(opt.color, opt.output);
  ro.working_directory = cwd;
  if (opt.output.empty()) {
    auto write = [](std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); };
    RenderTo(*format, all, AllRuleInfos(), ro, write);
    if (*format == Format::kText) write(probe_tables);
    std::fflush(stdout);
    fix_summary();
    return failing ? kExitFindings : kExitOk;
  }
  std::string out = Render(*format, all, AllRuleInfos(), ro);
  if (*format == Format::kText) out += probe_tables;
  if (!WriteOutputFile(opt.output, out)) {
    return kExitError;
  }
  fix_summary();
  return failing ? kExitFindings : kExitOk;
}

}  // namespace

void AddCheckCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand("check", "Lint config dirs or files (the default command)");
  cmd->add_option("paths", opt->paths, "Config directories or files (default: /etc/postfix)");
  cmd->add_option("--format", opt->format, "auto, text, gcc, json, sarif, github, gitlab, checkstyle")
      ->check(CLI::IsMember({"auto", "text", "gcc", "json", "sarif", "github", "gitlab", "checkstyle"}));
  cmd->add_option("--output", opt->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--select", opt->select, "Only these rules (IDs, prefixes such as PV2, or slugs)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(SelectorError, "RULE");
  cmd->add_option("--ignore", opt->ignore, "Skip these rules")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->check(SelectorError, "RULE");
  cmd->add_option("--fail-on", opt->fail_on,
                  "Lowest severity that makes the exit code 1 (default: fail_on in .postvet.cf, else warning)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  cmd->add_option("--postfix-version", opt->postfix_version, "Target Postfix version (default 3.7)")
      ->check(PostfixVersionError, "VERSION");
  cmd->add_flag("--diff", opt->diff, "Print the fixes as a unified diff; change nothing");
  cmd->add_flag("--fix", opt->fix, "Apply the safe fixes");
  cmd->add_flag("--unsafe-fixes", opt->unsafe_fixes, "Also apply fixes that change behaviour");
  cmd->add_option("--config", opt->config, "Use this .postvet.cf");
  cmd->add_option("--root", opt->root, "Where absolute table paths outside config_directory are found");
  cmd->add_option("--type", opt->type, "Kind of a lone file: main, master, regexp, pcre")
      ->check(CLI::IsMember({"main", "master", "regexp", "pcre"}));
  cmd->add_option("--color", opt->color, "auto, always, never")->check(CLI::IsMember({"auto", "always", "never"}));
  CLI::Option* baseline =
      cmd->add_option("--baseline", opt->baseline, "Report only findings this baseline file does not list");
  cmd->add_option("--generate-baseline", opt->generate_baseline,
                  "Record today's findings in FILE (for --baseline) and exit 0")
      ->excludes(baseline);
  cmd->add_flag("--baseline-report", opt->baseline_report,
                "With --baseline: list its entries no longer found (stale) on stderr")
      ->needs(baseline);
  cmd->add_flag("--probe", opt->probe, "Also query the DNS lists live (PV901-PV905; uses the network)");
  AddProbeOptions(cmd, &opt->probe_settings, /*all=*/false);
  cmd->add_flag("--statistics", opt->statistics, "Count the findings per rule instead of listing them");
  cmd->add_option("--stdin-filename", opt->stdin_filename,
                  "Name of standard input (path -): in messages, patches, and to tell its kind");
  cmd->add_flag("--show-settings", opt->show_settings,
                "Print the effective .postvet.cf settings for each path and where each comes from; lint nothing");
  cmd->callback([opt, exit_code] { *exit_code = RunCheck(*opt); });
}

}  // namespace postvet
