// PV310 unknown-map-setting: a setting in a database client configuration
// file (`ldap:/etc/postfix/ldap-aliases.cf`, mysql:, pgsql:, sqlite:,
// memcache:, also through proxy:) that the client of that type does not
// know. The client ignores it without a word, exactly where postconf warns
// "ldap:/...: unused parameter: name=value" (postconf_dbms.c,
// pcf_check_dbms_client(), whose list of names rules/data/dbms-settings.tsv
// reproduces). A misspelt `query` or `result_attribute` leaves the built-in
// default in force, a common cause of lookups that silently find nothing.
// A note suggests the nearest setting name of that type. No fix: which name
// was meant is a guess. Each effective setting is reported once (at its last
// definition, the one Postfix keeps).
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/model/dbms_config.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/name_suggester.hpp"

namespace postvet {
namespace {

class UnknownMapSetting : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV310",
            .slug = "unknown-map-setting",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a database client file (ldap:, mysql:, ...) sets a name its client does not know "
                       "(postconf's \"unused parameter\")",
            .doc = {}};
  }
  Subscription subscription() const override { return {.files = {FileKind::kDbmsConfig}, .parameters = {}, .services = false, .config = false}; }

  void CheckFile(const LintContext& /*ctx*/, const InputFile& file, Sink& sink) const override {
    const std::vector<std::string_view>& known = DbmsSuffixes(file.table_type);
    if (known.empty()) return;
    MainCf settings = MainCf::Build(*file.cst);
    if (settings.FirstFatal() != nullptr) return;  // PV001: the client stops reading the file
    NameSuggester suggester(known, {});
    for (uint32_t i : settings.EffectiveInOrder()) {
      const MainCfDefinition& d = settings.definitions()[i];
      if (std::binary_search(known.begin(), known.end(), d.name)) continue;
      Diagnostic& diag = sink.Report({file.source.get(), d.name_begin, d.name_end},
                                     fmt::format("the {} client knows no setting \"{}\"", file.table_type, d.name),
                                     std::string(d.name));
      diag.notes.push_back(
          {{}, fmt::format("the {} client ignores it (postconf: \"unused parameter: {}={}\")", file.table_type,
                           d.name, d.value)});
      std::string suggestion = suggester.Nearest(d.name);
      if (!suggestion.empty()) diag.notes.push_back({{}, fmt::format("did you mean \"{}\"?", suggestion)});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUnknownMapSettingRule() { return std::make_unique<UnknownMapSetting>(); }

}  // namespace postvet
