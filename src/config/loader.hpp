// Loading what `postvet check` lints: a configuration directory (main.cf,
// master.cf and every regexp/pcre table they name) or a lone file, into a
// LintContext. Tables named by absolute path are looked for inside the
// directory when the path lies under config_directory (default
// /etc/postfix); other absolute paths are mapped with --root, or skipped.
// Paths are normalised, and a table is only read when it lies (symbolic
// links resolved) inside the config dir or --root: one that leads elsewhere
// ("/etc/postfix/../../x", a link out of the tree) is reported (PV002) and
// never read, so `check --fix` can never write outside the linted tree.
// Templates (docs/templates.md): a file the `template` setting, its name
// (main.cf.j2, header_checks.erb) or its content marks as a template is
// linted through its static view (src/template/static_view.hpp), which the
// Source holds (with the template's bytes for quoting) and InputFile's
// template_info describes. A directory without main.cf (master.cf, or a
// table the configuration names) is searched for the same name with a
// template suffix (main.cf.j2, ...) in its place.
// Files the configuration names but that cannot be read become LoadProblems
// (PV002); paths given on the command line that cannot be read are tool
// errors (Status).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "src/base/file_kind.hpp"
#include "src/base/file_reader.hpp"
#include "src/config/lint_context.hpp"
#include "src/base/status.hpp"
#include "src/template/template_kind.hpp"
#include "src/template/vars.hpp"

namespace postvet {

struct LoadOptions {
  /// --root: where absolute paths outside config_directory are found.
  std::string root;
  /// --type for a lone file whose name says nothing.
  std::optional<FileKind> type;
  /// Contents to use instead of the files on disk (fix passes), by path.
  const std::map<std::string, std::string>* overlay = nullptr;
  /// Where files are read from; null: the disk (src/base/file_reader.hpp).
  const FileReader* reader = nullptr;
  /// --template: overrides the `template` setting of .postvet.cf.
  std::optional<tmpl::TemplateSetting> template_setting;
  /// --vars: overrides the `vars` setting of .postvet.cf (src/template/vars.hpp).
  std::shared_ptr<const tmpl::Vars> vars;
};

/// Loads the config dir `dir` (shown as `display`).
Result<std::unique_ptr<LintContext>> LoadConfigDir(const std::string& dir, const std::string& display,
                                                   const ProjectConfig& config, const LoadOptions& options);

/// Loads one file on its own, its kind from `options.type`, its name or its
/// content.
Result<std::unique_ptr<LintContext>> LoadSingleFile(const std::string& path, const ProjectConfig& config,
                                                    const LoadOptions& options);

/// Guesses a file's kind from its content: master.cf when its entries have a
/// service type in the second column, a table when its lines start with a
/// pattern delimiter, main.cf otherwise.
FileKind GuessKindFromContent(std::string_view text);

}  // namespace postvet
