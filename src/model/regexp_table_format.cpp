// Printing RegexpTable warnings the way Postfix's msg_warn() prints them.
#include <fmt/format.h>

#include "src/model/regexp_table.hpp"

namespace postvet {

std::string_view TableTypeName(TableType type) {
  return type == TableType::kRegexp ? "regexp" : "pcre";
}

std::string FormatTableWarning(const TableWarning& warning, TableType type,
                               std::string_view map_name) {
  switch (warning.prefix) {
    case WarningPrefix::kMap:
      return fmt::format("{} map {}, line {}: {}", TableTypeName(type), map_name, warning.line,
                         warning.text);
    case WarningPrefix::kFile:
      return fmt::format("{}: {}", map_name, warning.text);
    case WarningPrefix::kNone:
      break;
  }
  return warning.text;
}

std::string SanitizeMessage(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) c = '?';
  }
  return out;
}

}  // namespace postvet
