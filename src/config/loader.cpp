#include "src/config/loader.hpp"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "src/model/dbms_config.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kDefaultConfigDirectory = "/etc/postfix";

std::string JoinPath(const std::string& dir, std::string_view name) {
  if (dir.empty()) return std::string(name);
  return dir.back() == '/' ? dir + std::string(name) : dir + "/" + std::string(name);
}

// Reads `path`, preferring the fix overlay.
Result<Source> Read(const std::string& path, const std::string& display, const LoadOptions& options) {
  if (options.overlay != nullptr) {
    auto it = options.overlay->find(path);
    if (it != options.overlay->end()) return Source(path, display, it->second);
  }
  return (options.reader != nullptr ? *options.reader : Disk()).Read(path, display);
}

// A `regexp:`/`pcre:` table named in some value.
struct TableRef {
  FileKind kind;
  std::string path;   // as written, after expansion
  std::string param;  // the parameter (or service/param) naming it
  Location where;
  std::string restriction;  // the check_*_access restriction just before it, or ""
  std::string type;  // kDbmsConfig: ldap, mysql, ...
};

// `text` expanded as the daemons would (unchanged when it cannot be).
std::string Expanded(const LintContext& ctx, std::string_view text) {
  Result<std::string> out = ctx.Params().Expand(text);
  return out.ok() ? out.value() : std::string(text);
}

void FindRefs(std::string_view param, std::string_view raw_value, const std::string& expanded, Location value_loc,
              std::vector<TableRef>* refs) {
  std::string_view prev;
  for (std::string_view token : SplitPostfixList(expanded)) {
    // An access table is the argument of a check_*_access restriction.
    std::string_view before = std::exchange(prev, token);
    std::string_view restriction = before.rfind("check_", 0) == 0 && before.size() > 13 &&
                                           before.substr(before.size() - 7) == "_access"
                                       ? before
                                       : std::string_view();
    if (token.rfind("proxy:", 0) == 0) token.remove_prefix(6);
    FileKind kind;
    std::string_view type;
    if (token.rfind("regexp:", 0) == 0) {
      kind = FileKind::kRegexpTable;
      token.remove_prefix(7);
    } else if (token.rfind("pcre:", 0) == 0) {
      kind = FileKind::kPcreTable;
      token.remove_prefix(5);
    } else if (std::optional<DbmsFileRef> dbms = ParseDbmsFileRef(token)) {  // mysql:/x.cf (dbms_config.hpp)
      kind = FileKind::kDbmsConfig;
      type = dbms->type;
      token = dbms->path;
    } else {
      continue;
    }
    if (token.empty() || token.front() == '{') continue;  // inline table
    // Point at the path in the raw value when it is written there literally.
    Location where = value_loc;
    size_t at = raw_value.find(token);
    if (at != std::string_view::npos) {
      where.begin = value_loc.begin + static_cast<uint32_t>(at);
      where.end = where.begin + static_cast<uint32_t>(token.size());
    }
    refs->push_back({kind, std::string(token), std::string(param), where, std::string(restriction), std::string(type)});
  }
}

std::vector<TableRef> CollectTableRefs(const LintContext& ctx) {
  std::vector<TableRef> refs;
  const MainCf& main = ctx.main_cf();
  if (const InputFile* mf = ctx.main_file()) {
    for (uint32_t i : main.EffectiveInOrder()) {
      const MainCfDefinition& d = main.definitions()[i];
      Location loc{mf->source.get(), d.value_begin, d.value_end};
      FindRefs(d.name, mf->source->Slice(d.value_begin, d.value_end), Expanded(ctx, d.value), loc, &refs);
    }
  }
  if (const InputFile* ms = ctx.master_file()) {
    for (const MasterService& s : ctx.master_cf().services) {
      for (const MasterOverride& o : s.overrides) {
        if (!o.ok()) continue;
        Location loc{ms->source.get(), o.value_begin, o.value_end};
        FindRefs(fmt::format("{}/{}", s.NameSpace(), o.name), ms->source->Slice(o.value_begin, o.value_end),
                 Expanded(ctx, o.value), loc, &refs);
      }
    }
  }
  return refs;
}

// Whether `inner` is `outer` or below it (both absolute and normalised).
bool IsWithin(const fs::path& inner, const fs::path& outer) {
  auto [o, i] = std::mismatch(outer.begin(), outer.end(), inner.begin(), inner.end());
  return o == outer.end() || (std::next(o) == outer.end() && o->empty());  // "dir/" vs "dir"
}

// `p` with symbolic links resolved as far as it exists, else lexically normalised.
fs::path Resolved(const std::string& p) {
  std::error_code ec;
  fs::path absolute = fs::absolute(p, ec).lexically_normal();
  fs::path out = fs::weakly_canonical(absolute, ec);
  return ec ? absolute : out;
}

// Where a table path named in the configuration is found on this machine.
// The path is normalised first ("/etc/postfix/../x" is "/x", as the kernel
// reads it); a path under config_directory is looked for in `dir`, another
// absolute one under --root. Whatever it maps to must stay, symbolic links
// resolved, inside `dir` or --root: else nothing is read (nor ever fixed)
// and `refused` says why. Relative and other paths are not ours to read.
std::optional<std::string> MapTablePath(const std::string& path, const std::string& dir, const std::string& config_dir,
                                        const LoadOptions& options, std::string* refused) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  const std::string normal = fs::path(path).lexically_normal().string();
  std::string prefix = fs::path(config_dir).lexically_normal().string();
  if (prefix.empty() || prefix.back() != '/') prefix += '/';
  const bool written_under_config = path.rfind(prefix, 0) == 0;
  std::string mapped;
  if (normal.rfind(prefix, 0) == 0) {
    mapped = JoinPath(dir, normal.substr(prefix.size()));
  } else if (!options.root.empty()) {
    mapped = JoinPath(options.root, normal.substr(1));
  } else {
    if (written_under_config) {
      *refused = fmt::format("leads outside config_directory {} (to {}); postvet does not read it without --root",
                             config_dir, normal);
    }
    return std::nullopt;  // outside the config dir and no --root: not ours to read
  }
  const fs::path real = Resolved(mapped);
  if (IsWithin(real, Resolved(dir))) return mapped;
  if (!options.root.empty() && IsWithin(real, Resolved(options.root))) return mapped;
  *refused = fmt::format("resolves to {}, outside the {} (through a symbolic link); postvet does not read it",
                         real.string(),
                         options.root.empty() ? "configuration directory" : "configuration directory and --root");
  return std::nullopt;
}

}  // namespace

FileKind GuessKindFromContent(std::string_view text) {
  size_t pos = 0;
  int master_votes = 0;
  int table_votes = 0;
  int main_votes = 0;
  for (int lines = 0; pos < text.size() && lines < 200; ++lines) {
    size_t lf = text.find('\n', pos);
    std::string_view line = text.substr(pos, lf == std::string_view::npos ? std::string_view::npos : lf - pos);
    pos = lf == std::string_view::npos ? text.size() : lf + 1;
    if (line.empty() || IsSpace(line[0]) || line[0] == '#') continue;
    char c = line[0];
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum || line.rfind("if", 0) == 0 || line.rfind("endif", 0) == 0) {
      ++table_votes;
      continue;
    }
    size_t sp = line.find_first_of(" \t");
    size_t eq = line.find('=');
    if (eq != std::string_view::npos && (sp == std::string_view::npos || eq < line.find_first_not_of(" \t", sp) + 1)) {
      ++main_votes;
      continue;
    }
    std::string_view rest = sp == std::string_view::npos ? "" : line.substr(line.find_first_not_of(" \t", sp));
    for (std::string_view type : {"inet ", "unix ", "unix-dgram ", "fifo ", "pass ", "inet\t", "unix\t", "pass\t"}) {
      if (rest.rfind(type, 0) == 0) ++master_votes;
    }
  }
  if (master_votes > main_votes && master_votes >= table_votes) return FileKind::kMasterCf;
  if (table_votes > main_votes) return FileKind::kRegexpTable;
  return FileKind::kMainCf;
}

Result<std::unique_ptr<LintContext>> LoadConfigDir(const std::string& dir, const std::string& display,
                                                   const ProjectConfig& config, const LoadOptions& options) {
  auto ctx = std::make_unique<LintContext>(display, config);
  bool any = false;
  for (auto [name, kind] : {std::pair{"main.cf", FileKind::kMainCf}, std::pair{"master.cf", FileKind::kMasterCf}}) {
    std::string path = JoinPath(dir, name);
    const FileReader& reader = options.reader != nullptr ? *options.reader : Disk();
    if (!reader.Exists(path) && (options.overlay == nullptr || options.overlay->count(path) == 0)) continue;
    Result<Source> src = Read(path, JoinPath(display, name), options);
    if (!src.ok()) return src.status();
    ctx->AddFile(std::move(src.value()), kind);
    any = true;
  }
  if (!any) return Status::Error(fmt::format("{}: neither main.cf nor master.cf found", display));

  std::string config_dir(kDefaultConfigDirectory);
  if (std::optional<std::string_view> v = ctx->main_cf().Value("config_directory")) {
    config_dir = Expanded(*ctx, *v);
  }
  // Load each table once, whoever names it.
  std::map<std::string, InputFile*> loaded;
  std::set<std::string> reported;
  for (TableRef& ref : CollectTableRefs(*ctx)) {
    std::string refused;
    std::optional<std::string> path = MapTablePath(ref.path, dir, config_dir, options, &refused);
    if (!path) {
      // Said once per path, at its first reference (PV002).
      if (!refused.empty() && reported.insert(ref.path).second) {
        ctx->AddProblem({ref.where, ref.path, fmt::format("named by {}, {}", ref.param, refused)});
      }
      continue;
    }
    auto it = loaded.find(*path);
    if (it != loaded.end()) {
      it->second->used_by.push_back(ref.param);
      it->second->used_as.push_back(ref.restriction);
      continue;
    }
    std::string shown = path->rfind(dir, 0) == 0 ? JoinPath(display, std::string_view(*path).substr(dir.size() + (dir.back() == '/' ? 0 : 1))) : *path;
    Result<Source> src = Read(*path, shown, options);
    if (!src.ok()) {
      if (reported.insert(*path).second) {
        std::string message = src.status().message();
        std::string prefix = shown + ": ";
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
        ctx->AddProblem({ref.where, ref.path, message});
      }
      continue;
    }
    InputFile& f = ctx->AddFile(std::move(src.value()), ref.kind);
    f.used_by.push_back(ref.param);
    f.used_as.push_back(ref.restriction);
    f.reference = ref.where;
    f.table_type = ref.type;
    loaded.emplace(*path, &f);
  }
  return ctx;
}

Result<std::unique_ptr<LintContext>> LoadSingleFile(const std::string& path, const ProjectConfig& config,
                                                    const LoadOptions& options) {
  Result<Source> src = Read(path, path, options);
  if (!src.ok()) return src.status();
  std::optional<FileKind> kind = options.type ? options.type : FileKindFromPath(path);
  if (!kind) kind = GuessKindFromContent(src->text());
  auto ctx = std::make_unique<LintContext>(fs::path(path).parent_path().string(), config);
  ctx->AddFile(std::move(src.value()), *kind);
  return ctx;
}

}  // namespace postvet
