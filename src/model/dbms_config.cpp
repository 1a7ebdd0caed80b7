#include "src/model/dbms_config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "src/base/embedded.hpp"
#include "src/base/tsv.hpp"

namespace postvet {
namespace {

struct Setting {
  std::string_view name;
  DbmsNeed need = DbmsNeed::kOptional;
};

struct DbmsTable {
  std::map<std::string_view, std::vector<std::string_view>, std::less<>> names;
  std::map<std::string_view, std::vector<Setting>, std::less<>> settings;
};

// rules/data/dbms-settings.tsv: type, name, required. Views into the
// embedded bytes, which live as long as the program.
const DbmsTable& Table() {
  static const DbmsTable table = [] {
    DbmsTable t;
    for (const auto& f : TsvRows(FindEmbedded("rules/data/dbms-settings.tsv").value_or(""), 3)) {
      std::string_view type = f[0];
      std::string_view name = f[1];
      std::string_view need = f[2];
      t.names[type].push_back(name);
      t.settings[type].push_back(
          {name, need == "yes" ? DbmsNeed::kRequired : need == "query" ? DbmsNeed::kQuery : DbmsNeed::kOptional});
    }
    for (auto& [type, names] : t.names) std::sort(names.begin(), names.end());
    return t;
  }();
  return table;
}

}  // namespace

const std::vector<std::string_view>& DbmsSuffixes(std::string_view type) {
  static const std::vector<std::string_view> kNone;
  const auto& names = Table().names;
  auto it = names.find(type);
  return it == names.end() ? kNone : it->second;
}

bool IsDbmsClientType(std::string_view type) { return !DbmsSuffixes(type).empty(); }

DbmsNeed DbmsSettingNeed(std::string_view type, std::string_view name) {
  const auto& settings = Table().settings;
  auto it = settings.find(type);
  if (it == settings.end()) return DbmsNeed::kOptional;
  for (const Setting& s : it->second) {
    if (s.name == name) return s.need;
  }
  return DbmsNeed::kOptional;
}

std::optional<DbmsFileRef> ParseDbmsFileRef(std::string_view token) {
  // postconf_dbms.c: split at ':' while the type is "proxy".
  std::string_view type = token;
  std::string_view rest;
  for (;;) {
    size_t colon = type.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    rest = type.substr(colon + 1);
    type = type.substr(0, colon);
    if (type != "proxy") break;
    type = rest;
  }
  if (rest.empty() || rest.front() != '/' || !IsDbmsClientType(type)) return std::nullopt;
  return DbmsFileRef{type, rest};
}

DbmsFileReport DbmsOpenFailure(std::string_view type, const std::string& path, int error) {
  DbmsFileReport out;
  if (error == EACCES) return out;
  out.warnings.push_back(fmt::format("open \"{}\" configuration \"{}\": {}", type, path,
                                     error == 0 ? "not a regular file" : std::strerror(error)));
  return out;
}

DbmsFileReport DbmsFileWarnings(std::string_view type, const std::string& path, const MainCf& settings) {
  // dict_load_fp(): the same reading as main.cf, in file order.
  struct Event {
    uint32_t offset;
    std::string text;
    bool fatal;
  };
  std::vector<Event> events;
  const auto& defs = settings.definitions();
  for (const MainCfOverride& o : settings.overrides()) {
    if (!o.value_differs) continue;
    const MainCfDefinition& later = defs[o.later];
    events.push_back({later.name_begin,
                      fmt::format("{}, line {}: overriding earlier entry: {}={}", path, later.line, later.name,
                                  defs[o.earlier].value),
                      false});
  }
  for (const MainCfBadLine& b : settings.bad_lines()) {
    events.push_back({b.begin,
                      b.fatal() ? fmt::format("{}, line {}: {}", path, b.line, b.reason)
                                : fmt::format("{}: {}", path, b.reason),
                      b.fatal()});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.offset < b.offset; });
  DbmsFileReport out;
  for (Event& e : events) {
    if (e.fatal) {
      out.fatal = std::move(e.text);
      return out;
    }
    out.warnings.push_back(std::move(e.text));
  }
  // pcf_check_dbms_client(): delete the known names, report the rest.
  const std::vector<std::string_view>& known = DbmsSuffixes(type);
  for (uint32_t i : settings.EffectiveInOrder()) {
    const MainCfDefinition& d = defs[i];
    if (std::binary_search(known.begin(), known.end(), std::string_view(d.name))) continue;
    out.warnings.push_back(fmt::format("{}:{}: unused parameter: {}={}", type, path, d.name, d.value));
  }
  return out;
}

}  // namespace postvet
