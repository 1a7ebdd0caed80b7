// PV311 missing-map-setting: a database client configuration file
// (`mysql:/etc/postfix/x.cf`, pgsql:, sqlite:, ldap:, memcache:) that leaves
// out a setting its client needs (rules/data/dbms-settings.tsv "required",
// from the manual pages and dict_<type>.c): mysql/pgsql without `dbname`,
// sqlite without `dbpath` (cfg_get_str() with a minimum length of 1: the
// client dies when the table is opened), ldap without `search_base` ("you
// must configure this", ldap_table(5)), and an SQL client without any form
// of its query (`query`, or the legacy `select_function` for pgsql, or all
// of `table`, `select_field` and `where_field`: db_common.c dies otherwise).
// One finding per missing setting, at the top of the file. No fix: the
// value is the administrator's to choose.
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/model/dbms_config.hpp"
#include "src/model/main_cf.hpp"

namespace postvet {
namespace {

class MissingMapSetting : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV311",
            .slug = "missing-map-setting",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a database client file (mysql:, pgsql:, sqlite:, ldap:) lacks a setting its client needs "
                       "(dbname, dbpath, search_base, a query)",
            .doc = {}};
  }
  Subscription subscription() const override { return {.files = {FileKind::kDbmsConfig}, .parameters = {}, .services = false, .config = false}; }

  void CheckFile(const LintContext& /*ctx*/, const InputFile& file, Sink& sink) const override {
    const std::string& type = file.table_type;
    const std::vector<std::string_view>& known = DbmsSuffixes(type);
    if (known.empty()) return;
    MainCf settings = MainCf::Build(*file.cst);
    if (settings.FirstFatal() != nullptr) return;  // PV001: the client stops reading the file
    const Location top{file.source.get(), 0, 0};
    bool query_form = false;
    for (std::string_view name : known) {
      if (DbmsSettingNeed(type, name) != DbmsNeed::kRequired) continue;
      const MainCfDefinition* set = settings.Find(name);
      if (set != nullptr && !set->value.empty()) continue;
      Diagnostic& d =
          set == nullptr
              ? sink.Report(top, fmt::format("this {} table sets no \"{}\"", type, name), std::string(name))
              : sink.Report({file.source.get(), set->name_begin, set->name_end},
                            fmt::format("\"{}\" is empty in this {} table", name, type), std::string(name));
      d.notes.push_back({{}, fmt::format("the {} client needs it: without it the table cannot be opened and every "
                                         "lookup fails ({}_table(5))",
                                         type, type)});
      if (type == "ldap") {
        d.notes.back().message = "ldap_table(5) says to configure it: without it searches start at the empty base DN";
      }
    }
    for (std::string_view name : known) query_form = query_form || DbmsSettingNeed(type, name) == DbmsNeed::kQuery;
    if (!query_form || HasQuery(settings)) return;
    Diagnostic& d = sink.Report(top, fmt::format("this {} table sets no \"query\"", type), "query");
    d.notes.push_back({{}, fmt::format("without query (or the legacy table, select_field and where_field{}) the {} "
                                       "client cannot build its query and the table cannot be opened ({}_table(5))",
                                       type == "pgsql" ? ", or select_function" : "", type, type)});
  }

 private:
  // dict_mysql.c/dict_pgsql.c/dict_sqlite.c: `query`, else pgsql's
  // select_function, else db_common_sql_build_query(), which needs all three
  // legacy names with a non-empty value.
  static bool HasQuery(const MainCf& settings) {
    if (settings.Find("query") != nullptr || settings.Find("select_function") != nullptr) return true;
    for (std::string_view name : {"table", "select_field", "where_field"}) {
      std::optional<std::string_view> v = settings.Value(name);
      if (!v || v->empty()) return false;
    }
    return true;
  }
};

}  // namespace

std::unique_ptr<Rule> NewMissingMapSettingRule() { return std::make_unique<MissingMapSetting>(); }

}  // namespace postvet
