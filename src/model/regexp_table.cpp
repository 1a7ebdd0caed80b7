#include "src/model/regexp_table.hpp"

#include <algorithm>

#include "src/model/regexp_table_builder.hpp"

namespace postvet {

RegexpTable RegexpTable::Build(const Cst& cst, TableType type, Residency residency) {
  RegexpTableBuilder builder(cst, type, residency);
  return builder.Run();
}

std::vector<uint32_t> RegexpTable::Scope(uint32_t index) const {
  std::vector<uint32_t> out(entries_[index].depth);
  size_t i = out.size();
  for (uint32_t p = entries_[index].parent; p != TableEntry::kNoEntry && i > 0;
       p = entries_[p].parent) {
    out[--i] = p;
  }
  return out;
}

std::vector<uint32_t> RegexpTable::ListedScope(uint32_t index) const {
  std::vector<uint32_t> out;
  AnyListedScope(index, [&](uint32_t p) {
    out.push_back(p);
    return false;
  });
  std::reverse(out.begin(), out.end());
  return out;
}

ReplacementScan RegexpTable::Replacement(uint32_t index) const {
  return ScanReplacement(entries_[index].result, dialect());
}

std::vector<const TableWarning*> RegexpTable::BadLines() const {
  std::vector<const TableWarning*> out;
  for (const TableWarning& w : warnings_) {
    switch (w.code) {
      case TableWarningCode::kLeadingWhitespace:
      case TableWarningCode::kUnrecognizedRequest:
      case TableWarningCode::kNoRegexp:
      case TableWarningCode::kNoClosingDelimiter:
        out.push_back(&w);
        break;
      default:
        break;
    }
  }
  return out;
}

}  // namespace postvet
