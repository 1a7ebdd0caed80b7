// Phase 2 of RegexpTableBuilder (regexp_table_builder.hpp), and Run(),
// which drives both phases: in file order, compile each listed pattern (or
// take the one CompileAll() compiled), keep or drop each rule, and track the
// IF stack (scopes, ENDIF pairing and their warnings).

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "src/match/compile_all.hpp"
#include "src/model/regexp_table_builder.hpp"

namespace postvet {

RegexpTable RegexpTableBuilder::Run() {
  Parse();
  // By the patterns to compile, not the tree's size: the linter's tree of a
  // table has only its lines (ParseTableLines()), query's has every token.
  if (first_compile_.size() >= kParallelCompileThreshold) {
    // In chunks, so that the requests (32 bytes each) of a 100,000-rule
    // table are never all alive at once; chunks go in file order, so the
    // regcomp budget is charged in the same order as by one call.
    constexpr size_t kChunk = 4096;
    std::vector<CompileRequest> requests;
    requests.reserve(std::min(kChunk, first_compile_.size()));
    for (size_t start = 0; start < first_compile_.size(); start += kChunk) {
      const size_t end = std::min(first_compile_.size(), start + kChunk);
      requests.clear();
      for (size_t k = start; k < end; ++k) {
        const uint32_t index = first_compile_[k];
        const std::optional<TablePattern> pat = table_.Pattern(index);
        const bool need_groups = table_.Kind(index) == TableLineKind::kIf || table_.MaxSub(index) > 0;
        requests.push_back(CompileRequest{dialect_, pat->body, pat->options, need_groups, residency_});
      }
      if (residency_ == Residency::kResident) {
        if (precompiled_.empty()) precompiled_.reserve(first_compile_.size());
        for (auto& compiled : CompileAll(requests)) precompiled_.push_back(std::move(compiled));
      } else {
        if (checks_.groups.empty()) checks_.groups.reserve(first_compile_.size());
        CompileChecks part = CheckAll(requests);
        checks_.groups.insert(checks_.groups.end(), part.groups.begin(), part.groups.end());
        for (auto& [i, message] : part.errors) {
          checks_.errors.emplace_back(static_cast<uint32_t>(start + i), std::move(message));
        }
      }
    }
  }
  if (residency_ == Residency::kResident) table_.first_regex_.resize(table_.packed_.size());
  Resolve();
  return std::move(table_);
}

void RegexpTableBuilder::Resolve() {
  size_t next_pending = 0;
  size_t next_slot = 0;  // the next of first_compile_
  const size_t slots = std::max(precompiled_.size(), checks_.groups.size());
  const auto count = static_cast<uint32_t>(table_.packed_.size());
  for (uint32_t index = 0; index < count; ++index) {
    while (next_pending < pending_.size() && pending_[next_pending].entry == index) {
      table_.warnings_.push_back(std::move(pending_[next_pending++].warning));
    }
    SetScope(index);
    if (table_.Kind(index) == TableLineKind::kEndif) {
      ResolveEndif(index, table_.Entry(index));
      continue;
    }
    if (!compile_[index]) continue;
    // The entry's kind and max_sub decide; its pattern is read only when
    // it still has to be compiled or a warning quotes it.
    const TableLineKind kind = table_.Kind(index);
    const size_t max_sub = table_.MaxSub(index);
    const size_t slot = next_slot < slots ? next_slot++ : kNoSlot;
    std::shared_ptr<const Regex> regex;
    const std::optional<size_t> groups =
        Compile(index, false, kind == TableLineKind::kIf || max_sub > 0, slot, &regex);
    if (!groups) continue;  // a dropped IF opens no scope, yet its ENDIF closes one
    if (kind == TableLineKind::kIf) {
      if (regex != nullptr) table_.first_regex_[index] = std::move(regex);
      SetActive(index);
      stack_.push_back(index);
      continue;
    }
    if (max_sub > *groups) {
      // Postfix prints the index with %d of (int) max_sub.
      Warn2(TableWarningCode::kIndexOutOfRange,
            fmt::format("out of range replacement index \"{}\": skipping this rule",
                        static_cast<int>(static_cast<unsigned int>(max_sub))),
            table_.Entry(index).result_range, index);
      continue;
    }
    std::shared_ptr<const Regex> second;
    if (table_.Second(index) != nullptr && !Compile(index, true, false, kNoSlot, &second)) continue;
    if (regex != nullptr) table_.first_regex_[index] = std::move(regex);
    if (second != nullptr) table_.second_regex_[index] = std::move(second);
    SetActive(index);
  }
  // dict_*_open(): every IF still open at EOF, innermost first.
  while (!stack_.empty()) {
    uint32_t if_index = stack_.back();
    stack_.pop_back();
    Warn2(TableWarningCode::kIfWithoutEndif, "IF has no matching ENDIF", table_.Entry(if_index).range, if_index);
  }
  std::sort(table_.partners_.begin(), table_.partners_.end());
}

void RegexpTableBuilder::ResolveEndif(uint32_t index, const TableEntry& e) {
  if (stack_.empty()) {
    DropExtra(index);
    Warn2(TableWarningCode::kEndifWithoutIf, "ignoring ENDIF without matching IF", e.range, index);
    return;
  }
  if (!e.extra_text().empty()) {
    Warn2(TableWarningCode::kEndifExtraText, "ignoring extra text after ENDIF", e.extra_range(), index);
  }
  uint32_t if_index = stack_.back();
  stack_.pop_back();
  SetScope(index);
  SetPartners(if_index, index);
  SetActive(index);
}

// Compiles the pattern of entry `index` (`second`: its second pattern), or
// takes what the compile between the phases gave for `slot`; returns its
// group count, or nullopt after warning that it failed. A kResident table's
// compiled code goes to `keep`.
std::optional<size_t> RegexpTableBuilder::Compile(uint32_t index, bool second, bool need_groups, size_t slot,
                                                  std::shared_ptr<const Regex>* keep) {
  auto pattern = [&]() -> TablePattern { return second ? *table_.Second(index) : *table_.Pattern(index); };
  if (slot != kNoSlot && slot < checks_.groups.size()) {
    if (checks_.groups[slot] != CompileChecks::kFailed) return checks_.groups[slot];
    // Errors are listed in slot order, and slots are taken in order.
    while (next_error_ < checks_.errors.size() && checks_.errors[next_error_].first < slot) ++next_error_;
    std::string message;
    if (next_error_ < checks_.errors.size() && checks_.errors[next_error_].first == slot) {
      message = std::move(checks_.errors[next_error_++].second);
    }
    Warn2(TableWarningCode::kCompileError, std::move(message), pattern().range, index);
    return std::nullopt;
  }
  auto compile_now = [&] {
    const TablePattern pat = pattern();
    return Regex::Compile(dialect_, pat.body, pat.options, need_groups, false, residency_);
  };
  Result<std::shared_ptr<const Regex>> compiled = slot != kNoSlot ? std::move(precompiled_[slot]) : compile_now();
  if (!compiled.ok()) {
    Warn2(TableWarningCode::kCompileError, compiled.status().message(), pattern().range, index);
    return std::nullopt;
  }
  const size_t groups = (*compiled)->capture_count();
  if (residency_ == Residency::kResident) *keep = std::move(*compiled);
  return groups;
}

void RegexpTableBuilder::SetScope(uint32_t index) {
  RegexpTable::PackedEntry& p = table_.packed_[index];
  p.parent = stack_.empty() ? TableEntry::kNoEntry : stack_.back();
  // The depth is the stack's size: one more than that of the IF on top,
  // which is how RegexpTable::Depth() finds it again. IFs keep theirs.
  const auto depth = static_cast<uint32_t>(stack_.size());
  if (table_.Kind(index) == TableLineKind::kIf) table_.if_depths_.emplace_back(index, depth);
  if (full_ != nullptr) {
    (*full_)[index].parent = p.parent;
    (*full_)[index].depth = depth;
  }
}

void RegexpTableBuilder::SetActive(uint32_t index) {
  table_.packed_[index].bits |= RegexpTable::kActiveBit;
  if (full_ != nullptr) (*full_)[index].active = true;
}

void RegexpTableBuilder::SetPartners(uint32_t if_index, uint32_t endif_index) {
  table_.partners_.emplace_back(if_index, endif_index);
  table_.partners_.emplace_back(endif_index, if_index);
  if (full_ != nullptr) {
    (*full_)[if_index].partner = endif_index;
    (*full_)[endif_index].partner = if_index;
  }
}

// An ENDIF without IF: Postfix does not look at its extra text.
void RegexpTableBuilder::DropExtra(uint32_t index) {
  if (TableEntry* fat = table_.Fat(index)) fat->extra = nullptr;
  if (full_ != nullptr) (*full_)[index].extra = nullptr;
}

// A warning of phase 2, on the line of the entry it belongs to.
void RegexpTableBuilder::Warn2(TableWarningCode code, std::string text, ByteRange range,
                               uint32_t entry) {
  Warn2(code, std::move(text), range, entry, table_.Line(entry));
}
void RegexpTableBuilder::Warn2(TableWarningCode code, std::string text, ByteRange range,
                               uint32_t entry, uint32_t line) {
  TableWarning w;
  w.code = code;
  w.prefix = WarningPrefix::kMap;
  w.line = line;
  w.range = range;
  w.text = std::move(text);
  w.entry = entry;
  table_.warnings_.push_back(std::move(w));
}

}  // namespace postvet
