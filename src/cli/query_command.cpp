// `postvet query --type regexp|pcre TABLE STRING`: looks STRING up in a
// regexp:/pcre: table and answers as `postmap -q STRING TYPE:TABLE` does with
// an empty main.cf (compatibility_level 0, so smtputf8_enable is off and raw
// bytes pass through unchecked): the result on stdout and exit 0 when found,
// nothing and exit 1 when not. STRING `-` reads one key a line from stdin
// and prints `key<TAB>value` for each hit (`postmap -q -`); the exit status
// is 0 when any key was found. TABLE may also be written `regexp:FILE` or
// `pcre:FILE`. The warnings Postfix prints when loading the table go to
// stderr with `postvet: warning: ` instead of `postmap: warning: `.
// An unreadable table is a tool error (exit 2), where postmap dies with
// `fatal: open FILE: ...` and exit 1.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "grammar/cst_builder.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/option_checks.hpp"
#include "src/model/table_lookup.hpp"
#include "src/model/null_byte_lines.hpp"
#include "src/model/regexp_table.hpp"
#include "src/model/release_table_warning.hpp"
#include "src/model/target_version.hpp"

namespace postvet {
namespace {

struct QueryOptions {
  std::string type;
  std::string table;
  std::string key;
  std::string version;  // --postfix-version (empty: 3.7)
};

// As the target release prints it (release_table_warning.hpp), if it does.
void PrintWarning(const TableWarning& warning, TableType type, const std::string& map_name,
                  PostfixVersion series) {
  std::optional<TableWarning> w = ReleaseTableWarning(warning, type, SourceFeatures::For(series));
  if (!w) return;
  std::string line = SanitizeMessage(FormatTableWarning(*w, type, map_name));
  fmt::print(stderr, "postvet: warning: {}\n", line);
}

// The table, loaded on first use as postmap opens maps lazily.
class LoadedTable {
 public:
  LoadedTable(std::string path, TableType type, PostfixVersion series)
      : path_(std::move(path)), type_(type), series_(series) {}

  // Loads the table and prints its warnings; false (after printing why)
  // when the file cannot be read.
  bool Load() {
    if (table_) return true;
    Result<Source> source = ReadSource(path_, path_);
    if (!source.ok()) {
      fmt::print(stderr, "postvet: query: {}\n", source.status().message());
      return false;
    }
    source_ = std::make_unique<Source>(std::move(*source));
    cst_ = std::make_unique<Cst>(ParseTable(*source_, type_));
    table_ = std::make_unique<RegexpTable>(RegexpTable::Build(*cst_, type_));
    // Postfix 3.9+ readllines() warns about a logical line with a NUL when
    // it reads it, before that line's own warnings.
    std::vector<NullByteWarning> nul;
    if (series_ >= kNullByteWarningsSince) nul = NullByteWarnings(source_->text(), path_);
    size_t next = 0;
    for (const TableWarning& w : table_->warnings()) {
      // "IF has no matching ENDIF" comes at the end of the file.
      const uint32_t at = w.code == TableWarningCode::kIfWithoutEndif ? UINT32_MAX : w.line;
      for (; next < nul.size() && nul[next].first <= at; ++next) PrintNullByteWarning(nul[next]);
      PrintWarning(w, type_, path_, series_);
    }
    for (; next < nul.size(); ++next) PrintNullByteWarning(nul[next]);
    return true;
  }

  // One lookup, with postmap's warnings for match errors and empty results.
  LookupResult Query(std::string_view key) const {
    LookupResult r = Lookup(*table_, key);
    for (const TableWarning& w : r.warnings) PrintWarning(w, type_, path_, series_);
    if (r.found && r.value.empty()) {
      std::string shown_key(key.substr(0, std::min(key.find('\0'), key.size())));
      fmt::print(stderr, "postvet: warning: {}\n",
                 SanitizeMessage(fmt::format("table {}:{}: key {}: empty string result is not allowed",
                                             TableTypeName(type_), path_, shown_key)));
      fmt::print(stderr, "postvet: warning: {}\n",
                 SanitizeMessage(fmt::format("table {}:{} should return NO RESULT in case of NOT FOUND",
                                             TableTypeName(type_), path_)));
    }
    return r;
  }

 private:
  static void PrintNullByteWarning(const NullByteWarning& w) {
    fmt::print(stderr, "postvet: warning: {}\n", SanitizeMessage(w.text));
  }

  std::string path_;
  TableType type_;
  PostfixVersion series_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<Cst> cst_;
  std::unique_ptr<RegexpTable> table_;
};

void Write(std::string_view text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int RunQuery(const QueryOptions& opt) {
  std::string path = opt.table;
  std::string type_name = opt.type;
  // postmap's own TYPE:NAME form, when --type is not given.
  if (type_name.empty()) {
    for (std::string_view prefix : {"regexp:", "pcre:"}) {
      if (path.rfind(prefix, 0) == 0) {
        type_name = std::string(prefix.substr(0, prefix.size() - 1));
        path = path.substr(prefix.size());
      }
    }
  }
  if (type_name.empty()) {
    fmt::print(stderr, "postvet: query: give --type regexp|pcre or write the table as regexp:FILE or pcre:FILE\n");
    return kExitError;
  }
  TableType type = type_name == "pcre" ? TableType::kPcre : TableType::kRegexp;
  LoadedTable table(path, type, TargetVersion::For(opt.version).version());
  if (opt.key != "-") {
    if (!table.Load()) return kExitError;
    LookupResult r = table.Query(opt.key);
    if (!r.found) return kExitFindings;
    Write(r.value);
    Write("\n");
    return kExitOk;
  }
  bool any = false;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!table.Load()) return kExitError;
    std::string_view key(line);
    key = key.substr(0, std::min(key.find('\0'), key.size()));
    LookupResult r = table.Query(key);
    if (!r.found) continue;
    any = true;
    Write(key);
    Write("\t");
    Write(r.value);
    Write("\n");
  }
  return any ? kExitOk : kExitFindings;
}

}  // namespace

void AddQueryCommand(CLI::App& app, int* exit_code) {
  auto opt = std::make_shared<QueryOptions>();
  CLI::App* cmd = app.add_subcommand(
      "query", "Look a string up in a regexp/pcre table, like postmap -q STRING TYPE:TABLE");
  cmd->add_option("--type", opt->type, "regexp or pcre (or write the table as TYPE:FILE)")
      ->check(CLI::IsMember({"regexp", "pcre"}));
  cmd->add_option("table", opt->table, "The table file (or regexp:FILE, pcre:FILE)")->required();
  cmd->add_option("string", opt->key, "The key to look up; - reads keys from stdin")->required();
  cmd->add_option("--postfix-version", opt->version, "Target Postfix version (default 3.7): which warnings it gives")
      ->check(PostfixVersionError, "VERSION");
  cmd->callback([opt, exit_code] { *exit_code = RunQuery(*opt); });
}

}  // namespace postvet
