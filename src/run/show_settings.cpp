#include "src/run/show_settings.hpp"

#include <fmt/format.h>

namespace postvet {
namespace {

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

class Printer {
 public:
  Printer(const ProjectConfig& config, const std::string& config_display, std::string* out)
      : config_(config), config_display_(config_display), out_(out) {}

  /// Where `key` came from in the file, or "default".
  std::string FileOrigin(const std::string& key) const {
    auto it = config_.lines.find(key);
    if (it == config_.lines.end()) return "default";
    return fmt::format("{}, line {}", config_display_, it->second);
  }

  void Line(const std::string& key, const std::string& value, const std::string& origin) {
    std::string setting = value.empty() ? key + " =" : key + " = " + value;
    *out_ += fmt::format("{:<40} # {}\n", setting, origin);
  }

  void Setting(const std::string& key, const std::string& value) { Line(key, value, FileOrigin(key)); }

 private:
  const ProjectConfig& config_;
  const std::string& config_display_;
  std::string* out_;
};

}  // namespace

std::string RenderSettings(const std::string& target, const ProjectConfig& config, const std::string& config_display,
                           const SettingsOverrides& cli) {
  std::string out = fmt::format("# settings for {} ({})\n", target.empty() ? "." : target,
                                config.path.empty() ? "no .postvet.cf: built-in defaults" : config_display);
  Printer p(config, config_display, &out);
  p.Line("postfix_version", config.postfix_version,
         cli.postfix_version.empty() ? p.FileOrigin("postfix_version") : "--postfix-version");
  if (!cli.select.empty()) {
    p.Line("select", JoinList(cli.select), "--select");
  } else {
    p.Setting("select", JoinList(config.select));
  }
  std::vector<std::string> ignore = config.ignore;
  ignore.insert(ignore.end(), cli.ignore.begin(), cli.ignore.end());
  std::string ignore_origin = p.FileOrigin("ignore");
  if (!cli.ignore.empty()) ignore_origin = config.ignore.empty() ? "--ignore" : ignore_origin + " and --ignore";
  p.Line("ignore", JoinList(ignore), ignore_origin);
  if (!cli.fail_on.empty()) {
    p.Line("fail_on", cli.fail_on, "--fail-on");
  } else {
    std::string_view fail_on = config.fail_on ? SeverityName(*config.fail_on) : std::string_view("warning");
    p.Line("fail_on", std::string(fail_on), p.FileOrigin("fail_on"));
  }
  for (const auto& [selector, severity] : config.severity) {
    p.Setting("severity_" + selector, std::string(SeverityName(severity)));
  }
  std::vector<std::string> path_ignores;
  for (const PathIgnore& pi : config.path_ignores) {
    std::string entry = pi.glob;
    for (const std::string& r : pi.rules) entry += ":" + r;
    path_ignores.push_back(entry);
  }
  p.Setting("per_path_ignores", JoinList(path_ignores));
  p.Setting("exclude", JoinList(config.exclude));
  // Templates (docs/templates.md).
  if (!cli.template_kind.empty()) {
    p.Line("template", cli.template_kind, "--template");
  } else {
    p.Setting("template", std::string(tmpl::TemplateSettingName(config.template_setting)));
  }
  if (!cli.vars.empty()) {
    p.Line("vars", cli.vars, "--vars");
  } else {
    p.Setting("vars", config.vars_path);
  }
  p.Setting("min_smtpd_processes", std::to_string(config.min_smtpd_processes));
  p.Setting("header_group_threshold", std::to_string(config.header_group_threshold));
  p.Setting("dnsbl_latency_budget", std::to_string(config.dnsbl_latency_budget));
  p.Setting("probe_slow_ms", std::to_string(config.probe_slow_ms));
  p.Setting("memory", config.memory_bytes ? std::to_string(*config.memory_bytes) : "");
  return out;
}

}  // namespace postvet
