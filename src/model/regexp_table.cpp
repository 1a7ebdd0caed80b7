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

bool RegexpTable::HasCompiled(uint32_t index, bool second) const {
  const TableEntry& e = entries_[index];
  if (!e.active || !e.pattern) return false;
  if (second) return e.kind == TableLineKind::kMatch && e.second != nullptr;
  return e.kind == TableLineKind::kMatch || e.kind == TableLineKind::kIf;
}

Result<const Regex*> RegexpTable::Compiled(uint32_t index, bool second) const {
  std::lock_guard<std::mutex> lock(*compiled_mutex_);
  std::shared_ptr<const Regex>* slot = nullptr;
  if (second) {
    slot = &second_regex_[index];
  } else {
    if (first_regex_.size() != entries_.size()) first_regex_.resize(entries_.size());
    slot = &first_regex_[index];
  }
  if (*slot == nullptr) {
    // Only a kOnDemand table gets here: compile as the build did (the first
    // pattern with groups when an IF or a `$n` result needs them), this time
    // to keep.
    const TableEntry& e = entries_[index];
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
