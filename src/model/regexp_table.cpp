#include "src/model/regexp_table.hpp"

#include <algorithm>

#include "src/model/regexp_table_builder.hpp"

namespace postvet {

RegexpTable RegexpTable::Build(const Cst& cst, TableType type, Residency residency) {
  RegexpTableBuilder builder(cst, type, residency, nullptr);
  return builder.Run();
}

RegexpTable RegexpTable::BuildKeepingFullEntries(const Cst& cst, TableType type, Residency residency,
                                                 std::vector<TableEntry>* full) {
  full->clear();
  RegexpTableBuilder builder(cst, type, residency, full);
  return builder.Run();
}

std::vector<uint32_t> RegexpTable::Scope(uint32_t index) const {
  std::vector<uint32_t> out(Depth(index));
  size_t i = out.size();
  for (uint32_t p = Parent(index); p != TableEntry::kNoEntry && i > 0; p = Parent(p)) {
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

bool RegexpTable::HasCompiled(uint32_t index, bool second) const {
  const PackedEntry& p = packed_[index];
  const TableLineKind kind = Kind(index);
  if (!Active(index)) return false;
  if (second) {
    // Only a fat entry can have a second pattern.
    const TableEntry* fat = Fat(index);
    return kind == TableLineKind::kMatch && fat != nullptr && fat->pattern && fat->second != nullptr;
  }
  const bool has_pattern = (p.bits & kFatBit) != 0 ? Fat(index)->pattern.has_value() : (p.bits & kPatternBit) != 0;
  return has_pattern && (kind == TableLineKind::kMatch || kind == TableLineKind::kIf);
}

Result<const Regex*> RegexpTable::Compiled(uint32_t index, bool second) const {
  std::lock_guard<std::mutex> lock(*compiled_mutex_);
  std::shared_ptr<const Regex>* slot = nullptr;
  if (second) {
    slot = &second_regex_[index];
  } else {
    if (first_regex_.size() != packed_.size()) first_regex_.resize(packed_.size());
    slot = &first_regex_[index];
  }
  if (*slot == nullptr) {
    // Only a kOnDemand table gets here: compile as the build did (the first
    // pattern with groups when an IF or a `$n` result needs them), this time
    // to keep.
    const TableEntry e = Entry(index);
    const TablePattern& pat = second ? *e.second : *e.pattern;
    const bool need_groups = !second && (e.kind == TableLineKind::kIf || e.max_sub > 0);
    Result<std::shared_ptr<const Regex>> compiled =
        Regex::Compile(dialect(), pat.body, pat.options, need_groups, true, Residency::kResident);
    if (!compiled.ok()) return compiled.status();
    *slot = std::move(*compiled);
  }
  return slot->get();
}

ReplacementScan RegexpTable::Replacement(uint32_t index) const {
  return ScanReplacement(Entry(index).result, dialect());
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
