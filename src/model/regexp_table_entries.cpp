// RegexpTable's packed entries (regexp_table.hpp, "Memory"): packing an
// entry the builder computed into a 32-byte record, materialising it again,
// and the side tables for what a record cannot hold.
#include <algorithm>
#include <stdexcept>

#include "src/model/regexp_table.hpp"

namespace postvet {
namespace {

bool SameView(std::string_view a, std::string_view b) { return a.data() == b.data() && a.size() == b.size(); }

bool SameRange(ByteRange a, ByteRange b) { return a.begin == b.begin && a.end == b.end; }

bool SamePattern(const TablePattern& a, const TablePattern& b) {
  return SameView(a.body, b.body) && a.flags_size == b.flags_size && a.negations == b.negations &&
         a.options == b.options && SameRange(a.negation_range, b.negation_range) && SameRange(a.range, b.range) &&
         SameRange(a.body_range, b.body_range) && SameRange(a.flags_range, b.flags_range) &&
         a.delimiter == b.delimiter;
}

// `at` - `base` when it fits a record's 16-bit offset.
bool Offset(uint32_t at, uint32_t base, uint16_t* out) {
  if (at < base || at - base > UINT16_MAX) return false;
  *out = static_cast<uint16_t>(at - base);
  return true;
}

}  // namespace

bool SameEntry(const TableEntry& a, const TableEntry& b) {
  if (a.kind != b.kind || a.active != b.active || a.line != b.line || !SameRange(a.range, b.range)) return false;
  if (a.pattern.has_value() != b.pattern.has_value()) return false;
  if (a.pattern && !SamePattern(*a.pattern, *b.pattern)) return false;
  if ((a.second == nullptr) != (b.second == nullptr)) return false;
  if (a.second != nullptr && !SamePattern(*a.second, *b.second)) return false;
  if (!SameView(a.result, b.result) || !SameRange(a.result_range, b.result_range)) return false;
  if (a.extra != b.extra) return false;
  return a.max_sub == b.max_sub && a.parent == b.parent && a.depth == b.depth && a.partner == b.partner;
}

TableEntry TableEntries::at(size_t index) const {
  if (index >= size()) throw std::out_of_range("TableEntries::at");
  return (*this)[index];
}

void RegexpTable::Append(const TableEntry& e) {
  PackedEntry p;
  if (!Pack(e, &p) || !SameEntry(Unpack(p), e)) {
    p = PackedEntry{};
    p.begin = static_cast<uint32_t>(fat_.size());
    p.bits = static_cast<uint8_t>(static_cast<uint8_t>(e.kind) | kFatBit);
    fat_.push_back(e);
  }
  packed_.push_back(p);
}

bool RegexpTable::Pack(const TableEntry& e, PackedEntry* out) const {
  // Only what the builder knows before the resolve phase is packed here:
  // activity, scope and partner are set later, on the record.
  if (e.active || e.parent != TableEntry::kNoEntry || e.depth != 0 || e.partner != TableEntry::kNoEntry ||
      e.second != nullptr || e.extra != nullptr || e.max_sub > UINT8_MAX) {
    return false;
  }
  PackedEntry p;
  p.begin = e.range.begin;
  p.max_sub = static_cast<uint8_t>(e.max_sub);
  p.bits = static_cast<uint8_t>(e.kind);
  if (!Offset(e.range.end, p.begin, &p.size)) return false;
  if (e.pattern) {
    p.bits |= kPatternBit;
    if (!Offset(e.pattern->negation_range.begin, p.begin, &p.negation) ||
        !Offset(e.pattern->range.begin, p.begin, &p.open) || !Offset(e.pattern->body_range.end, p.begin, &p.close) ||
        !Offset(e.pattern->flags_range.end, p.begin, &p.flags_end)) {
      return false;
    }
  }
  if (e.result.data() != nullptr) {
    p.bits |= kResultBit;
    if (!Offset(e.result_range.begin, p.begin, &p.result) || p.result > p.size) return false;
  }
  // Unpack() reads the negation run and the flags from the Source: only
  // offsets in this order, inside the line, make sense to it.
  if (e.pattern && !(p.negation <= p.open && p.open < p.close && p.close < p.flags_end && p.flags_end <= p.size)) {
    return false;
  }
  *out = p;
  return true;
}

TableEntry RegexpTable::Unpack(const PackedEntry& p) const {
  TableEntry e;
  e.kind = static_cast<TableLineKind>(p.bits & kKindMask);
  e.active = (p.bits & kActiveBit) != 0;
  // The builder numbers a one-line entry with the line of its first byte.
  e.line = source_->Locate(p.begin).line;
  e.range = ByteRange{p.begin, p.begin + p.size};
  e.parent = p.parent;
  e.depth = DepthUnder(p.parent);
  e.max_sub = p.max_sub;
  if ((p.bits & kPatternBit) != 0) UnpackPattern(p, &e.pattern.emplace());
  if ((p.bits & kResultBit) != 0) {
    e.result = std::string_view(source_->text().data() + p.begin + p.result, static_cast<size_t>(p.size - p.result));
    e.result_range = ByteRange{p.begin + p.result, p.begin + p.size};
  }
  return e;
}

void RegexpTable::UnpackPattern(const PackedEntry& p, TablePattern* out) const {
  // The line is one physical line: its bytes in the Source are the text
  // the builder parsed, so views start at `base`.
  const char* base = source_->text().data() + p.begin;
  TablePattern& pat = *out;
  {
    pat.negation_range = ByteRange{p.begin + p.negation, p.begin + p.open};
    for (uint32_t i = p.negation; i < p.open; ++i) {
      if (base[i] == '!') ++pat.negations;
    }
    pat.delimiter = base[p.open];
    pat.range = ByteRange{p.begin + p.open, p.begin + p.close + 1u};
    pat.body_range = ByteRange{p.begin + p.open + 1u, p.begin + p.close};
    pat.body = std::string_view(base + p.open + 1, static_cast<size_t>(p.close - p.open - 1));
    pat.flags_range = ByteRange{p.begin + p.close + 1u, p.begin + p.flags_end};
    pat.flags_size = static_cast<uint32_t>(p.flags_end - p.close - 1);
    // The options as GetPattern() computes them from the same letters.
    pat.options = default_options_;
    for (char flag : pat.flags()) ApplyRegexFlag(dialect(), flag, &pat.options);
  }
}

std::optional<TablePattern> RegexpTable::Pattern(uint32_t index) const {
  const PackedEntry& p = packed_[index];
  if ((p.bits & kFatBit) != 0) return fat_[p.begin].pattern;
  std::optional<TablePattern> out;
  if ((p.bits & kPatternBit) != 0) UnpackPattern(p, &out.emplace());
  return out;
}

size_t RegexpTable::MaxSub(uint32_t index) const {
  const TableEntry* fat = Fat(index);
  return fat != nullptr ? fat->max_sub : packed_[index].max_sub;
}

bool RegexpTable::Negated(uint32_t index) const {
  const PackedEntry& p = packed_[index];
  if ((p.bits & kFatBit) != 0) return fat_[p.begin].pattern->negated();
  // As UnpackPattern() counts them.
  const char* base = source_->text().data() + p.begin;
  uint32_t negations = 0;
  for (uint32_t i = p.negation; i < p.open; ++i) {
    if (base[i] == '!') ++negations;
  }
  return negations % 2 == 1;
}

const TablePattern* RegexpTable::Second(uint32_t index) const {
  const TableEntry* fat = Fat(index);
  return fat != nullptr ? fat->second : nullptr;
}

TableEntry RegexpTable::Entry(uint32_t index) const {
  const PackedEntry& p = packed_[index];
  if ((p.bits & kFatBit) != 0) {
    TableEntry e = fat_[p.begin];
    e.active = (p.bits & kActiveBit) != 0;
    e.parent = p.parent;
    e.depth = DepthUnder(p.parent);
    if (e.kind == TableLineKind::kIf || e.kind == TableLineKind::kEndif) e.partner = Partner(index);
    return e;
  }
  TableEntry e = Unpack(p);
  if (e.kind == TableLineKind::kIf || e.kind == TableLineKind::kEndif) e.partner = Partner(index);
  return e;
}

std::string_view RegexpTable::ResultText(uint32_t index) const {
  const PackedEntry& p = packed_[index];
  if ((p.bits & kFatBit) != 0) return fat_[p.begin].result;
  if ((p.bits & kResultBit) == 0) return {};
  return std::string_view(source_->text().data() + p.begin + p.result, static_cast<size_t>(p.size - p.result));
}

uint32_t RegexpTable::Line(uint32_t index) const {
  const PackedEntry& p = packed_[index];
  return (p.bits & kFatBit) != 0 ? fat_[p.begin].line : source_->Locate(p.begin).line;
}

uint32_t RegexpTable::DepthUnder(uint32_t parent) const {
  if (parent == TableEntry::kNoEntry) return 0;
  // Entries inside an IF are one deeper than it (RegexpTableBuilder::SetScope()).
  auto it = std::lower_bound(if_depths_.begin(), if_depths_.end(), std::pair<uint32_t, uint32_t>{parent, 0});
  return (it != if_depths_.end() && it->first == parent ? it->second : 0) + 1;
}

uint32_t RegexpTable::Partner(uint32_t index) const {
  auto it = std::lower_bound(partners_.begin(), partners_.end(), std::pair<uint32_t, uint32_t>{index, 0});
  return it != partners_.end() && it->first == index ? it->second : TableEntry::kNoEntry;
}

TableEntry* RegexpTable::Fat(uint32_t index) {
  return (packed_[index].bits & kFatBit) != 0 ? &fat_[packed_[index].begin] : nullptr;
}
const TableEntry* RegexpTable::Fat(uint32_t index) const {
  return (packed_[index].bits & kFatBit) != 0 ? &fat_[packed_[index].begin] : nullptr;
}

}  // namespace postvet
