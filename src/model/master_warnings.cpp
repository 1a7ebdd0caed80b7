#include "src/model/master_warnings.hpp"

#include <cstring>

#include "src/model/master_postconf.hpp"

namespace postvet {

std::string FormatWarning(const PostconfWarning& w, const std::string& main_path, const std::string& master_path) {
  switch (w.kind) {
    case PostconfWarning::Kind::kUndefined: return main_path + ": undefined parameter: " + w.text;
    case PostconfWarning::Kind::kReadOnly: return main_path + ": read-only parameter assignment: " + w.text;
    case PostconfWarning::Kind::kMacro: return w.text;
    case PostconfWarning::Kind::kList: return "main.cf: " + w.text;
    case PostconfWarning::Kind::kMasterUndefined: return master_path + ": undefined parameter: " + w.text;
    case PostconfWarning::Kind::kMasterReadOnly:
      return master_path + ": read-only parameter assignment: " + w.text;
    case PostconfWarning::Kind::kMasterList: return "master.cf:" + w.text;
    case PostconfWarning::Kind::kComment: return main_path + ": " + w.text;
    case PostconfWarning::Kind::kMasterComment: return master_path + ": " + w.text;
    case PostconfWarning::Kind::kMasterPathList: return master_path + ":" + w.text;
  }
  return w.text;
}

MasterReading ReadMasterLikePostconf(const MasterCf& master_cf) {
  MasterReading out;
  // The -F listing's reading pass; its output is not needed.
  PostconfOutput run = RunPostconfListing(master_cf, PostconfListing::kFields, [](std::string_view) {});
  for (const PostconfMessage& m : run.warnings) out.warnings.push_back("master.cf: " + m.text);
  // A fatal error not tied to a line comes from the name registration, which
  // the caller runs with main.cf in view (KnownNames::fatal).
  if (run.fatal && run.fatal->line != 0) {
    out.fatal = run.fatal->text;
    out.fatal_line = run.fatal->line;
  }
  return out;
}

std::vector<std::string> MasterUnusedWarnings(const KnownNames& known, const Defaults& defaults,
                                              const ServiceParams& service_params,
                                              const std::string& master_path, const DeprecatedParams* deprecated) {
  std::vector<std::string> out;
  for (size_t i = 0; i < known.local_params.size(); ++i) {
    const auto& valid = known.local_valid[i];
    for (const auto& [name, value] : known.local_params[i]) {
      const bool is_known = known.IsKnown(name, defaults, service_params) || valid.count(name) != 0;
      // Postfix 3.9+: a deprecated name gets its own text, known or not.
      std::optional<std::string> d = deprecated ? deprecated->Warning(master_path, name, is_known) : std::nullopt;
      if (d) {
        out.push_back(std::move(*d));
        continue;
      }
      if (is_known) continue;
      out.push_back(master_path + ": unused parameter: " + name + "=" + value);
    }
  }
  return out;
}

std::vector<std::set<std::string, std::less<>>> MasterUndefinedByService(const KnownNames& known,
                                                                          size_t service_count) {
  std::vector<std::set<std::string, std::less<>>> out(service_count);
  for (const PostconfWarning& w : known.warnings) {
    if (w.kind != PostconfWarning::Kind::kMasterUndefined || w.service < 0) continue;
    size_t i = static_cast<size_t>(w.service);
    if (i < out.size()) out[i].insert(w.text);
  }
  return out;
}

std::string MasterOpenFailure(const std::string& path, int error) {
  return "open " + path + ": " + std::strerror(error);
}

}  // namespace postvet
