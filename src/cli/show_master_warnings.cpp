#include "src/cli/show_master_warnings.hpp"

#include "grammar/cst_builder.hpp"
#include "src/cli/show_dbms_warnings.hpp"
#include "src/model/defaults.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/master_warnings.hpp"
#include "src/model/param_context.hpp"
#include "src/base/source.hpp"

namespace postvet {

MasterListingWarnings ComputeMasterListingWarnings(const std::string& master_path, const std::string& version) {
  MasterListingWarnings out;
  out.target = TargetVersion::For(version.empty() ? "3.7" : version);
  size_t slash = master_path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : master_path.substr(0, slash);
  std::string main_path = dir + "/main.cf";
  Result<Source> main_src = ReadSource(main_path, main_path);
  Source main_source = main_src.ok() ? std::move(main_src.value()) : Source(main_path, main_path, "");
  Result<Source> master_src = ReadSource(master_path, master_path);
  if (!master_src.ok()) return out;
  Cst cst = ParseMainCf(main_source);
  MainCf main_cf = MainCf::Build(cst);
  Cst master_cst = ParseMasterCf(*master_src);
  std::vector<MasterServiceInfo> services = ReadMasterServices(master_cst);
  out.target = TargetVersion::Choose(version, main_cf.Value("compatibility_level"));
  if (out.target->guessed()) out.note = out.target->GuessNote();
  const Defaults& defaults = out.target->defaults();
  ServiceParams service_params = DeriveServiceParams(services, defaults);
  ParamContext ctx(main_cf, defaults);
  ctx.SetConfigDirectory(dir);
  ctx.SetServiceParams(&service_params);
  KnownNames known = ComputeKnownNames(main_cf, defaults, services, service_params, ctx);
  if (known.fatal) return out;
  std::string shown_master = dir + "/master.cf";
  for (const PostconfWarning& w : known.warnings) out.before.push_back(FormatWarning(w, main_path, shown_master));
  DbmsFileReport dbms = ReadDbmsFilesLikePostconf(known);  // show_dbms_warnings.hpp
  out.before.insert(out.before.end(), dbms.warnings.begin(), dbms.warnings.end());
  out.fatal = std::move(dbms.fatal);
  out.after = MasterUnusedWarnings(known, defaults, service_params, shown_master,
                                   &DeprecatedParams::For(out.target->version()));
  return out;
}

}  // namespace postvet
