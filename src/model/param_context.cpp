#include "src/model/param_context.hpp"

#include <unistd.h>

#include "src/model/host_networks.hpp"
#include "src/model/postfix_strings.hpp"
#include "src/model/source_features.hpp"

namespace postvet {
namespace {

constexpr std::string_view kDictFatal = "dictionary mail_dict: macro processing error";

bool IsAddressLiteral(std::string_view token) {
  if (token.size() >= 2 && token.front() == '[' && token.back() == ']') {
    token = token.substr(1, token.size() - 2);
  }
  for (char c : token) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' ||
              c == ':' || c == '%';
    if (!ok) return false;
  }
  return !token.empty();
}

bool LooksLikeHostname(std::string_view token) {
  for (char c : token) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return !token.empty();
}

void MergeInto(MacroOutcome* out, const MacroOutcome& from) {
  out->warnings.insert(out->warnings.end(), from.warnings.begin(), from.warnings.end());
  if (from.error) out->error = true;
  if (from.fatal && !out->fatal) {
    out->fatal = true;
    out->fatal_message = from.fatal_message;
  }
}

std::string JoinMessage(const MacroOutcome& o) {
  std::string msg;
  for (const std::string& w : o.warnings) msg += w + "; ";
  msg += o.fatal_message.empty() ? "macro processing error" : o.fatal_message;
  return msg;
}

}  // namespace

ParamContext::ParamContext(const MainCf& main_cf, const Defaults& defaults)
    : main_cf_(main_cf), defaults_(defaults),
      dialect_{&SourceFeatures::ForDefaults(defaults).relop_suffixes()} {}

void ParamContext::SetConfigDirectory(std::string dir) { config_dir_ = std::move(dir); }

void ParamContext::SetService(std::string service, std::string command,
                              std::vector<std::pair<std::string, std::string>> overrides) {
  has_service_ = true;
  size_t slash = command.rfind('/');
  service_process_ = slash == std::string::npos ? command : command.substr(slash + 1);
  // master.cf: service_name is field 1 unless it equals the program name.
  service_name_ = service;
  overrides_.clear();
  for (auto& [name, value] : overrides) overrides_[name] = value;  // later wins
}

std::optional<std::string_view> ParamContext::Explicit(std::string_view name) const {
  if (hidden_.find(name) != hidden_.end()) return std::nullopt;
  std::optional<std::string_view> v = main_cf_.Value(name);
  if (!v && config_dir_ && name == "config_directory") return std::string_view(*config_dir_);
  return v;
}

bool ParamContext::IsTableName(std::string_view name) const {
  if (defaults_.IsBuiltin(name)) return true;
  return service_params_ != nullptr && service_params_->find(name) != service_params_->end();
}

std::optional<std::string_view> ParamContext::Lookup(std::string_view name) {
  if (stress_ && name == "stress") return std::string_view(*stress_);
  if (has_service_) {
    if (name == "process_name") return std::string_view(service_process_);
    if (name == "service_name") return std::string_view(service_name_);
    auto it = overrides_.find(std::string(name));
    if (it != overrides_.end()) return std::string_view(it->second);
  }
  if (std::optional<std::string_view> v = Explicit(name)) return v;
  if (const DefaultEntry* e = defaults_.Find(name)) {
    switch (e->cls) {
      case ParamClass::kHost: {
        auto it = host_cache_.find(std::string(name));
        if (it != host_cache_.end()) return std::string_view(it->second);
        std::string value = HostDefault(name, &pending_);
        auto [pos, unused] = host_cache_.emplace(std::string(name), std::move(value));
        return std::string_view(pos->second);
      }
      case ParamClass::kReadOnly:
        if (name == "process_name") return std::string_view(process_name_);
        if (name == "process_id") {
          auto [pos, unused] = host_cache_.emplace("process_id", std::to_string(getpid()));
          return std::string_view(pos->second);
        }
        return e->value;
      default:
        return e->value;
    }
  }
  if (service_params_ != nullptr) {
    auto it = service_params_->find(name);
    if (it != service_params_->end()) return std::string_view(it->second);
  }
  return std::nullopt;
}

MacroOutcome ParamContext::ExpandOutcome(std::string_view value) {
  MacroOutcome saved = std::move(pending_);
  pending_ = MacroOutcome();
  MacroLookup lookup = [this](std::string_view name, bool) { return Lookup(name); };
  MacroOutcome out = MacroExpand(value, ExpandMode::kRecurse, lookup, nullptr, dialect_);
  if (!pending_.warnings.empty() || pending_.fatal) {
    MacroOutcome merged = std::move(pending_);
    merged.value = std::move(out.value);
    merged.undefined = out.undefined;
    MergeInto(&merged, out);
    out = std::move(merged);
  }
  pending_ = std::move(saved);
  if (out.error && !out.fatal) {
    out.fatal = true;
    out.fatal_message = "macro processing error";
  }
  return out;
}

Result<std::string> ParamContext::Expand(std::string_view value) {
  MacroOutcome o = ExpandOutcome(value);
  if (o.error) return Status::Error(JoinMessage(o));
  return std::move(o.value);
}

Result<std::string> ParamContext::ExpandParam(std::string_view name) {
  std::optional<std::string_view> v = Lookup(name);
  if (!v) return Status::Error("undefined parameter: " + std::string(name));
  if (defaults_.IsRaw(name)) return std::string(*v);
  return Expand(*v);
}

MacroOutcome ParamContext::EvalExplicit(std::string_view name, bool* is_set) {
  std::optional<std::string_view> v = Explicit(name);
  *is_set = v.has_value();
  if (!v) return MacroOutcome();
  MacroLookup lookup = [this](std::string_view n, bool) { return Explicit(n); };
  MacroOutcome o = MacroExpand(*v, ExpandMode::kRecurse, lookup, nullptr, dialect_);
  if (o.error && !o.fatal) {
    o.fatal = true;
    o.fatal_message = std::string(kDictFatal);
  }
  return o;
}

std::string ParamContext::HostDefault(std::string_view name, MacroOutcome* out) {
  if (++host_depth_ > 4) {
    --host_depth_;
    return std::string();
  }
  std::string result;
  bool set = false;
  if (name == "myhostname") {
    // postconf_builtin.c pcf_check_myhostname(): gethostname(), and a name
    // without a dot gets ".$mydomain" (main.cf value) or ".localdomain".
    result = HostName();
    if (result.find('.') == std::string::npos) {
      MacroOutcome o = EvalExplicit("mydomain", &set);
      MergeInto(out, o);
      result += "." + (set ? o.value : std::string("localdomain"));
    }
  } else if (name == "mydomain") {
    MacroOutcome o = EvalExplicit("myhostname", &set);
    MergeInto(out, o);
    std::string host = set ? o.value : HostDefault("myhostname", out);
    size_t dot = host.find('.');
    result = dot == std::string::npos ? std::string("localdomain") : host.substr(dot + 1);
  } else if (name == "mynetworks") {
    // pcf_mynetworks(): the three inputs come from main.cf (evaluated) or
    // from their expanded defaults.
    auto input = [&](std::string_view param) {
      bool is_set = false;
      MacroOutcome o = EvalExplicit(param, &is_set);
      if (!is_set) o = ExpandOutcome(defaults_.Default(param).value_or(""));
      MergeInto(out, o);
      return o.value;
    };
    std::string interfaces = input("inet_interfaces");
    std::string style = input("mynetworks_style");
    std::string protocols = input("inet_protocols");
    std::string error;
    if (!DefaultMynetworks(style, protocols, &result, &error) && !out->fatal) {
      out->error = out->fatal = true;
      out->fatal_message = error;
    }
    // own_inet_addr_list(): hostnames are resolved; text that cannot be a
    // hostname is "host not found" (no lookup is made here).
    for (std::string_view token : SplitTokensQuoted(interfaces, ", \t\r\n")) {
      if (token == "all" || token == "loopback-only" || IsAddressLiteral(token)) continue;
      if (!LooksLikeHostname(token) && !out->fatal) {
        out->error = out->fatal = true;
        out->fatal_message = "config variable inet_interfaces: host not found: " + std::string(token);
      }
    }
  }
  --host_depth_;
  return result;
}

}  // namespace postvet
