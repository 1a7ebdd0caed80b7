#include "rules/dnsbl/reply_maps.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/table_lookup.hpp"
#include "src/model/main_cf.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet::dnsbl {
namespace {

using Kind = ReplyAnswer::Kind;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// extpar(): "{ text }" -> "text"; nullopt when the braces do not close at the end.
std::optional<std::string_view> StripBraces(std::string_view s) {
  if (s.empty() || s.front() != '{') return s;
  if (s.back() != '}') return std::nullopt;
  return Trim(s.substr(1, s.size() - 2));
}

ReplyAnswer Unknown(std::string why) { return {Kind::kUnknown, std::move(why)}; }

// dict_inline: "{ key = value, { key = value with blanks } }", keys folded.
ReplyAnswer LookupInline(std::string_view map, std::string_view body, const std::string& key) {
  std::optional<std::string_view> inner = StripBraces(body);
  if (!inner || body.empty() || body.front() != '{') return Unknown(fmt::format("{} is not a valid inline table", map));
  for (std::string_view item : SplitPostfixList(*inner)) {
    std::optional<std::string_view> nameval = StripBraces(item);
    if (!nameval) return Unknown(fmt::format("{} is not a valid inline table", map));
    size_t eq = nameval->find('=');
    if (eq == std::string_view::npos) return Unknown(fmt::format("{} is not a valid inline table", map));
    if (Lower(Trim(nameval->substr(0, eq))) == key) return {Kind::kFound, std::string(Trim(nameval->substr(eq + 1)))};
  }
  return {};
}

// The config directory's files on this machine: `path` as the daemons see
// it (under config_directory) mapped into the directory main.cf was read from.
std::optional<std::string> LocalPath(const LintContext& ctx, std::string_view path) {
  const InputFile* main = ctx.main_file();
  if (main == nullptr) return std::nullopt;
  std::string config_dir = "/etc/postfix";
  if (std::optional<std::string_view> v = ctx.main_cf().Value("config_directory")) {
    Result<std::string> e = ctx.Params().Expand(*v);
    if (!e.ok()) return std::nullopt;
    config_dir = e.value();
  }
  if (config_dir.empty() || config_dir.back() != '/') config_dir += '/';
  if (!path.starts_with(config_dir)) return std::nullopt;
  const std::string& main_path = main->source->path();
  size_t slash = main_path.rfind('/');
  std::string dir = slash == std::string::npos ? "" : main_path.substr(0, slash + 1);
  return dir + std::string(path.substr(config_dir.size()));
}

// texthash: postmap's input format (key, blanks, value; '#' comment lines;
// lines starting with a blank continue the previous one), keys folded.
ReplyAnswer LookupTexthash(const LintContext& ctx, std::string_view map, std::string_view path,
                           const std::string& key) {
  std::optional<std::string> local = LocalPath(ctx, path);
  if (!local) return Unknown(fmt::format("{} is outside the configuration directory", map));
  std::ifstream in(*local, std::ios::binary | std::ios::ate);
  if (!in) return Unknown(fmt::format("{} cannot be read", map));
  // A reply map is a few lines; past this size postvet does not read it.
  constexpr std::streamoff kMaxBytes = 16 << 20;
  const std::streamoff size = in.tellg();
  if (size < 0 || size > kMaxBytes) return Unknown(fmt::format("{} cannot be read whole", map));
  in.seekg(0);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  std::vector<std::string> logical;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t lf = text.find('\n', pos);
    std::string_view line(text.data() + pos, (lf == std::string::npos ? text.size() : lf) - pos);
    pos = lf == std::string::npos ? text.size() : lf + 1;
    std::string_view trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if ((line.front() == ' ' || line.front() == '\t') && !logical.empty()) {
      logical.back() += " " + std::string(trimmed);
    } else {
      logical.emplace_back(trimmed);
    }
  }
  for (const std::string& l : logical) {
    size_t blank = l.find_first_of(" \t");
    std::string_view k = std::string_view(l).substr(0, blank);
    if (Lower(k) != key) continue;
    return {Kind::kFound, blank == std::string::npos ? "" : std::string(Trim(std::string_view(l).substr(blank)))};
  }
  return {};
}

ReplyAnswer LookupRegexp(const LintContext& ctx, std::string_view map, std::string_view path,
                         std::string_view key) {
  std::optional<std::string> local = LocalPath(ctx, path);
  for (const auto& file : ctx.files()) {
    if (file->kind != FileKind::kRegexpTable && file->kind != FileKind::kPcreTable) continue;
    const Location& ref = file->reference;
    bool named_here = ref.source != nullptr && ref.source->Slice(ref.begin, ref.end) == path;
    if (!named_here && (!local || file->source->path() != *local)) continue;
    LookupResult r = Lookup(ctx.table(*file), key);
    if (!r.found) return {};
    return {Kind::kFound, r.value};
  }
  return Unknown(fmt::format("{} was not loaded", map));
}

ReplyAnswer LookupOne(const LintContext& ctx, std::string_view map, std::string_view key) {
  std::string_view ref = map;
  if (ref.starts_with("proxy:")) ref.remove_prefix(6);
  size_t colon = ref.find(':');
  if (colon == std::string_view::npos) return Unknown(fmt::format("{} is no type:name map", map));
  std::string_view type = ref.substr(0, colon);
  std::string_view name = ref.substr(colon + 1);
  if (type == "inline") return LookupInline(map, name, Lower(key));
  if (type == "static") {
    std::optional<std::string_view> text = StripBraces(name);
    if (!text) return Unknown(fmt::format("{} is not a valid static map", map));
    return {Kind::kFound, std::string(*text)};
  }
  if (type == "texthash") return LookupTexthash(ctx, map, name, Lower(key));
  if (type == "regexp" || type == "pcre") return LookupRegexp(ctx, map, name, key);
  return Unknown(fmt::format("postvet cannot read {} tables ({})", type, map));
}

}  // namespace

ReplyAnswer LookupReply(const LintContext& ctx, std::string_view param, const MasterService* scope,
                        std::string_view key) {
  Result<std::string> value = ctx.Params(scope).ExpandParam(param);
  if (!value.ok()) return Unknown(fmt::format("{} does not expand", param));
  for (std::string_view map : SplitPostfixList(value.value())) {
    ReplyAnswer a = LookupOne(ctx, map, key);
    if (a.kind != Kind::kNotFound) return a;
  }
  return {};
}

std::vector<const MasterService*> ListScopes(const DnsblList& list) {
  std::vector<const MasterService*> scopes = {list.service};
  scopes.insert(scopes.end(), list.also_services.begin(), list.also_services.end());
  return scopes;
}

std::optional<std::string> ReplyChange(const LintContext& ctx, const DnsblList& list, const DnsblUse& use,
                                       std::string_view new_key) {
  if (!IsRejectCheck(use.check) || use.entry == new_key) return std::nullopt;
  for (const MasterService* scope : ListScopes(list)) {
    ReplyAnswer before = LookupReply(ctx, "rbl_reply_maps", scope, use.entry);
    ReplyAnswer after = LookupReply(ctx, "rbl_reply_maps", scope, new_key);
    const std::string where = scope == nullptr ? "" : fmt::format(" in {}", ScopeName(scope));
    if (before.kind == Kind::kUnknown || after.kind == Kind::kUnknown) {
      return fmt::format("rbl_reply_maps{} may hold a reply for {} ({}), so the reply a rejected client gets may "
                         "change",
                         where, use.entry, before.kind == Kind::kUnknown ? before.text : after.text);
    }
    if (before == after) continue;
    auto show = [](const ReplyAnswer& a) {
      return a.kind == Kind::kFound ? fmt::format("\"{}\"", a.text) : std::string("default_rbl_reply");
    };
    return fmt::format("rbl_reply_maps{} gives {} the reply {}, but {} gets {}", where, use.entry, show(before),
                       new_key, show(after));
  }
  return std::nullopt;
}

}  // namespace postvet::dnsbl
