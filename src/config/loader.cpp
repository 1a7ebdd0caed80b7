#include "src/config/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "src/model/main_cf.hpp"
#include "src/config/table_refs.hpp"
#include "src/template/static_view.hpp"

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

bool Exists(const std::string& path, const LoadOptions& options) {
  const FileReader& reader = options.reader != nullptr ? *options.reader : Disk();
  return reader.Exists(path) || (options.overlay != nullptr && options.overlay->count(path) != 0);
}

// `path`, or when it does not exist the first `path<template suffix>` that
// does (header_checks.j2 for header_checks); nullopt when none exists.
std::optional<std::string> PlainOrTemplate(const std::string& path, const LoadOptions& options) {
  if (Exists(path, options)) return path;
  for (std::string_view suffix : tmpl::kTemplateSuffixes) {
    std::string candidate = path + std::string(suffix);
    if (Exists(candidate, options)) return candidate;
  }
  return std::nullopt;
}

// Adds `src` to `ctx` as a file of `kind` (nullopt: guessed from its
// content), through its static view when it is a template.
InputFile& AddSource(Source src, std::optional<FileKind> kind, const LoadOptions& options, LintContext* ctx) {
  const tmpl::TemplateKind tk = tmpl::DetectTemplateKind(
      src.path(), src.text(), options.template_setting.value_or(ctx->config().template_setting));
  if (tk == tmpl::TemplateKind::kNone) {
    if (!kind) kind = GuessKindFromContent(src.text());
    return ctx->AddFile(std::move(src), *kind);
  }
  const tmpl::Vars* vars = options.vars ? options.vars.get() : ctx->config().vars.get();
  tmpl::StaticView view = tmpl::MakeStaticView(src.text(), tk, vars);
  if (!view.info.rendered.empty()) {  // rendered: findings are reported against the template itself
    auto reported = std::make_shared<Source>(src.path(), src.display(), std::move(view.static_text));
    reported->set_written(std::string(src.text()));
    view.info.reported_source = std::move(reported);
  }
  Source shown(src.path(), src.display(), std::move(view.text));
  shown.set_written(std::string(src.text()));
  if (!kind) kind = GuessKindFromContent(shown.text());
  InputFile& f = ctx->AddFile(std::move(shown), *kind);
  f.template_info = std::make_shared<const tmpl::TemplateInfo>(std::move(view.info));
  return f;
}

// `text` expanded as the daemons would (unchanged when it cannot be).
bool EndsWith(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

std::string Expanded(const LintContext& ctx, std::string_view text) {
  Result<std::string> out = ctx.Params().Expand(text);
  return out.ok() ? out.value() : std::string(text);
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

namespace {

// Step 1: main.cf and master.cf of `dir`, read and parsed into `ctx`. An
// error when neither exists or one cannot be read.
Status AddConfigFiles(const std::string& dir, const std::string& display, const LoadOptions& options,
                      LintContext* ctx) {
  bool any = false;
  for (auto [name, kind] : {std::pair{"main.cf", FileKind::kMainCf}, std::pair{"master.cf", FileKind::kMasterCf}}) {
    std::optional<std::string> path = PlainOrTemplate(JoinPath(dir, name), options);  // or main.cf.j2, ...
    if (!path) continue;
    Result<Source> src = Read(*path, JoinPath(display, fs::path(*path).filename().string()), options);
    if (!src.ok()) return src.status();
    AddSource(std::move(src.value()), kind, options, ctx);
    any = true;
  }
  if (!any) return Status::Error(fmt::format("{}: neither main.cf nor master.cf found", display));
  return {};
}

// Step 2: every table the configuration names (TableReferencesOf(), from
// the models of step 1, built once), mapped into `dir` or --root, read and
// parsed once whoever names it; what cannot be read is a load problem.
void AddTables(const std::string& dir, const std::string& display, const LoadOptions& options, LintContext* ctx) {
  std::string config_dir(kDefaultConfigDirectory);
  if (std::optional<std::string_view> v = ctx->main_cf().Value("config_directory")) {
    config_dir = Expanded(*ctx, *v);
    if (tmpl::HasOpaque(config_dir)) config_dir = kDefaultConfigDirectory;  // set by a template expression
  }
  std::map<std::string, InputFile*> loaded;
  std::set<std::string> reported;
  for (const TableReference& ref : TableReferencesOf(*ctx)) {
    if (tmpl::HasOpaque(ref.path)) continue;  // named by a template expression: unknown
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
    // A table missing under its own name may be a template (header_checks.j2).
    const std::string named = *path;
    if (std::optional<std::string> t = PlainOrTemplate(*path, options); t && *t != *path) *path = *t;
    std::string shown = path->rfind(dir, 0) == 0 ? JoinPath(display, std::string_view(*path).substr(dir.size() + (dir.back() == '/' ? 0 : 1))) : *path;
    Result<Source> src = Read(*path, shown, options);
    if (!src.ok()) {
      // A database client file holds a password and is often readable by
      // root and postfix only (0640): postconf, and so postvet, say nothing
      // when it cannot be opened for lack of permission.
      if (ref.kind == FileKind::kDbmsConfig && EndsWith(src.status().message(), std::strerror(EACCES))) continue;
      if (reported.insert(*path).second) {
        std::string message = src.status().message();
        std::string prefix = shown + ": ";
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
        ctx->AddProblem({ref.where, ref.path, message});
      }
      continue;
    }
    InputFile& f = AddSource(std::move(src.value()), ref.kind, options, ctx);
    f.used_by.push_back(ref.param);
    f.used_as.push_back(ref.restriction);
    f.reference = ref.where;
    f.table_type = ref.type;
    loaded.emplace(named, &f);
  }
}

}  // namespace

Result<std::unique_ptr<LintContext>> LoadConfigDir(const std::string& dir, const std::string& display,
                                                   const ProjectConfig& config, const LoadOptions& options) {
  auto ctx = std::make_unique<LintContext>(display, config);
  Status added = AddConfigFiles(dir, display, options, ctx.get());
  if (!added.ok()) return added;
  AddTables(dir, display, options, ctx.get());
  return ctx;
}

Result<std::unique_ptr<LintContext>> LoadSingleFile(const std::string& path, const ProjectConfig& config,
                                                    const LoadOptions& options) {
  Result<Source> src = Read(path, path, options);
  if (!src.ok()) return src.status();
  // main.cf.j2 is a main.cf; a name that says nothing leaves the kind to the content.
  std::optional<FileKind> kind = options.type ? options.type : FileKindFromPath(tmpl::WithoutTemplateSuffix(path));
  auto ctx = std::make_unique<LintContext>(fs::path(path).parent_path().string(), config);
  AddSource(std::move(src.value()), kind, options, ctx.get());
  return ctx;
}

}  // namespace postvet
