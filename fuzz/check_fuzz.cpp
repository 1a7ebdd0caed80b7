// Fuzz target: the whole `postvet check` pipeline on a generated config dir.
// The input is split at "\n====\n" markers into main.cf, master.cf, a
// regexp: table and a pcre: table; main.cf is given a prefix that names both
// tables, so the loader, every rule, the fix planner and the reporters run.
// Properties: no crash, and two independent runs (fresh load, lint, render
// as text, json and sarif) print byte-identical reports.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_util.hpp"
#include "src/match/regcomp_cost.hpp"
#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/loader.hpp"
#include "src/report/reporter.hpp"

namespace {

namespace fs = std::filesystem;

const std::string& ScratchDir() {
  static const std::string dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "postvet-check-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl;
  }();
  return dir;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string RunOnce(const std::string& dir) {
  using namespace postvet;
  ProjectConfig config;
  LoadOptions options;
  Result<std::unique_ptr<LintContext>> ctx = LoadConfigDir(dir, "cfg", config, options);
  if (!ctx.ok()) return "error: " + ctx.status().message();
  std::vector<Diagnostic> found = Lint(**ctx, RuleFilter{});
  for (const FileFix& f : PlanFixes(found, FixPolicy{true})) {
    std::string fixed = ApplyEdits(f.source->text(), f.edits);
    (void)fixed;
  }
  std::string out;
  ReportOptions ro;
  ro.working_directory = "/nonexistent";
  for (Format format : {Format::kText, Format::kJson, Format::kSarif}) {
    out += Render(format, found, AllRuleInfos(), ro);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The regcomp budget is per run (one postvet process); each input is a run.
  postvet::ResetRunRegcompBudget();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    size_t cut = i == 3 ? std::string_view::npos : text.find("\n====\n");
    parts[i] = text.substr(0, cut);
    text = cut == std::string_view::npos ? std::string_view() : text.substr(cut + 6);
  }
  const std::string& dir = ScratchDir();
  std::string main_cf =
      "header_checks = regexp:/etc/postfix/hc.regexp\nbody_checks = pcre:/etc/postfix/bc.pcre\n";
  main_cf.append(parts[0]);
  WriteFile(dir + "/main.cf", main_cf);
  WriteFile(dir + "/master.cf", parts[1]);
  WriteFile(dir + "/hc.regexp", parts[2]);
  WriteFile(dir + "/bc.pcre", parts[3]);
  std::string first = RunOnce(dir);
  std::string second = RunOnce(dir);
  postvet::fuzz::Require(first == second);
  return 0;
}
