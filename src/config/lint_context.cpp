#include "src/config/lint_context.hpp"

#include <map>

#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {

// Models are built on first use and cached; a context is used by one thread.
struct LintContext::Models {
  std::optional<MainCf> main_cf;
  std::optional<MasterCf> master_cf;
  std::map<const InputFile*, RegexpTable> tables;
  std::optional<ServiceParams> service_params;
};

LintContext::LintContext(std::string display_dir, ProjectConfig config)
    : display_dir_(std::move(display_dir)),
      config_(std::move(config)),
      models_(std::make_unique<Models>()) {}

LintContext::~LintContext() = default;

const TargetVersion& LintContext::target() const {
  if (!target_) {
    // A version set in code (tests, embedders) counts as given too.
    if (config_.postfix_version_given || config_.postfix_version != "3.7") {
      target_ = TargetVersion::For(config_.postfix_version);
    } else {
      const MainCfDefinition* level = main_cf().Find("compatibility_level");
      target_ = TargetVersion::FromCompatibilityLevel(level != nullptr ? std::optional(level->value) : std::nullopt);
    }
  }
  return *target_;
}

InputFile& LintContext::AddFile(Source source, FileKind kind) {
  auto file = std::make_unique<InputFile>();
  file->source = std::make_unique<Source>(std::move(source));
  file->kind = kind;
  switch (kind) {
    case FileKind::kMainCf: file->cst = std::make_unique<Cst>(ParseMainCf(*file->source)); break;
    case FileKind::kMasterCf: file->cst = std::make_unique<Cst>(ParseMasterCf(*file->source)); break;
    // Linting reads a table's lines and joins, not its tokens (issue 20:
    // a fifth of the nodes of a 100,000-rule table).
    case FileKind::kRegexpTable: file->cst = std::make_unique<Cst>(ParseTableLines(*file->source, TableType::kRegexp)); break;
    case FileKind::kPcreTable: file->cst = std::make_unique<Cst>(ParseTableLines(*file->source, TableType::kPcre)); break;
    case FileKind::kDbmsConfig: file->cst = std::make_unique<Cst>(ParseMainCf(*file->source)); break;
  }
  files_.push_back(std::move(file));
  return *files_.back();
}

const InputFile* LintContext::main_file() const {
  for (const auto& f : files_) {
    if (f->kind == FileKind::kMainCf) return f.get();
  }
  return nullptr;
}

const InputFile* LintContext::master_file() const {
  for (const auto& f : files_) {
    if (f->kind == FileKind::kMasterCf) return f.get();
  }
  return nullptr;
}

const MainCf& LintContext::main_cf() const {
  if (!models_->main_cf) {
    const InputFile* f = main_file();
    if (f == nullptr) return MainCf::Empty();
    models_->main_cf = MainCf::Build(*f->cst);
  }
  return *models_->main_cf;
}

const MasterCf& LintContext::master_cf() const {
  if (!models_->master_cf) {
    const InputFile* f = master_file();
    models_->master_cf = f != nullptr ? BuildMasterCf(*f->cst) : MasterCf{};
  }
  return *models_->master_cf;
}

const RegexpTable& LintContext::table(const InputFile& file) const {
  auto it = models_->tables.find(&file);
  if (it == models_->tables.end()) {
    TableType type = file.kind == FileKind::kPcreTable ? TableType::kPcre : TableType::kRegexp;
    // Rules look at what the patterns compile to, rarely run them: keep no
    // compiled code (glibc's regcomp() needs kilobytes per pattern).
    it = models_->tables.emplace(&file, RegexpTable::Build(*file.cst, type, Residency::kOnDemand)).first;
  }
  return it->second;
}

const ServiceParams& LintContext::service_params() const {
  if (!models_->service_params) {
    const InputFile* f = master_file();
    models_->service_params = f != nullptr ? DeriveServiceParams(ReadMasterServices(*f->cst), target().defaults())
                                           : ServiceParams{};
  }
  return *models_->service_params;
}

ParamContext LintContext::Params(const MasterService* service, const TargetVersion* version) const {
  ParamContext pc(main_cf(), (version != nullptr ? *version : target()).defaults());
  pc.SetServiceParams(&service_params());
  if (service != nullptr) {
    std::vector<std::pair<std::string, std::string>> overrides;
    for (const MasterOverride& o : service->overrides) {
      if (o.ok()) overrides.emplace_back(o.name, o.value);
    }
    // process_name is the command's base name (master(8) runs $daemon_directory/<command>).
    std::string_view command = service->field(MasterField::kCommand).text;
    command = command.substr(command.rfind('/') == std::string_view::npos ? 0 : command.rfind('/') + 1);
    pc.SetService(std::string(service->name()), std::string(command), std::move(overrides));
  }
  return pc;
}

std::vector<std::string_view> LintContext::ParameterNames() const {
  std::vector<std::string_view> names;
  const MainCf& m = main_cf();
  for (uint32_t i : m.EffectiveInOrder()) names.push_back(m.definitions()[i].name);
  return names;
}

size_t LintContext::ServiceCount() const { return master_cf().services.size(); }

}  // namespace postvet
