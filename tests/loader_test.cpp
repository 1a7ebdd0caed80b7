// The loader (src/config/loader.hpp) over files held in memory
// (MemoryReader): which files a configuration directory brings in, how
// table paths are mapped into the directory, what becomes a load problem
// (PV002) and what a tool error. No temporary directory: the paths below do
// not exist on disk.
#include <catch2/catch.hpp>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include "src/base/file_reader.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"

namespace postvet {
namespace {

using Files = std::map<std::string, std::string>;

constexpr const char* kDir = "/nonexistent-postvet-loader/cfg";

std::string In(const std::string& name) { return std::string(kDir) + "/" + name; }

Result<std::unique_ptr<LintContext>> Load(const MemoryReader& reader, LoadOptions options = {}) {
  options.reader = &reader;
  return LoadConfigDir(kDir, "cfg", ProjectConfig{}, options);
}

TEST_CASE("a directory brings in main.cf, master.cf and the tables they name") {
  MemoryReader reader(Files{
      {In("main.cf"), "header_checks = regexp:/etc/postfix/header_checks\n"
                      "body_checks = pcre:$config_directory/body_checks\n"},
      {In("master.cf"), "smtp inet n - y - - smtpd\n  -o header_checks=regexp:/etc/postfix/header_checks\n"},
      {In("header_checks"), "/^Subject: x/ REJECT\n"},
      {In("body_checks"), "/y/ DISCARD\n"},
  });
  auto ctx = Load(reader);
  REQUIRE(ctx.ok());
  const auto& files = (*ctx)->files();
  REQUIRE(files.size() == 4);
  CHECK(files[0]->source->display() == "cfg/main.cf");
  CHECK(files[0]->kind == FileKind::kMainCf);
  CHECK(files[1]->source->display() == "cfg/master.cf");
  CHECK(files[1]->kind == FileKind::kMasterCf);
  std::map<std::string, const InputFile*> tables;
  for (size_t i = 2; i < files.size(); ++i) tables[files[i]->source->display()] = files[i].get();
  REQUIRE(tables.count("cfg/header_checks") == 1);
  REQUIRE(tables.count("cfg/body_checks") == 1);
  CHECK(tables["cfg/header_checks"]->kind == FileKind::kRegexpTable);
  CHECK(tables["cfg/body_checks"]->kind == FileKind::kPcreTable);
  // Read once, named twice.
  CHECK(tables["cfg/header_checks"]->used_by.size() == 2);
  CHECK((*ctx)->problems().empty());
}

TEST_CASE("a table that cannot be read is a load problem at its reference") {
  MemoryReader reader(Files{{In("main.cf"), "header_checks = regexp:/etc/postfix/missing\n"}});
  auto ctx = Load(reader);
  REQUIRE(ctx.ok());
  CHECK((*ctx)->files().size() == 1);
  REQUIRE((*ctx)->problems().size() == 1);
  const LoadProblem& p = (*ctx)->problems()[0];
  CHECK(p.path == "/etc/postfix/missing");
  CHECK(p.message == "cannot open: No such file or directory");
  REQUIRE(p.where.source != nullptr);
  CHECK(p.where.source->Slice(p.where.begin, p.where.end).find("/etc/postfix/missing") != std::string_view::npos);
}

// A reader that refuses some paths for lack of permission, as the disk
// does for a non-root user and a 0640 root:postfix file.
class NoPermission : public FileReader {
 public:
  NoPermission(Files files, std::string denied) : files_(std::move(files)), denied_(std::move(denied)) {}
  Result<Source> Read(const std::string& path, const std::string& display) const override {
    if (path == denied_) return Status::Error(display + ": cannot open: " + std::strerror(EACCES));
    return files_.Read(path, display);
  }
  bool Exists(const std::string& path) const override { return path == denied_ || files_.Exists(path); }

 private:
  MemoryReader files_;
  std::string denied_;
};

TEST_CASE("a database client file without read permission is skipped, as postconf does") {
  for (const char* map : {"mysql", "regexp"}) {
    NoPermission reader(Files{{In("main.cf"), std::string("virtual_alias_maps = ") + map + ":/etc/postfix/secret.cf\n"}},
                        In("secret.cf"));
    LoadOptions options;
    options.reader = &reader;
    auto ctx = LoadConfigDir(kDir, "cfg", ProjectConfig{}, options);
    REQUIRE(ctx.ok());
    CHECK((*ctx)->files().size() == 1);
    // A regexp table is read by the daemon as it is: unreadable is a finding.
    CHECK((*ctx)->problems().size() == (std::string(map) == "mysql" ? 0U : 1U));
  }
}

TEST_CASE("a table path that leads out of the directory is refused, not read") {
  MemoryReader reader(Files{
      {In("main.cf"), "header_checks = regexp:/etc/postfix/../../outside\n"},
      {"/outside", "/x/ REJECT\n"},
  });
  auto ctx = Load(reader);
  REQUIRE(ctx.ok());
  CHECK((*ctx)->files().size() == 1);
  REQUIRE((*ctx)->problems().size() == 1);
  CHECK((*ctx)->problems()[0].message.find("leads outside config_directory") != std::string::npos);
}

TEST_CASE("tables elsewhere are read under --root only") {
  MemoryReader reader(Files{
      {In("main.cf"), "header_checks = regexp:/srv/checks\n"},
      {"/nonexistent-postvet-loader/root/srv/checks", "/x/ REJECT\n"},
  });
  auto without = Load(reader);
  REQUIRE(without.ok());
  CHECK((*without)->files().size() == 1);
  CHECK((*without)->problems().empty());  // not ours to read: silently skipped

  LoadOptions options;
  options.root = "/nonexistent-postvet-loader/root";
  auto with = Load(reader, options);
  REQUIRE(with.ok());
  REQUIRE((*with)->files().size() == 2);
  CHECK((*with)->files()[1]->source->display() == "/nonexistent-postvet-loader/root/srv/checks");
}

TEST_CASE("a directory with neither main.cf nor master.cf is a tool error") {
  MemoryReader reader(Files{{In("other.cf"), "a = 1\n"}});
  auto ctx = Load(reader);
  REQUIRE_FALSE(ctx.ok());
  CHECK(ctx.status().message() == "cfg: neither main.cf nor master.cf found");
}

TEST_CASE("the fix overlay wins over the reader") {
  MemoryReader reader(Files{{In("main.cf"), "a = 1\n"}});
  std::map<std::string, std::string> overlay{{In("main.cf"), "a = 2\n"}};
  LoadOptions options;
  options.overlay = &overlay;
  auto ctx = Load(reader, options);
  REQUIRE(ctx.ok());
  CHECK((*ctx)->files()[0]->source->text() == "a = 2\n");
}

TEST_CASE("a lone file takes its kind from --type, its name or its content") {
  MemoryReader reader(Files{
      {"/nonexistent-postvet-loader/master.cf", "smtp inet n - y - - smtpd\n"},
      {"/nonexistent-postvet-loader/checks", "/^From:/ REJECT\n"},
      {"/nonexistent-postvet-loader/anything", "a = 1\n"},
  });
  LoadOptions options;
  options.reader = &reader;
  auto kind_of = [&](const std::string& path, LoadOptions o) {
    auto ctx = LoadSingleFile(path, ProjectConfig{}, o);
    REQUIRE(ctx.ok());
    return (*ctx)->files()[0]->kind;
  };
  CHECK(kind_of("/nonexistent-postvet-loader/master.cf", options) == FileKind::kMasterCf);
  CHECK(kind_of("/nonexistent-postvet-loader/checks", options) == FileKind::kRegexpTable);
  CHECK(kind_of("/nonexistent-postvet-loader/anything", options) == FileKind::kMainCf);
  LoadOptions typed = options;
  typed.type = FileKind::kPcreTable;
  CHECK(kind_of("/nonexistent-postvet-loader/anything", typed) == FileKind::kPcreTable);

  auto missing = LoadSingleFile("/nonexistent-postvet-loader/none", ProjectConfig{}, options);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "/nonexistent-postvet-loader/none: cannot open: No such file or directory");
}

}  // namespace
}  // namespace postvet
