// ProjectConfig: postvet's own settings from `.postvet.cf`, written in
// main.cf syntax (Postfix admins know it; our main.cf grammar reads it).
// Found by walking up from a linted path to the repository root (the
// directory holding .git), the user's home directory or the filesystem root;
// the closest file wins; --config FILE overrides. A file found that way is
// only trusted when the invoking user (or root) owns it, nobody else may
// write it, and it does not sit in a directory others may write without the
// sticky bit: anything else (a /tmp/.postvet.cf planted by another user) is
// skipped with a warning on stderr. Unknown keys and bad values are errors
// that name the key, the file and the line (input bytes escaped for the
// terminal).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/base/severity.hpp"
#include "src/base/status.hpp"
#include "src/template/template_kind.hpp"
#include "src/template/vars.hpp"

namespace postvet {

/// Ignore rules for the files whose path matches a glob.
struct PathIgnore {
  std::string glob;                // fnmatch(3) pattern (PathIgnoreMatches)
  std::vector<std::string> rules;  // IDs, family prefixes (PV2) or slugs
  std::string base = {};           // absolute directory of its .postvet.cf ("" : the path as shown)
};

/// What `postvet tune --log` learned about one master.cf service (PV501).
struct ServiceEvidence {
  long floor = 0;       // the process limit the logs call for: observed peak plus headroom
  std::string summary;  // "peak of 87 concurrent sessions; process limit reached 3 times"
};

struct ProjectConfig {
  std::string path;  // where it was read from; empty for the built-in defaults
  std::map<std::string, uint32_t> lines;  // key -> the line of `path` that set it last
  std::string postfix_version = "3.7";
  // postfix_version came from the file or --postfix-version; when false the
  // target may be guessed from compatibility_level (LintContext::target()).
  bool postfix_version_given = false;
  std::vector<std::string> select;  // empty: every rule
  std::vector<std::string> ignore;
  std::optional<Severity> fail_on;  // nullopt: the command line's (default warning)
  std::map<std::string, Severity> severity;  // severity_PV203 = error
  std::vector<PathIgnore> path_ignores;
  // Globs of directories `check`, `diff --git` and `probe` do not look in
  // for config dirs (src/run/targets_discovery.hpp), relative to the
  // directory of this file.
  std::vector<std::string> exclude;
  /// `template`: which files are templates (docs/templates.md).
  tmpl::TemplateSetting template_setting = tmpl::TemplateSetting::kAuto;
  /// `vars`: a JSON or YAML file of template variables, relative to this
  /// file's directory (docs/templates.md); read when this file is.
  std::string vars_path;  // as written
  std::shared_ptr<const tmpl::Vars> vars;
  // Thresholds used by rules.
  long min_smtpd_processes = 100;     // PV501
  long header_group_threshold = 3;    // PV301
  long dnsbl_latency_budget = 3;      // PV207
  long probe_slow_ms = 200;           // PV904
  std::optional<unsigned long long> memory_bytes;  // PV502 (--memory)
  // Hook for the tuning advisor, not a .postvet.cf key: `postvet tune --log`
  // fills it per master.cf service name, and PV501 raises its floor to the
  // evidence's. `postvet check` leaves it empty (config floor only).
  std::map<std::string, ServiceEvidence, std::less<>> log_evidence;
};

/// Checks one rule selector of select, ignore, severity_<SELECTOR> or
/// per_path_ignores: empty when it names a rule, else the error text.
/// The rule list lives above this layer: rules/rule_selector.hpp's
/// SelectorError is the product's check (and its ReadProjectConfig(path)
/// passes it).
using SelectorCheck = std::function<std::string(std::string_view)>;

/// Reads a .postvet.cf file; every rule selector in it must pass `check`.
Result<ProjectConfig> ReadProjectConfig(const std::string& path, const SelectorCheck& check);

/// The .postvet.cf that governs `linted_path`: the closest trusted one in it
/// (when a directory) or its ancestors, up to the repository root, the home
/// directory ($HOME, else the passwd entry of the effective uid) or the
/// filesystem root. Untrusted files are skipped and the search goes on; each
/// skip is explained in `warnings`, or, when it is null, printed on stderr
/// once per file and process.
std::optional<std::string> FindProjectConfig(const std::string& linted_path,
                                             std::vector<std::string>* warnings = nullptr);

/// Why the settings file `path` must not be trusted ("" when it may be):
/// owned by another user than the effective uid and root, writable by group
/// or others, not a regular file, or in a directory another user may write
/// to (not sticky).
std::string UntrustedReason(const std::string& path);

/// `path` (as shown: relative to the current directory, or absolute) as a
/// path relative to `base_dir` (an absolute directory) when it lies below
/// it, else absolute; lexical. "" for `base_dir` itself. An empty
/// `base_dir` returns `path` unchanged.
std::string RelativeToBase(std::string_view path, const std::string& base_dir);

/// Whether per_path_ignores entry `pi` covers the file shown as `path`: its
/// glob is matched against the path relative to the directory of the
/// .postvet.cf that holds it (so `hosts/mx1/*` means the same from every
/// working directory), or, for a file outside that directory, against the
/// absolute path.
bool PathIgnoreMatches(const PathIgnore& pi, std::string_view path);

/// Parses "64M", "2G", "512k", "1048576" into bytes.
std::optional<unsigned long long> ParseSize(std::string_view text);

}  // namespace postvet
