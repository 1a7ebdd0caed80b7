// `postvet show FILE` / `show --expand FILE`: main.cf as `postconf -c DIR -n`
// (and `-x -n`) prints it, where DIR is FILE's directory, without the
// synthetic `config_directory = DIR` line. Warnings go to stderr in
// postconf's words, those about DIR/master.cf included (master_warnings.hpp);
// where postconf would die (a bad line, a macro error in a
// value it evaluates) postvet says why and exits 2. A master.cf (a file
// named *master.cf, or with --fields/--params/--entries) is printed as
// `postconf -M`, `-F` or `-P` would (show_master.hpp). A directory stands
// for the main.cf in it, or its master.cf for the master.cf listings.
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/cli/show_dbms_warnings.hpp"
#include "src/cli/show_master.hpp"
#include "src/cli/show_output.hpp"
#include "src/base/keep_until_exit.hpp"
#include "src/model/defaults.hpp"
#include "src/model/deprecated_params.hpp"
#include "src/model/known_names.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_services.hpp"
#include "src/model/master_warnings.hpp"
#include "src/model/null_byte_lines.hpp"
#include "src/model/param_context.hpp"
#include "src/model/postfix_strings.hpp"
#include "src/base/file_bytes.hpp"
#include "src/model/target_version.hpp"
#include "src/base/source.hpp"

namespace postvet {
namespace {

void Warn(const std::string& text) {
  std::string line = "postvet: warning: " + text;
  MakePrintableFrom(line, 0);
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), stderr);
}
void Fail(const std::string& text) { std::fprintf(stderr, "%s\n", Printable("postvet: " + text).c_str()); }

// The directory postconf would be given with -c.
std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Reading main.cf (dict_load_fp): leading-whitespace warnings, "overriding
// earlier entry" warnings and the first fatal line, in file order.
// Returns false when Postfix would stop.
bool ReportReading(const std::string& file, const MainCf& main_cf, const std::string& dir) {
  struct Event {
    uint32_t offset;
    std::string text;
    bool fatal;
  };
  std::vector<Event> events;
  const auto& defs = main_cf.definitions();
  for (const MainCfOverride& o : main_cf.overrides()) {
    if (!o.value_differs) continue;
    const MainCfDefinition& later = defs[o.later];
    events.push_back({later.name_begin,
                      fmt::format("{}, line {}: overriding earlier entry: {}={}", file, later.line, later.name,
                                  defs[o.earlier].value),
                      false});
  }
  // `postconf -c DIR` stores config_directory = DIR before reading main.cf.
  for (const MainCfDefinition& d : defs) {
    if (d.name != "config_directory") continue;
    if (d.value != dir) {
      events.push_back({d.name_begin,
                        fmt::format("{}, line {}: overriding earlier entry: config_directory={}", file, d.line, dir),
                        false});
    }
    break;
  }
  for (const MainCfBadLine& b : main_cf.bad_lines()) {
    events.push_back({b.begin,
                      b.fatal() ? fmt::format("{}, line {}: {}", file, b.line, b.reason)
                                : fmt::format("{}: {}", file, b.reason),
                      b.fatal()});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.offset < b.offset; });
  for (const Event& e : events) {
    if (e.fatal) {
      Fail(e.text);
      return false;
    }
    Warn(e.text);
  }
  return true;
}

// The services of DIR/master.cf; false when postconf would die reading it.
// Postfix 3.9+ readllines(): "text after null byte" warnings for `bytes`,
// up to the logical line starting at `last_line` (0: all).
void WarnNullBytes(PostfixVersion series, std::string_view bytes, const std::string& path, uint32_t last_line = 0) {
  if (series < kNullByteWarningsSince) return;
  for (const NullByteWarning& w : NullByteWarnings(bytes, path)) {
    if (last_line == 0 || w.first <= last_line) Warn(w.text);
  }
}

bool ReadSiblingMaster(const std::string& dir, std::vector<MasterServiceInfo>* services, PostfixVersion series) {
  std::string path = dir + "/master.cf";
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    Warn(fmt::format("open {}: No such file or directory", path));
    return true;
  }
  Result<Source> src = ReadSource(path, path);
  if (!src.ok()) {
    Warn(src.status().message());
    return true;
  }
  Cst cst = ParseMasterCf(*src);
  MasterReading reading = ReadMasterLikePostconf(BuildMasterCf(cst));
  WarnNullBytes(series, src->text(), path, reading.fatal ? reading.fatal_line : 0);
  for (const std::string& w : reading.warnings) Warn(w);
  if (reading.fatal) {
    Fail(fmt::format("{}, line {}: {}", path, reading.fatal_line, *reading.fatal));
    return false;
  }
  *services = ReadMasterServices(cst);
  return true;
}

int ShowMainCf(const std::string& file, bool expand, const std::string& version) {
  // A big main.cf can draw hundreds of thousands of warnings: buffer stderr
  // (unbuffered, each would be a write); exit flushes it.
  static char err_buffer[1 << 16];
  std::setvbuf(stderr, err_buffer, _IOFBF, sizeof err_buffer);
  Result<FileBuffer> bytes = ReadFileBuffer(file, file);
  if (!bytes.ok()) {
    Fail(bytes.status().message());
    return kExitError;
  }
  const std::string dir = DirectoryOf(file);
  // Kept until exit: freeing a big model piece by piece costs time for nothing.
  // No Cst: show reads only the definitions, built straight from the bytes
  // (continued values joined in place).
  FileBuffer& text = *KeepUntilExit(std::make_unique<FileBuffer>(std::move(bytes.value())));
  // Before BuildInPlace rewrites continued values: readllines()'s NUL warnings.
  std::vector<NullByteWarning> main_nul = NullByteWarnings(text.view(), file);
  const MainCf& main_cf = *KeepUntilExit(std::make_unique<MainCf>(MainCf::BuildInPlace(text.data(), text.size())));
  if (!ReportReading(file, main_cf, dir)) return kExitError;

  // The target Postfix's table (--postfix-version, or compatibility_level).
  const TargetVersion target = TargetVersion::Choose(version, main_cf.Value("compatibility_level"));
  if (target.guessed()) std::fprintf(stderr, "%s\n", Printable("postvet: note: " + target.GuessNote()).c_str());
  const Defaults& defaults = target.defaults();
  std::vector<MasterServiceInfo> services;
  if (target.version() >= kNullByteWarningsSince) {
    for (const NullByteWarning& w : main_nul) Warn(w.text);
  }
  if (!ReadSiblingMaster(dir, &services, target.version())) return kExitError;
  ServiceParams service_params = DeriveServiceParams(services, defaults);
  ParamContext ctx(main_cf, defaults);
  ctx.SetConfigDirectory(dir);
  ctx.SetServiceParams(&service_params);

  const KnownNames& known =
      *KeepUntilExit(std::make_unique<KnownNames>(ComputeKnownNames(main_cf, defaults, services, service_params, ctx)));
  const std::string master_path = dir + "/master.cf";
  for (const PostconfWarning& w : known.warnings) Warn(FormatWarning(w, file, master_path));
  if (known.fatal) {
    Fail(fmt::format("{}: {}", file, *known.fatal));
    return kExitError;
  }
  // The database client files the values name (show_dbms_warnings.hpp).
  DbmsFileReport dbms = ReadDbmsFilesLikePostconf(known);
  for (const std::string& w : dbms.warnings) Warn(w);
  if (dbms.fatal) {
    Fail(*dbms.fatal);
    return kExitError;
  }

  std::vector<const MainCfDefinition*> shown;
  std::vector<const MainCfDefinition*> unused;
  const std::vector<uint32_t>& effective = main_cf.EffectiveInOrder();
  for (size_t k = 0; k < effective.size(); ++k) {
    const MainCfDefinition& d = main_cf.definitions()[effective[k]];
    if (!known.hidden.empty() && std::find(known.hidden.begin(), known.hidden.end(), d.name) != known.hidden.end()) {
      continue;
    }
    (known.IsKnownEffective(k, d.name, defaults, service_params) ? shown : unused).push_back(&d);
  }
  std::sort(shown.begin(), shown.end(),
            [](const MainCfDefinition* a, const MainCfDefinition* b) { return a->name < b->name; });
  int rc = kExitOk;
  {
    ChunkedWriter out(stdout);
    for (const MainCfDefinition* d : shown) {
      std::string_view value = d->value;
      std::string expanded;
      if (expand && !defaults.IsRaw(d->name)) {
        MacroOutcome o = ctx.ExpandOutcome(value);
        if (o.error) {
          out.Flush();
          std::fflush(stdout);
          for (const std::string& w : o.warnings) Warn(w);
          Fail(fmt::format("{}: {}: {}", file, d->name, o.fatal_message));
          return kExitError;
        }
        expanded = std::move(o.value);
        value = expanded;
      }
      // pcf_print_line(): whitespace runs become one space.
      std::string& line = out.buffer();
      line.append(d->name).append(" =");
      size_t before = line.size();
      line.push_back(' ');
      AppendNormalizedSpace(line, value);
      if (line.size() == before + 1) line.pop_back();
      line.push_back('\n');
      out.EndLine();
    }
  }
  std::fflush(stdout);
  // Postfix 3.9+: deprecated names (known or not) get their own warning.
  const DeprecatedParams& deprecated = DeprecatedParams::For(target.version());
  std::vector<std::string> deprecation;
  for (const MainCfDefinition* d : shown) {
    if (auto w = deprecated.Warning(file, d->name, true)) deprecation.push_back(std::move(*w));
  }
  std::erase_if(unused, [&](const MainCfDefinition* d) {
    auto w = deprecated.Warning(file, d->name, false);
    if (w) deprecation.push_back(std::move(*w));
    return w.has_value();
  });
  for (const std::string& w : deprecation) Warn(w);
  {
    ChunkedWriter err(stderr);
    // The same start on every line: made printable once.
    std::string start = "postvet: warning: " + file + ": unused parameter: ";
    MakePrintableFrom(start, 0);
    for (const MainCfDefinition* d : unused) {
      std::string& line = err.buffer();
      line.append(start);
      size_t from = line.size();
      line.append(d->name).push_back('=');
      line.append(d->value);
      MakePrintableFrom(line, from);
      line.push_back('\n');
      err.EndLine();
    }
  }
  for (const std::string& w : MasterUnusedWarnings(known, defaults, service_params, master_path, &deprecated)) Warn(w);
  return rc;
}

bool IsMasterCfName(const std::string& path) {
  constexpr std::string_view kName = "master.cf";
  return path.size() >= kName.size() && path.compare(path.size() - kName.size(), kName.size(), kName) == 0;
}

}  // namespace

void AddShowCommand(CLI::App& app, int* exit_code) {
  auto file = std::make_shared<std::string>();
  auto fields = std::make_shared<bool>(false);
  auto params = std::make_shared<bool>(false);
  auto entries = std::make_shared<bool>(false);
  auto expand = std::make_shared<bool>(false);
  auto version = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("show", "Print a file as Postfix reads it (postconf -n/-x/-M/-F/-P)");
  cmd->add_option("file", *file, "main.cf, master.cf, or a config dir (its main.cf)")->required();
  CLI::Option* expand_flag = cmd->add_flag("--expand,-x", *expand, "main.cf values after $-expansion (postconf -x -n)");
  CLI::Option* fields_flag = cmd->add_flag("--fields", *fields, "master.cf as postconf -F prints it");
  CLI::Option* params_flag = cmd->add_flag("--params", *params, "master.cf -o overrides as postconf -P prints it");
  cmd->add_flag("--entries", *entries, "master.cf as postconf -M prints it (the default for *master.cf)")
      ->excludes(fields_flag)
      ->excludes(params_flag)
      ->excludes(expand_flag);
  fields_flag->excludes(params_flag)->excludes(expand_flag);
  cmd->add_option("--postfix-version", *version,
                  "Target Postfix version (default 3.7, or what compatibility_level implies)")
      ->check(PostfixVersionError, "VERSION");
  params_flag->excludes(expand_flag);
  cmd->callback([=] {
    bool master = *fields || *params || *entries;
    std::string path = *file;
    struct stat st;
    if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      path = (path.ends_with('/') ? path : path + "/") + (master ? "master.cf" : "main.cf");
    } else if (!master && !*expand && IsMasterCfName(path)) {
      *entries = true;
    }
    if (*fields) {
      *exit_code = ShowMasterFields(path, *version);
    } else if (*params) {
      *exit_code = ShowMasterParams(path, *version);
    } else if (*entries) {
      *exit_code = ShowMasterEntries(path, *version);
    } else {
      *exit_code = ShowMainCf(path, *expand, *version);
    }
  });
}

}  // namespace postvet
