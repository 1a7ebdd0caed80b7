#include "src/model/known_names.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "src/model/builtin_shapes.hpp"
#include "src/model/expand.hpp"
#include "src/model/plain_macro_refs.hpp"
#include "src/model/postfix_strings.hpp"
#include "src/model/source_features.hpp"

namespace postvet {
namespace {

constexpr std::string_view kListSeparators = ", \t\r\n";  // CHARS_COMMA_SP

struct SuffixDefault {
  std::string_view suffix;
  std::string_view value;  // "$default_...": what the derived name defaults to
};

// postconf_service.c: the 16 scheduler parameters of delivery agents; pipe
// adds _time_limit, spawn has only _time_limit.
constexpr SuffixDefault kTimeLimit = {"_time_limit", "$command_time_limit"};
constexpr SuffixDefault kDeliveryParams[] = {
    {"_recipient_limit", "$default_recipient_limit"},
    {"_extra_recipient_limit", "$default_extra_recipient_limit"},
    {"_recipient_refill_limit", "$default_recipient_refill_limit"},
    {"_recipient_refill_delay", "$default_recipient_refill_delay"},
    {"_delivery_slot_cost", "$default_delivery_slot_cost"},
    {"_delivery_slot_loan", "$default_delivery_slot_loan"},
    {"_delivery_slot_discount", "$default_delivery_slot_discount"},
    {"_minimum_delivery_slots", "$default_minimum_delivery_slots"},
    {"_initial_destination_concurrency", "$initial_destination_concurrency"},
    {"_destination_concurrency_limit", "$default_destination_concurrency_limit"},
    {"_destination_recipient_limit", "$default_destination_recipient_limit"},
    {"_destination_concurrency_positive_feedback", "$default_destination_concurrency_positive_feedback"},
    {"_destination_concurrency_negative_feedback", "$default_destination_concurrency_negative_feedback"},
    {"_destination_concurrency_failed_cohort_limit",
     "$default_destination_concurrency_failed_cohort_limit"},
    {"_destination_rate_delay", "$default_destination_rate_delay"},
    {"_transport_rate_delay", "$default_transport_rate_delay"},
};

// Postfix 3.8 and later warn about a #comment token in a value scanned for
// database names (postconf_dbms.c, mystrtokq_cw()), and stop that scan;
// their warnings from that scan name main.cf and master.cf by path.
bool CommentCheck(const Defaults& defaults) {
  const DefaultEntry* v = defaults.Find("mail_version");
  std::optional<PostfixVersion> series = v ? PostfixVersion::Parse(v->value) : std::nullopt;
  return series && *series >= PostfixVersion{3, 8};
}

// One postconf run over the name spaces.
class Registrar {
 public:
  Registrar(const MainCf& main_cf, const Defaults& defaults, const std::vector<MasterServiceInfo>& services,
            const ServiceParams& service_params, ParamContext& ctx, KnownNames& out)
      : main_cf_(main_cf), defaults_(defaults), services_(services), service_params_(service_params),
        ctx_(ctx), out_(out), comment_check_(CommentCheck(defaults)),
        dialect_{&SourceFeatures::ForDefaults(defaults).relop_suffixes()} {
    for (const MasterServiceInfo& s : services_) {
      std::map<std::string, std::string, std::less<>> dict;
      for (const auto& [name, value] : s.overrides) dict[name] = value;
      locals_.push_back(std::move(dict));
    }
    for (const auto& dict : locals_) {
      for (const auto& [name, value] : dict) any_local_.emplace(name);
    }
    out_.local_valid.resize(services_.size());
  }

  void Run() {
    for (size_t i = 0; i < services_.size() && !Stopped(); ++i) ScanLocal(i);
    if (!Stopped()) ScanDefaults();
    if (!Stopped()) ScanMain();
    // The name spaces as postconf's unused-parameter pass sees them.
    out_.local_params.resize(services_.size());
    for (size_t i = 0; i < services_.size(); ++i) {
      for (const auto& [name, value] : services_[i].overrides) {
        auto it = locals_[i].find(name);
        if (it == locals_[i].end()) continue;
        auto& params = out_.local_params[i];
        bool seen = false;
        for (const auto& [n, v] : params) seen = seen || n == name;
        if (!seen) params.emplace_back(name, it->second);
      }
    }
  }

 private:
  bool Stopped() const { return out_.fatal.has_value(); }

  bool InTable(std::string_view name) const {
    return defaults_.IsBuiltin(name) || service_params_.count(name) != 0 || out_.user.count(name) != 0;
  }

  // Builtin or service parameter (not legacy, not user): gets the dbms scan.
  bool BuiltinOrService(std::string_view name) const {
    const DefaultEntry* e = defaults_.Find(name);
    if (e != nullptr) return e->cls != ParamClass::kLegacy;
    return service_params_.count(name) != 0;
  }

  void Fatal(const MacroOutcome& o) {
    for (const std::string& w : o.warnings) out_.warnings.push_back({PostconfWarning::Kind::kMacro, w});
    out_.fatal = o.fatal_message.empty() ? std::string("macro processing error") : o.fatal_message;
  }

  // pcf_flag_user_parameter(); `local` is a service index or -1.
  void Flag(std::string_view name, bool dbms, int local) {
    if (local >= 0 || dbms || name.empty()) {
      FlagOnce(name, dbms, local);
      return;
    }
    std::string& quiet = quiet_[QuietSlot(name)];
    if (quiet == name) return;
    if (FlagOnce(name, dbms, local)) quiet.assign(name);
  }

  // A slot of quiet_ for `name` (not empty).
  static size_t QuietSlot(std::string_view name) {
    return (name.size() * 31 + static_cast<unsigned char>(name.front()) * 7U +
            static_cast<unsigned char>(name.back())) % kQuietSlots;
  }

  // Flag()'s work. Returns true when flagging `name` again in the main.cf
  // scope would change nothing: no -o name space holds it, and it is set in
  // main.cf (and now known) or built in. The first stays so until
  // HideExplicit() (which clears quiet_), the second for good (names are
  // only ever added to the table).
  bool FlagOnce(std::string_view name, bool dbms, int local) {
    bool user_supplied = false;
    bool is_explicit = false;
    if (local >= 0 && locals_[static_cast<size_t>(local)].count(name) != 0) {
      user_supplied = true;
      out_.local_valid[static_cast<size_t>(local)].emplace(name);
    } else if (ctx_.Explicit(name)) {
      user_supplied = is_explicit = true;
      if (!InTable(name)) out_.user.insert(std::string(name));
    }
    bool in_any_local = false;
    if (local < 0 && any_local_.count(name) != 0) {
      in_any_local = true;
      // $name in main.cf (or a default) validates name=value in every service.
      for (size_t i = 0; i < locals_.size(); ++i) {
        if (locals_[i].count(name) == 0) continue;
        user_supplied = true;
        out_.local_valid[i].emplace(name);
      }
    }
    bool in_table = false;
    if (!user_supplied && !dbms) {
      in_table = InTable(name);
      if (!in_table) {
        out_.warnings.push_back({local < 0 ? PostconfWarning::Kind::kUndefined
                                           : PostconfWarning::Kind::kMasterUndefined,
                                 std::string(name), local});
      }
    }
    return !in_any_local && (is_explicit || in_table);
  }

  void Scan(std::string_view value, int local) {
    // Without a '$' mac_parse() sees one literal: no name, no warning. With
    // plain $name references only (most values): the same names, in order,
    // and no warning, without the general scan.
    if (PlainRefs plain; PlainMacroRefs(value, &plain)) {
      for (size_t i = 0; i < plain.count; ++i) Flag(plain.names[i], false, local);
      return;
    }
    MacroLookup none = [](std::string_view, bool) -> std::optional<std::string_view> { return std::nullopt; };
    MacroNameSink sink = [&](std::string_view name, uint32_t) { Flag(name, false, local); };
    MacroOutcome o = MacroExpand(value, ExpandMode::kScan, none, sink, dialect_);
    // postconf ignores the scan's status; its warnings are printed.
    for (const std::string& w : o.warnings) out_.warnings.push_back({PostconfWarning::Kind::kMacro, w});
  }

  // pcf_register_dbms_parameters(): expand, then look for type:prefix.
  void Dbms(std::string_view value, int local) {
    MacroOutcome o;
    if (local >= 0) {
      const MasterServiceInfo& s = services_[static_cast<size_t>(local)];
      ParamContext scoped = ctx_;
      scoped.SetService(s.service, s.command, s.overrides);
      o = scoped.ExpandOutcome(value);
    } else {
      o = ctx_.ExpandOutcome(value);
    }
    if (o.error) {
      Fatal(o);
      return;
    }
    DbmsHelper(o.value, local, 0);
  }

  // `recurse`: Postfix 3.8+ does not look inside a {...} token of an inline
  // regexp/pcre table (PCF_DBMS_NO_RECURSE); before 3.8 it always does.
  void DbmsHelper(std::string_view text, int local, int depth, bool recurse = true) {
    if (depth > 100) return;
    for (std::string_view token : SplitTokensQuoted(text, kListSeparators)) {
      if (comment_check_ && token[0] == '#') {
        // mystrtokq_cw(): the token and up to 20 bytes after its separator,
        // then the scan of this text ends.
        size_t end = static_cast<size_t>(token.data() - text.data()) + token.size();
        std::string_view rest = text.substr(std::min(end + 1, text.size()));
        rest = rest.substr(0, std::min(rest.find('\0'), size_t{20}));
        out_.warnings.push_back({local < 0 ? PostconfWarning::Kind::kComment : PostconfWarning::Kind::kMasterComment,
                                 "#comment after other text is not allowed: " +
                                     std::string(token.substr(0, token.find('\0'))) + " " + std::string(rest) + "...",
                                 local});
        return;
      }
      if (token[0] == '{') {
        ExtparResult ex = Extpar(token, false);
        if (!ex.error.empty()) ListWarning(ex.error, local);
        if (recurse) DbmsHelper(ex.text, local, depth + 1, recurse);
        continue;
      }
      std::string_view type = token;
      std::optional<std::string_view> prefix;
      for (;;) {
        size_t colon = type.find(':');
        if (colon == std::string_view::npos) {
          prefix.reset();
          break;
        }
        prefix = type.substr(colon + 1);
        type = type.substr(0, colon);
        if (type != "proxy") break;
        type = *prefix;
      }
      if (!prefix) continue;
      // An absolute path names a client configuration file, which postconf
      // reads to report its unused settings (dbms_config.hpp), once per
      // type:path; '.' is skipped.
      if (!prefix->empty() && (*prefix)[0] == '/') {
        if (IsDbmsClientType(type)) {
          std::pair<std::string, std::string> file{std::string(type), std::string(*prefix)};
          if (std::find(out_.dbms_files.begin(), out_.dbms_files.end(), file) == out_.dbms_files.end()) {
            out_.dbms_files.push_back(std::move(file));
          }
        }
        continue;
      }
      if (!prefix->empty() && (*prefix)[0] == '.') continue;
      if (!prefix->empty() && (*prefix)[0] == '{') {
        ExtparResult ex = Extpar(*prefix, false);
        if (!ex.error.empty()) ListWarning(ex.error, local);
        DbmsHelper(ex.text, local, depth + 1, recurse && (!comment_check_ || (type != "regexp" && type != "pcre")));
        continue;
      }
      for (std::string_view suffix : DbmsSuffixes(type)) {
        Flag(std::string(*prefix) + "_" + std::string(suffix), true, local);
      }
    }
  }

  // An extpar() error in a database-client list: "main.cf: ..." or
  // "master.cf:SERVICE/TYPE: ..." (the service's name space).
  // From 3.8 on the file is named by its path ("DIR/main.cf: ...",
  // "DIR/master.cf:SERVICE/TYPE: ...", pcf_get_main_path()).
  void ListWarning(const std::string& error, int local) {
    if (local < 0) {
      out_.warnings.push_back({comment_check_ ? PostconfWarning::Kind::kComment : PostconfWarning::Kind::kList, error});
      return;
    }
    const MasterServiceInfo& s = services_[static_cast<size_t>(local)];
    out_.warnings.push_back({comment_check_ ? PostconfWarning::Kind::kMasterPathList : PostconfWarning::Kind::kMasterList,
                             s.service + "/" + s.type + ": " + error});
  }

  // mystrtok() on CHARS_COMMA_SP (no brace grouping).
  void ScanRestrictionClasses(const MacroOutcome& classes, int local) {
    std::string_view text = classes.value;
    size_t p = 0;
    while (p < text.size()) {
      while (p < text.size() && kListSeparators.find(text[p]) != std::string_view::npos) ++p;
      size_t start = p;
      while (p < text.size() && kListSeparators.find(text[p]) == std::string_view::npos) ++p;
      if (p > start) Flag(text.substr(start, p - start), false, local);
    }
  }

  void ScanLocal(size_t i) {
    const auto& dict = locals_[i];
    if (dict.empty()) return;
    int local = static_cast<int>(i);
    auto rc = dict.find("smtpd_restriction_classes");
    if (rc != dict.end()) {
      MacroLookup lookup = [&dict](std::string_view n, bool) -> std::optional<std::string_view> {
        auto it = dict.find(n);
        if (it == dict.end()) return std::nullopt;
        return std::string_view(it->second);
      };
      MacroOutcome o = MacroExpand(rc->second, ExpandMode::kRecurse, lookup, nullptr, dialect_);
      if (o.error) {
        Fatal(o);
        return;
      }
      ScanRestrictionClasses(o, local);
    }
    // A copy: read-only names are deleted from the name space on the way.
    const std::map<std::string, std::string, std::less<>> entries = dict;
    for (const auto& [name, value] : entries) {
      if (Stopped()) return;
      if (InTable(name) && defaults_.IsReadOnly(name)) {
        out_.warnings.push_back({PostconfWarning::Kind::kMasterReadOnly, name + "=" + value});
        locals_[i].erase(name);
        continue;
      }
      if (InTable(name) && defaults_.IsRaw(name)) continue;
      Scan(value, local);
      if (BuiltinOrService(name)) Dbms(value, local);
    }
  }

  void ScanDefaults() {
    for (const DefaultEntry& e : defaults_.entries()) {
      if (Stopped()) return;
      if (e.cls == ParamClass::kRaw || ctx_.Explicit(e.name)) continue;
      if (e.cls == ParamClass::kHost) {
        MacroOutcome o;
        std::string value = ctx_.HostDefault(e.name, &o);
        if (o.fatal) {
          Fatal(o);
          return;
        }
        Scan(value, -1);
      } else {
        Scan(e.value, -1);
      }
    }
    for (const auto& [name, value] : service_params_) {
      if (!ctx_.Explicit(name)) Scan(value, -1);
    }
  }

  void ScanMain() {
    bool set = false;
    MacroOutcome classes = ctx_.EvalExplicit("smtpd_restriction_classes", &set);
    if (set) {
      if (classes.error) {
        Fatal(classes);
        return;
      }
      ScanRestrictionClasses(classes, -1);
    }
    // config_directory (the -c seed) when main.cf does not set it, then
    // main.cf's effective definitions, each name looked up in the built-in
    // table once.
    if (!main_cf_.Find("config_directory")) {
      if (std::optional<std::string_view> dir = ctx_.Explicit("config_directory")) {
        RegisterMain("config_directory", *dir, defaults_.Find("config_directory"));
      }
    }
    const std::vector<uint32_t>& effective = main_cf_.EffectiveInOrder();
    out_.main_entries.resize(effective.size());
    const BuiltinShapes shapes(defaults_);
    for (size_t k = 0; k < effective.size(); ++k) {
      std::string_view name = main_cf_.definitions()[effective[k]].name;
      out_.main_entries[k] = shapes.MayHold(name) ? defaults_.Find(name) : nullptr;
    }
    for (size_t k = 0; k < effective.size(); ++k) {
      const MainCfDefinition& d = main_cf_.definitions()[effective[k]];
      RegisterMain(d.name, d.value, out_.main_entries[k]);
    }
  }

  // One main.cf name=value of ScanMain(); `entry` is the name's built-in row.
  void RegisterMain(std::string_view name, std::string_view value, const DefaultEntry* entry) {
    if (Stopped()) return;
    if (entry != nullptr || service_params_.count(name) != 0 || out_.user.count(name) != 0) {  // InTable()
      if (entry != nullptr && entry->cls == ParamClass::kReadOnly) {
        out_.warnings.push_back(
            {PostconfWarning::Kind::kReadOnly, std::string(name) + "=" + std::string(value)});
        out_.hidden.emplace_back(name);
        ctx_.HideExplicit(name);
        for (std::string& q : quiet_) q.clear();
        return;
      }
      if (entry != nullptr && entry->cls == ParamClass::kRaw) return;
    }
    Scan(value, -1);
    // BuiltinOrService()
    if (entry != nullptr ? entry->cls != ParamClass::kLegacy : service_params_.count(name) != 0) Dbms(value, -1);
  }

  const MainCf& main_cf_;
  const Defaults& defaults_;
  const std::vector<MasterServiceInfo>& services_;
  const ServiceParams& service_params_;
  ParamContext& ctx_;
  KnownNames& out_;
  const bool comment_check_;  // see CommentCheck()
  const MacroDialect dialect_;  // the release's operator suffixes (source_features.hpp)
  std::vector<std::map<std::string, std::string, std::less<>>> locals_;
  // Names Flag() met in the main.cf scope that flagging again would not
  // change (see Flag()): a small cache, one name per slot (copies: some
  // scanned values are temporaries). Big generated files reference the
  // same few names in every value.
  static constexpr size_t kQuietSlots = 64;
  std::array<std::string, kQuietSlots> quiet_;
  std::set<std::string, std::less<>> any_local_;  // every name some service sets with -o (a superset once read-only names go)
};

}  // namespace

ServiceParams DeriveServiceParams(const std::vector<MasterServiceInfo>& services, const Defaults& defaults) {
  ServiceParams out;
  auto add = [&](const std::string& service, const SuffixDefault& p) {
    std::string name = service + std::string(p.suffix);
    // Names that are built in keep their own default (e.g. local_destination_concurrency_limit).
    if (defaults.IsBuiltin(name)) return;
    out.emplace(std::move(name), p.value);
  };
  for (const MasterServiceInfo& s : services) {
    const std::string& cmd = s.command;
    if (cmd == "local" || cmd == "error" || cmd == "virtual" || cmd == "smtp" || cmd == "lmtp" ||
        cmd == "pipe") {
      if (cmd == "pipe") add(s.service, kTimeLimit);
      for (const SuffixDefault& p : kDeliveryParams) add(s.service, p);
    } else if (cmd == "spawn") {
      add(s.service, kTimeLimit);
    }
  }
  return out;
}

bool KnownNames::IsKnown(std::string_view name, const Defaults& defaults, const ServiceParams& service) const {
  return defaults.IsBuiltin(name) || service.count(name) != 0 || user.count(name) != 0;
}

bool KnownNames::IsKnownEffective(size_t i, std::string_view name, const Defaults& defaults,
                                  const ServiceParams& service) const {
  bool builtin = i < main_entries.size() ? main_entries[i] != nullptr : defaults.IsBuiltin(name);
  return builtin || service.count(name) != 0 || user.count(name) != 0;
}

KnownNames ComputeKnownNames(const MainCf& main_cf, const Defaults& defaults,
                             const std::vector<MasterServiceInfo>& services,
                             const ServiceParams& service_params, ParamContext& ctx) {
  KnownNames out;
  Registrar(main_cf, defaults, services, service_params, ctx, out).Run();
  return out;
}

}  // namespace postvet
