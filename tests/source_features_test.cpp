// SourceFeatures (rules/data/postfix-source-features.tsv) and the behaviour
// it keys: 3.5's mac_expand() has no `<level` operator suffix, and the
// Postfix releases built with PCRE1 (3.5, 3.6) print dict_pcre_exec_error()'s
// own match-error texts and say nothing about the X flag.
#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/expand.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/param_context.hpp"
#include "src/model/release_table_warning.hpp"
#include "src/model/source_features.hpp"
#include "src/model/target_version.hpp"
#include "tests/table_fixture.hpp"

namespace postvet {
namespace {

constexpr std::string_view kLevelValue = "${{$compatibility_level} <level {3.6} ? {old} : {new}}";

MacroLookup LevelLookup() {
  return [](std::string_view name, bool) -> std::optional<std::string_view> {
    if (name == "compatibility_level") return std::string_view("0");
    return std::nullopt;
  };
}

TEST_CASE("source features: relop suffixes from 3.6, PCRE1 up to 3.6") {
  CHECK(SourceFeatures::For({3, 5}).relop_suffixes().empty());
  CHECK(SourceFeatures::For({3, 6}).relop_suffixes() == std::vector<std::string_view>{"level"});
  CHECK(SourceFeatures::For({3, 10}).relop_suffixes() == std::vector<std::string_view>{"level"});
  CHECK(SourceFeatures::For({3, 5}).pcre1());
  CHECK(SourceFeatures::For({3, 6}).pcre1());
  CHECK_FALSE(SourceFeatures::For({3, 7}).pcre1());
  CHECK_FALSE(SourceFeatures::For({3, 10}).pcre1());
  // Outside the table: the nearest series.
  CHECK(SourceFeatures::For({3, 4}).relop_suffixes().empty());
  CHECK_FALSE(SourceFeatures::For({3, 11}).pcre1());
  CHECK(&SourceFeatures::ForDefaults(TargetVersion::For("3.5").defaults()) == &SourceFeatures::For({3, 5}));
}

TEST_CASE("source features: PCRE1 pcre_exec error texts of dict_pcre.c") {
  const SourceFeatures& f = SourceFeatures::For({3, 5});
  CHECK(f.Pcre1ExecError("PCRE_ERROR_MATCHLIMIT", -8) == "backtracking limit exceeded");
  CHECK(f.Pcre1ExecError("PCRE_ERROR_NOMEMORY", -6) == "out of memory");
  CHECK(f.Pcre1ExecError("PCRE_ERROR_RECURSIONLIMIT", -21) == "unknown pcre_exec error: -21");
  CHECK(f.Pcre1ExecError("", -47) == "unknown pcre_exec error: -47");
}

TEST_CASE("macro expansion: <level is an operator suffix from 3.6 only") {
  const MacroLookup lookup = LevelLookup();
  MacroOutcome now = MacroExpand(kLevelValue, ExpandMode::kRecurse, lookup);
  CHECK_FALSE(now.error);
  CHECK(now.value == "old");
  MacroDialect v36{&SourceFeatures::For({3, 6}).relop_suffixes()};
  CHECK(MacroExpand(kLevelValue, ExpandMode::kRecurse, lookup, nullptr, v36).value == "old");

  MacroDialect v35{&SourceFeatures::For({3, 5}).relop_suffixes()};
  MacroOutcome old = MacroExpand(kLevelValue, ExpandMode::kRecurse, lookup, nullptr, v35);
  CHECK(old.error);
  CHECK(old.warnings == std::vector<std::string>{
                            "\"{expression}\" expected at: \"...{$compatibility_level} <>>>level {3.6} ? {old} \""});
  // The scan (postconf's name registration) stops there too: $x is not seen.
  std::vector<std::string> names;
  MacroNameSink sink = [&](std::string_view name, uint32_t) { names.emplace_back(name); };
  std::string scanned = "${{$compatibility_level} <level {3.6} ? {old} : {$x}}";
  MacroExpand(scanned, ExpandMode::kScan, lookup, sink, v35);
  CHECK(names == std::vector<std::string>{});
  names.clear();
  MacroExpand(scanned, ExpandMode::kScan, lookup, sink, v36);
  CHECK(names == std::vector<std::string>{"compatibility_level", "x"});
  // Other suffixes are unknown either way; 3.5 reads "<" and then text.
  MacroOutcome other = MacroExpand("${{1} <length {2}?{a}}", ExpandMode::kRecurse, lookup, nullptr, v36);
  CHECK(other.warnings == std::vector<std::string>{"bad operator suffix at: \"...<>>>length\""});
}

TEST_CASE("ParamContext expands as the target release does") {
  Source src("main.cf", "main.cf", std::string("foo = ") + std::string(kLevelValue) + "\n");
  Cst cst = ParseMainCf(src);
  MainCf m = MainCf::Build(cst);
  ParamContext v37(m, TargetVersion::For("3.7").defaults());
  Result<std::string> now = v37.ExpandParam("foo");
  REQUIRE(now.ok());
  CHECK(*now == "old");
  ParamContext v35(m, TargetVersion::For("3.5").defaults());
  CHECK_FALSE(v35.ExpandParam("foo").ok());
}

TEST_CASE("pcre table warnings as a PCRE1 release prints them") {
  testing::LoadedTable t("/^(a|a)*$/ hit\n/x/X obsolete\n", TableType::kPcre);
  const SourceFeatures& v35 = SourceFeatures::For({3, 5});
  const SourceFeatures& v37 = SourceFeatures::For({3, 7});
  // The X flag: PCRE2 builds warn, PCRE1 builds toggle PCRE_EXTRA silently.
  REQUIRE(t.table().warnings().size() == 1);
  const TableWarning& x = t.table().warnings()[0];
  CHECK(x.code == TableWarningCode::kObsoleteOption);
  CHECK(ReleaseTableWarning(x, TableType::kPcre, v37).has_value());
  CHECK_FALSE(ReleaseTableWarning(x, TableType::kPcre, v35).has_value());
  // A match that exceeds the match limit (2^40 ways to split the a's).
  LookupResult r = Lookup(t.table(), std::string(40, 'a') + "b");
  REQUIRE(r.warnings.size() == 1);
  const TableWarning& limit = r.warnings[0];
  CHECK(FormatTableWarning(*ReleaseTableWarning(limit, TableType::kPcre, v37), TableType::kPcre, "t") ==
        "pcre map t, line 1: match limit exceeded");
  CHECK(FormatTableWarning(*ReleaseTableWarning(limit, TableType::kPcre, v35), TableType::kPcre, "t") ==
        "pcre map t, line 1: backtracking limit exceeded");
  // regexp: tables do not use PCRE.
  CHECK(ReleaseTableWarning(limit, TableType::kRegexp, v35)->text == limit.text);
}

}  // namespace
}  // namespace postvet
