// Test helper: a regexp:/pcre: table loaded from a string, with its
// warnings formatted the way postmap prints them (map name "t").
#pragma once

#include <string>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "src/model/table_lookup.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet::testing {

/// Source, Cst and RegexpTable of `text`; not movable (they point at each other).
class LoadedTable {
 public:
  LoadedTable(std::string text, TableType type, Residency residency = Residency::kResident)
      : source_("t", "t", std::move(text)),
        cst_(ParseTable(source_, type)),
        table_(RegexpTable::Build(cst_, type, residency)) {}
  LoadedTable(const LoadedTable&) = delete;
  LoadedTable& operator=(const LoadedTable&) = delete;

  const RegexpTable& table() const { return table_; }
  const Cst& cst() const { return cst_; }
  const Source& source() const { return source_; }

  /// Every load warning as postmap prints it after "postmap: warning: ".
  std::vector<std::string> Warnings() const {
    std::vector<std::string> out;
    for (const TableWarning& w : table_.warnings()) {
      out.push_back(FormatTableWarning(w, table_.type(), "t"));
    }
    return out;
  }

  /// The bytes of `range` in the source.
  std::string Text(ByteRange range) const {
    return std::string(source_.Slice(range.begin, range.end));
  }

  /// The result of looking `key` up, or "<not found>".
  std::string Query(std::string_view key) const {
    LookupResult r = Lookup(table_, key);
    return r.found ? r.value : "<not found>";
  }

 private:
  Source source_;
  Cst cst_;
  RegexpTable table_;
};

}  // namespace postvet::testing
