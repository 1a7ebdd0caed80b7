// Database client configuration files (issue 23 part 2): the generated
// setting list (rules/data/dbms-settings.tsv through src/model/dbms_config),
// postconf's warnings for one file, the loader bringing the files in as
// FileKind::kDbmsConfig (mapped like tables, refused outside the tree), and
// PV310/PV311/PV001 on them.
#include <catch2/catch.hpp>

#include <cerrno>
#include <map>
#include <string>

#include "grammar/cst_builder.hpp"
#include "rules/registry.hpp"
#include "src/base/file_reader.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"
#include "src/engine/engine.hpp"
#include "src/model/dbms_config.hpp"
#include "tests/message_shape.hpp"

namespace postvet {
namespace {

using Files = std::map<std::string, std::string>;
constexpr const char* kDir = "/nonexistent-postvet-dbms/cfg";
std::string In(const std::string& name) { return std::string(kDir) + "/" + name; }

bool Knows(std::string_view type, std::string_view name) {
  const auto& names = DbmsSuffixes(type);
  return std::find(names.begin(), names.end(), name) != names.end();
}

DbmsFileReport Warnings(std::string_view type, const std::string& text) {
  Source source("/etc/x.cf", "/etc/x.cf", text);
  Cst cst = ParseMainCf(source);
  MainCf settings = MainCf::Build(cst);
  return DbmsFileWarnings(type, "/etc/x.cf", settings);
}

TEST_CASE("dbms settings: postconf's names per type, from the generated data") {
  CHECK(DbmsSuffixes("ldap").size() == 38);
  CHECK(DbmsSuffixes("mysql").size() == 21);
  CHECK(DbmsSuffixes("pgsql").size() == 13);
  CHECK(DbmsSuffixes("sqlite").size() == 9);
  CHECK(DbmsSuffixes("memcache").size() == 11);
  CHECK(DbmsSuffixes("hash").empty());
  CHECK(Knows("ldap", "result_attribute"));
  CHECK(Knows("mysql", "tls_CAfile"));
  CHECK(Knows("sqlite", "domain"));        // extract_cfg.sh -d
  CHECK(Knows("pgsql", "where_field"));    // extract_cfg.sh -s
  CHECK_FALSE(Knows("sqlite", "hosts"));
  CHECK_FALSE(Knows("memcache", "table"));  // no -s for memcache
  CHECK(DbmsSettingNeed("mysql", "dbname") == DbmsNeed::kRequired);
  CHECK(DbmsSettingNeed("sqlite", "dbpath") == DbmsNeed::kRequired);
  CHECK(DbmsSettingNeed("ldap", "search_base") == DbmsNeed::kRequired);
  CHECK(DbmsSettingNeed("pgsql", "select_function") == DbmsNeed::kQuery);
  CHECK(DbmsSettingNeed("mysql", "hosts") == DbmsNeed::kOptional);
  CHECK(DbmsSettingNeed("mysql", "nonsense") == DbmsNeed::kOptional);
}

TEST_CASE("dbms file refs: proxy: skipped, absolute paths of client types only") {
  auto ref = ParseDbmsFileRef("proxy:proxy:mysql:/etc/postfix/x.cf");
  REQUIRE(ref);
  CHECK(ref->type == "mysql");
  CHECK(ref->path == "/etc/postfix/x.cf");
  CHECK_FALSE(ParseDbmsFileRef("ldap:ldapsource"));  // legacy main.cf prefix, not a file
  CHECK_FALSE(ParseDbmsFileRef("hash:/etc/postfix/x"));
  CHECK_FALSE(ParseDbmsFileRef("mysql:./x.cf"));
  CHECK_FALSE(ParseDbmsFileRef("mysql"));
}

TEST_CASE("dbms file warnings: as postconf -n words them") {
  DbmsFileReport r = Warnings("ldap", "search_base = x\njunk = 1\njunk = 2\nserver_host = h\n");
  REQUIRE_FALSE(r.fatal);
  CHECK(r.warnings == std::vector<std::string>{"/etc/x.cf, line 3: overriding earlier entry: junk=1",
                                               "ldap:/etc/x.cf: unused parameter: junk=2"});
  DbmsFileReport bad = Warnings("mysql", "qeury = 1\nno equals here\n");
  REQUIRE(bad.fatal);
  CHECK(*bad.fatal == "/etc/x.cf, line 2: missing '=' after attribute name: \"no equals here\"");
  CHECK(bad.warnings.empty());  // postconf dies before it lists unused names
  CHECK(DbmsOpenFailure("pgsql", "/x.cf", ENOENT).warnings ==
        std::vector<std::string>{"open \"pgsql\" configuration \"/x.cf\": No such file or directory"});
  CHECK(DbmsOpenFailure("pgsql", "/x", 0).warnings ==
        std::vector<std::string>{"open \"pgsql\" configuration \"/x\": not a regular file"});
  CHECK(DbmsOpenFailure("pgsql", "/x.cf", EACCES).warnings.empty());
}

Result<std::unique_ptr<LintContext>> Load(const MemoryReader& reader, LoadOptions options = {}) {
  options.reader = &reader;
  return LoadConfigDir(kDir, "cfg", ProjectConfig{}, options);
}

TEST_CASE("the loader brings in client files named in main.cf and master.cf") {
  MemoryReader reader(Files{
      {In("main.cf"), "alias_maps = proxy:ldap:/etc/postfix/ldap.cf\nm = sqlite:$config_directory/s.cf\n"
                      "transport_maps = $m, mysql:relative, hash:/etc/postfix/t\n"},
      {In("master.cf"), "smtp inet n - y - - smtpd\n  -o relay_recipient_maps=pgsql:/etc/postfix/ldap.cf\n"},
      {In("ldap.cf"), "search_base = x\n"},
      {In("s.cf"), "dbpath = /x\n"},
  });
  auto ctx = Load(reader);
  REQUIRE(ctx.ok());
  std::map<std::string, const InputFile*> files;
  for (const auto& f : (*ctx)->files()) files[f->source->display()] = f.get();
  REQUIRE(files.size() == 4);
  REQUIRE(files.count("cfg/ldap.cf") == 1);
  REQUIRE(files.count("cfg/s.cf") == 1);
  CHECK(files["cfg/ldap.cf"]->kind == FileKind::kDbmsConfig);
  CHECK(files["cfg/ldap.cf"]->table_type == "ldap");  // the first reference's type
  CHECK(files["cfg/ldap.cf"]->used_by.size() == 2);
  CHECK(files["cfg/s.cf"]->table_type == "sqlite");
  CHECK((*ctx)->problems().empty());
}

TEST_CASE("a client file outside the configuration is not read") {
  MemoryReader reader(Files{
      {In("main.cf"), "alias_maps = mysql:/etc/postfix/../secret.cf, ldap:/srv/ldap.cf\n"},
      {"/nonexistent-postvet-dbms/secret.cf", "user = x\n"},
  });
  auto ctx = Load(reader);
  REQUIRE(ctx.ok());
  CHECK((*ctx)->files().size() == 1);
  REQUIRE((*ctx)->problems().size() == 1);
  CHECK((*ctx)->problems()[0].message.find("leads outside config_directory") != std::string::npos);
}

std::vector<Diagnostic> LintDbms(const std::string& type, const std::string& text, const std::string& rule) {
  static std::vector<std::unique_ptr<LintContext>> keep;  // diagnostics point into the context
  keep.push_back(std::make_unique<LintContext>("d", ProjectConfig{}));
  InputFile& f = keep.back()->AddFile(Source("d/x.cf", "d/x.cf", text), FileKind::kDbmsConfig);
  f.table_type = type;
  std::vector<Diagnostic> out = Lint(*keep.back(), RuleFilter(ProjectConfig{}, {rule}, {}));
  for (const Diagnostic& d : out) CheckMessageShape(d);
  return out;
}

TEST_CASE("PV310: unknown settings, at their last definition, with a suggestion") {
  auto d = LintDbms("mysql", "hosts = h\nqeury = 1\nqeury = 2\ndbname = d\n", "PV310");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "the mysql client knows no setting \"qeury\"");
  CHECK(d[0].location.source->Locate(d[0].location.begin).line == 3);
  REQUIRE(d[0].notes.size() == 2);
  CHECK(d[0].notes[1].message == "did you mean \"query\"?");
  CHECK(LintDbms("sqlite", "dbpath = x\nquery = y\ndomain = z\n", "PV310").empty());
  CHECK(LintDbms("ldap", "junk\n", "PV310").empty());  // PV001's
}

TEST_CASE("PV311: required settings and the query forms") {
  auto d = LintDbms("pgsql", "hosts = h\ndbname =\n", "PV311");
  REQUIRE(d.size() == 2);
  CHECK(d[0].message == "this pgsql table sets no \"query\"");  // at the top of the file
  CHECK(d[1].message == "\"dbname\" is empty in this pgsql table");
  CHECK(LintDbms("pgsql", "dbname = d\nselect_function = f\n", "PV311").empty());
  CHECK(LintDbms("mysql", "dbname = d\ntable = t\nselect_field = a\nwhere_field = b\n", "PV311").empty());
  CHECK(LintDbms("mysql", "dbname = d\ntable = t\nselect_field = a\n", "PV311").size() == 1);
  CHECK(LintDbms("memcache", "", "PV311").empty());
  CHECK(LintDbms("ldap", "server_host = h\n", "PV311").size() == 1);
}

TEST_CASE("PV001: a line the client cannot parse") {
  auto d = LintDbms("ldap", "search_base = x\njunk\n", "PV001");
  REQUIRE(d.size() == 1);
  CHECK(d[0].message == "this line has no '=' after the setting name");
  CHECK(d[0].notes[0].message.find("the ldap client stops reading") == 0);
}

}  // namespace
}  // namespace postvet
