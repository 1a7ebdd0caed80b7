// LintContext: everything the rules see about one configuration directory
// (or one lone file): the input files, their syntax trees, the models built
// from them (on first use), the project config, and problems met while
// loading (missing tables, unreadable files) for PV002.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/base/file_kind.hpp"
#include "src/base/location.hpp"
#include "src/model/target_version.hpp"
#include "src/model/param_context.hpp"
#include "src/config/project_config.hpp"

namespace postvet {

class MainCf;
struct MasterCf;
struct MasterService;
class RegexpTable;
namespace probe {
struct ProbeResults;
}
namespace tmpl {
class TemplateInfo;
}

/// One file read for linting.
struct InputFile {
  std::unique_ptr<Source> source;
  FileKind kind = FileKind::kMainCf;
  /// Its syntax tree; a table's has only the line layer (ParseTableLines()).
  std::unique_ptr<Cst> cst;
  /// For tables: the parameters that name this file ("header_checks").
  std::vector<std::string> used_by;
  /// For tables, parallel to used_by (may be shorter: missing means ""): the
  /// restriction that names the table there ("check_client_access"), or "".
  std::vector<std::string> used_as;
  /// For tables: where main.cf or master.cf names it.
  Location reference;
  /// For kDbmsConfig: the client type that reads it (ldap, mysql, ...).
  std::string table_type;
  /// For a template (src/template/): what its syntax was; `source` then
  /// holds its static view. Null for a plain file.
  std::shared_ptr<const tmpl::TemplateInfo> template_info;
};

/// A file that could not be read, and where the configuration names it.
struct LoadProblem {
  Location where;        // source null when the file was named on the command line
  std::string path;      // as shown to the user
  std::string message;   // "cannot open: No such file or directory"
};

class LintContext {
 public:
  LintContext(std::string display_dir, ProjectConfig config);
  ~LintContext();
  LintContext(const LintContext&) = delete;
  LintContext& operator=(const LintContext&) = delete;

  const std::string& display_dir() const { return display_dir_; }
  const ProjectConfig& config() const { return config_; }
  /// For what a command learns after loading and before Lint() (tune's log
  /// evidence, ProjectConfig::log_evidence); target() stays as loaded.
  ProjectConfig& mutable_config() { return config_; }
  /// The Postfix release this configuration is checked against: its series
  /// and built-in defaults. From config().postfix_version when it was given
  /// (config().postfix_version_given); otherwise 3.7 or what main.cf's
  /// compatibility_level implies (TargetVersion::FromCompatibilityLevel).
  /// Decided on first use, so only after the files are added.
  const TargetVersion& target() const;

  /// Adds a file; parses it with the grammar of `kind`.
  InputFile& AddFile(Source source, FileKind kind);
  void AddProblem(LoadProblem problem) { problems_.push_back(std::move(problem)); }

  const std::vector<std::unique_ptr<InputFile>>& files() const { return files_; }
  const std::vector<LoadProblem>& problems() const { return problems_; }
  const InputFile* main_file() const;
  const InputFile* master_file() const;

  /// Models, built on first use. main_cf() is empty (no definitions) when
  /// there is no main.cf; master_cf() likewise.
  const MainCf& main_cf() const;
  const MasterCf& master_cf() const;
  const RegexpTable& table(const InputFile& file) const;

  /// A lookup context that expands values as the daemons would: main.cf,
  /// the built-in defaults and the service-derived names of master.cf; with
  /// `service`, that service's `-o` overrides and names come first. The
  /// context refers to this LintContext's models: use it while they live.
  /// The defaults are those of `version` (null: target()). Rules ask
  /// Facts::ValueFor() (src/facts/facts.hpp) rather than expanding here.
  ParamContext Params(const MasterService* service = nullptr, const TargetVersion* version = nullptr) const;

  /// The `<service>_...` parameters master.cf's delivery services derive
  /// (postconf's service table), built on first use.
  const ServiceParams& service_params() const;

  /// Names set explicitly in main.cf, each once, in file order of their
  /// last definition (what parameter subscriptions dispatch on).
  std::vector<std::string_view> ParameterNames() const;
  /// Number of master.cf services (what service subscriptions dispatch on).
  size_t ServiceCount() const;

  /// Facts several rules derive from this context (a `T` constructed as
  /// `T(const LintContext&)`), built on the first call and shared by every
  /// later one: rules that need the same derived model pay for it once.
  template <class T>
  T& Derived() const {
    std::shared_ptr<void>& slot = derived_[std::type_index(typeid(T))];
    if (!slot) slot = std::make_shared<T>(*this);
    return *static_cast<T*>(slot.get());
  }

  /// Live DNSBL probe results, set by `postvet probe` / `check --probe`
  /// before Lint() and owned by the caller; null otherwise. The PV9xx rules
  /// (rules/probe/) read them and report nothing without them.
  const probe::ProbeResults* probe_results() const { return probe_results_; }
  void set_probe_results(const probe::ProbeResults* results) { probe_results_ = results; }

 private:
  std::string display_dir_;
  ProjectConfig config_;
  mutable std::optional<TargetVersion> target_;  // see target()
  std::vector<std::unique_ptr<InputFile>> files_;
  std::vector<LoadProblem> problems_;
  struct Models;
  std::unique_ptr<Models> models_;
  const probe::ProbeResults* probe_results_ = nullptr;
  mutable std::unordered_map<std::type_index, std::shared_ptr<void>> derived_;
};

}  // namespace postvet
