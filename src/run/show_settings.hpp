// `postvet check --show-settings PATH...`: the effective .postvet.cf
// settings for each config dir or file given, one `key = value` line each,
// followed by where the value came from: the built-in default, a line of the
// .postvet.cf that governs the path, or a command-line option. Nothing is
// linted. Example:
//   # settings for hosts/mx1 (hosts/.postvet.cf)
//   postfix_version = 3.7        # default
//   select = PV1, PV2            # hosts/.postvet.cf, line 2
//   template = jinja             # --template
#pragma once

#include <string>
#include <vector>

#include "src/config/project_config.hpp"

namespace postvet {

/// The command-line options that override .postvet.cf settings.
struct SettingsOverrides {
  std::string postfix_version;
  std::vector<std::string> select;  // replaces the config's
  std::vector<std::string> ignore;  // adds to the config's
  std::string fail_on;
  std::string template_kind;  // --template
  std::string vars;           // --vars
};

/// The settings block for `target` (as displayed) under `config` (whose
/// postfix_version already has the --postfix-version override applied).
/// `config_display` is how to name config.path in the origins.
std::string RenderSettings(const std::string& target, const ProjectConfig& config, const std::string& config_display,
                           const SettingsOverrides& cli);

}  // namespace postvet
