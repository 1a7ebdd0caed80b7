#include "src/facts/master/option_names.hpp"

#include <algorithm>
#include <map>

#include "src/facts/master/master_common.hpp"
#include "src/model/defaults.hpp"
#include "src/model/source_features.hpp"
#include "src/model/expand.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/postfix_strings.hpp"

namespace postvet::master_rules {
namespace {

constexpr std::string_view kListSeparators = ", \t\r\n";  // CHARS_COMMA_SP

using NameSet = std::set<std::string, std::less<>>;

void AddRefs(std::string_view value, NameSet* out) {
  for (const MacroRef& r : ListMacroRefs(value)) out->emplace(r.name);
}

// pcf_register_dbms_parameters(): `type:prefix` tokens of an expanded value
// make `<prefix>_<suffix>` names valid for the database types postconf knows.
void AddDbmsNames(std::string_view text, int depth, NameSet* out) {
  if (depth > 20) return;
  for (std::string_view token : SplitTokensQuoted(text, kListSeparators)) {
    if (token.empty()) continue;
    if (token[0] == '{') {
      AddDbmsNames(Extpar(token, false).text, depth + 1, out);
      continue;
    }
    std::string_view type = token;
    std::string_view prefix;
    bool have_prefix = false;
    for (;;) {
      size_t colon = type.find(':');
      if (colon == std::string_view::npos) {
        have_prefix = false;
        break;
      }
      prefix = type.substr(colon + 1);
      type = type.substr(0, colon);
      have_prefix = true;
      if (type != "proxy") break;
      type = prefix;
    }
    if (!have_prefix || prefix.empty() || prefix[0] == '/' || prefix[0] == '.') continue;
    if (prefix[0] == '{') {
      AddDbmsNames(Extpar(prefix, false).text, depth + 1, out);
      continue;
    }
    for (std::string_view suffix : DbmsSuffixes(type)) out->insert(std::string(prefix) + "_" + std::string(suffix));
  }
}

// Names a restriction class list makes valid (mystrtok on CHARS_COMMA_SP).
void AddClassNames(std::string_view classes, NameSet* out) {
  for (std::string_view item : SplitList(classes)) out->emplace(item);
}

}  // namespace

OptionNames::OptionNames(const LintContext& ctx)
    : service_params_(ctx.service_params()), defaults_(ctx.target().defaults()) {
  const Defaults& defaults = defaults_;
  const MainCf& main_cf = ctx.main_cf();
  const MasterCf& master = ctx.master_cf();

  std::vector<MasterServiceInfo> infos;
  for (const MasterService& svc : master.services) {
    MasterServiceInfo info;
    info.service = svc.field(MasterField::kService).text;
    info.type = svc.field(MasterField::kType).text;
    info.command = svc.field(MasterField::kCommand).text;
    info.overrides = OverridePairs(svc);
    infos.push_back(std::move(info));
  }

  auto built_in_or_service = [&](std::string_view name) {
    const DefaultEntry* e = defaults.Find(name);
    return e != nullptr ? e->cls != ParamClass::kLegacy : service_params_.count(name) != 0;
  };
  auto skip_value = [&](std::string_view name) {
    return defaults.IsBuiltin(name) && (defaults.IsReadOnly(name) || defaults.IsRaw(name));
  };

  // References from main.cf reach every service (pcf_flag_user_parameter
  // with no local scope).
  ParamContext main_scope(main_cf, defaults);
  main_scope.SetServiceParams(&service_params_);
  for (uint32_t i : main_cf.EffectiveInOrder()) {
    const MainCfDefinition& d = main_cf.definitions()[i];
    if (skip_value(d.name)) continue;
    AddRefs(d.value, &global_refs_);
    if (built_in_or_service(d.name)) {
      Result<std::string> expanded = main_scope.Expand(d.value);
      if (expanded.ok()) AddDbmsNames(*expanded, 0, &global_refs_);
    }
  }
  if (main_cf.Find("smtpd_restriction_classes") != nullptr) {
    Result<std::string> classes = main_scope.ExpandParam("smtpd_restriction_classes");
    if (classes.ok()) AddClassNames(*classes, &global_refs_);
  }

  // References from a service's own -o values reach that service only.
  NameSet cross_refs;
  for (size_t s = 0; s < master.services.size(); ++s) {
    const MasterService& svc = master.services[s];
    NameSet refs;
    std::map<std::string, std::string, std::less<>> dict;
    for (auto& [name, value] : OverridePairs(svc)) dict[name] = value;
    auto rc = dict.find("smtpd_restriction_classes");
    if (rc != dict.end()) {
      // Expanded with the service's own settings only, as postconf does.
      MacroLookup lookup = [&dict](std::string_view n, bool) -> std::optional<std::string_view> {
        auto it = dict.find(n);
        if (it == dict.end()) return std::nullopt;
        return std::string_view(it->second);
      };
      MacroOutcome o = MacroExpand(rc->second, ExpandMode::kRecurse, lookup, nullptr,
                                   MacroDialect{&SourceFeatures::ForDefaults(defaults).relop_suffixes()});
      if (!o.error) AddClassNames(o.value, &refs);
    }
    ParamContext scope(main_cf, defaults);
    scope.SetServiceParams(&service_params_);
    scope.SetService(std::string(svc.name()), std::string(CommandName(svc)), OverridePairs(svc));
    for (const auto& [name, value] : dict) {
      if (skip_value(name)) continue;
      AddRefs(value, &refs);
      if (built_in_or_service(name)) {
        Result<std::string> expanded = scope.Expand(value);
        if (expanded.ok()) AddDbmsNames(*expanded, 0, &refs);
      }
    }
    // A reference to a name this service does not set reaches main.cf.
    for (const std::string& name : refs) {
      if (dict.count(name) == 0) cross_refs.insert(name);
    }
    local_refs_.push_back(std::move(refs));
  }

  // main.cf's user-defined names that postconf validates (the global
  // table): referenced from main.cf or from a service that does not set them.
  for (uint32_t i : main_cf.EffectiveInOrder()) {
    std::string_view name = main_cf.definitions()[i].name;
    if (defaults.IsBuiltin(name) || service_params_.count(name) != 0) continue;
    if (global_refs_.count(name) != 0 || cross_refs.count(name) != 0) main_user_.emplace(name);
  }
}

OptionNames::Verdict OptionNames::Check(size_t service, std::string_view name) const {
  const Defaults& defaults = defaults_;
  if (defaults.IsBuiltin(name)) return defaults.IsReadOnly(name) ? Verdict::kReadOnly : Verdict::kKnown;
  if (service_params_.count(name) != 0 || main_user_.count(name) != 0) return Verdict::kKnown;
  if (global_refs_.count(name) != 0) return Verdict::kKnown;
  if (service < local_refs_.size() && local_refs_[service].count(name) != 0) return Verdict::kKnown;
  return Verdict::kUnused;
}

}  // namespace postvet::master_rules
