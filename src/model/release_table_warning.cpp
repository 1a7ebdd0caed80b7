#include "src/model/release_table_warning.hpp"

#include "src/match/regex_engine.hpp"

namespace postvet {

std::optional<TableWarning> ReleaseTableWarning(const TableWarning& warning, TableType type,
                                                const SourceFeatures& release) {
  if (type != TableType::kPcre || !release.pcre1()) return warning;
  switch (warning.code) {
    case TableWarningCode::kObsoleteOption:
      return std::nullopt;
    case TableWarningCode::kMatchError: {
      TableWarning w = warning;
      Pcre1ExecError e = Pcre1ExecErrorOf(warning.pcre_code);
      w.text = release.Pcre1ExecError(e.name, e.code);
      return w;
    }
    default:
      return warning;
  }
}

}  // namespace postvet
