// Fuzz target: `.postvet.cf` (src/config/project_config.hpp), read from a scratch
// file, and the RuleFilter built from it (select/ignore selectors,
// severity_<ID> overrides, per_path_ignores globs through fnmatch(3)).
// Properties: no crash or hang; an error names the file and a line that
// exists ("PATH, line N: ..."); an accepted config has non-negative
// thresholds and its memory size reads back through ParseSize; every rule
// can be asked whether it is enabled, ignored for a path and at what
// severity; reading the same file twice gives the same answers.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "fuzz/fuzz_util.hpp"
#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/config/project_config.hpp"
#include "src/engine/rule_filter.hpp"

namespace {

namespace fs = std::filesystem;

const std::string& ScratchFile() {
  static const std::string path = [] {
    std::string tmpl = (fs::temp_directory_path() / "postvet-config-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl + "/.postvet.cf";
  }();
  return path;
}

// What the config decides for every rule, as text (to compare two reads).
std::string Decisions(const postvet::ProjectConfig& config) {
  using namespace postvet;
  static const std::vector<RuleInfo> rules = AllRuleInfos();
  const RuleFilter filter(config, {}, {});
  std::string out = fmt::format("{} {} {} {} {} {} {}\n", config.postfix_version, config.min_smtpd_processes,
                                config.header_group_threshold, config.dnsbl_latency_budget, config.probe_slow_ms,
                                config.memory_bytes.value_or(0), config.fail_on ? SeverityName(*config.fail_on) : "-");
  for (const RuleInfo& info : rules) {
    out += fmt::format("{} {} {} {} {}\n", info.id, filter.Enabled(info), SeverityName(filter.SeverityOf(info)),
                       filter.IgnoredForPath(info, "hosts/mx1/main.cf"), filter.IgnoredForPath(info, "main.cf"));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  const std::string& path = ScratchFile();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  Result<ProjectConfig> config = ReadProjectConfig(path);
  if (!config.ok()) {
    const std::string& message = config.status().message();
    const std::string prefix = path + ", line ";
    fuzz::Require(message.rfind(prefix, 0) == 0);
    size_t line = 0;
    size_t i = prefix.size();
    for (; i < message.size() && message[i] >= '0' && message[i] <= '9' && i < prefix.size() + 9; ++i) {
      line = line * 10 + static_cast<size_t>(message[i] - '0');
    }
    size_t lines = 1;
    for (size_t b = 0; b < size; ++b) lines += data[b] == '\n' ? 1 : 0;
    fuzz::Require(line >= 1 && line <= lines);
    fuzz::Require(message.compare(i, 2, ": ") == 0);
    return 0;
  }
  const ProjectConfig& c = config.value();
  fuzz::Require(c.path == path);
  fuzz::Require(c.min_smtpd_processes >= 0 && c.header_group_threshold >= 0 && c.dnsbl_latency_budget >= 0 &&
                c.probe_slow_ms >= 0);
  if (c.memory_bytes) {
    std::optional<unsigned long long> again = ParseSize(std::to_string(*c.memory_bytes));
    fuzz::Require(again == c.memory_bytes);
  }
  const std::string first = Decisions(c);
  Result<ProjectConfig> reread = ReadProjectConfig(path);
  fuzz::Require(reread.ok() && Decisions(reread.value()) == first);
  return 0;
}
