#include "src/base/file_kind.hpp"

namespace postvet {

std::optional<FileKind> FileKindFromName(std::string_view name) {
  if (name == "main" || name == "main.cf") return FileKind::kMainCf;
  if (name == "master" || name == "master.cf") return FileKind::kMasterCf;
  if (name == "regexp") return FileKind::kRegexpTable;
  if (name == "pcre") return FileKind::kPcreTable;
  return std::nullopt;
}

std::optional<FileKind> FileKindFromPath(std::string_view path) {
  std::string_view base = path.substr(path.find_last_of('/') + 1);
  auto ends_with = [&](std::string_view s) { return base.size() >= s.size() && base.substr(base.size() - s.size()) == s; };
  if (base.find("master") != std::string_view::npos && ends_with(".cf")) return FileKind::kMasterCf;
  if (ends_with(".cf")) return FileKind::kMainCf;
  if (ends_with(".pcre")) return FileKind::kPcreTable;
  if (ends_with(".regexp") || ends_with("_checks")) return FileKind::kRegexpTable;
  return std::nullopt;
}

}  // namespace postvet
