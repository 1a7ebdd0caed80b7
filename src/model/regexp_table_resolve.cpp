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
    std::vector<CompileRequest> requests;
    requests.reserve(first_compile_.size());
    for (uint32_t index : first_compile_) {
      const TableEntry& e = table_.entries_[index];
      const bool need_groups = e.kind == TableLineKind::kIf || e.max_sub > 0;
      requests.push_back(CompileRequest{dialect_, e.pattern->body, e.pattern->options, need_groups, residency_});
    }
    if (residency_ == Residency::kResident) {
      precompiled_ = CompileAll(requests);
    } else {
      checks_ = CheckAll(requests);
    }
  }
  if (residency_ == Residency::kResident) table_.first_regex_.resize(table_.entries_.size());
  Resolve();
  return std::move(table_);
}

void RegexpTableBuilder::Resolve() {
  size_t next_pending = 0;
  size_t next_slot = 0;  // the next of first_compile_
  const size_t slots = std::max(precompiled_.size(), checks_.groups.size());
  std::vector<TableEntry>& entries = table_.entries_;
  for (uint32_t index = 0; index < entries.size(); ++index) {
    while (next_pending < pending_.size() && pending_[next_pending].entry == index) {
      table_.warnings_.push_back(std::move(pending_[next_pending++].warning));
    }
    TableEntry& e = entries[index];
    SetScope(&e);
    if (e.kind == TableLineKind::kEndif) {
      ResolveEndif(index);
      continue;
    }
    if (!compile_[index]) continue;
    const size_t slot = next_slot < slots ? next_slot++ : kNoSlot;
    std::shared_ptr<const Regex> regex;
    const std::optional<size_t> groups =
        Compile(e, *e.pattern, e.kind == TableLineKind::kIf || e.max_sub > 0, index, slot, &regex);
    if (!groups) continue;  // a dropped IF opens no scope, yet its ENDIF closes one
    if (e.kind == TableLineKind::kIf) {
      if (regex != nullptr) table_.first_regex_[index] = std::move(regex);
      e.active = true;
      stack_.push_back(index);
      continue;
    }
    if (e.max_sub > *groups) {
      // Postfix prints the index with %d of (int) max_sub.
      Warn2(TableWarningCode::kIndexOutOfRange,
            fmt::format("out of range replacement index \"{}\": skipping this rule",
                        static_cast<int>(static_cast<unsigned int>(e.max_sub))),
            e.result_range, index);
      continue;
    }
    std::shared_ptr<const Regex> second;
    if (e.second != nullptr && !Compile(e, *e.second, false, index, kNoSlot, &second)) continue;
    if (regex != nullptr) table_.first_regex_[index] = std::move(regex);
    if (second != nullptr) table_.second_regex_[index] = std::move(second);
    e.active = true;
  }
  // dict_*_open(): every IF still open at EOF, innermost first.
  while (!stack_.empty()) {
    uint32_t if_index = stack_.back();
    stack_.pop_back();
    const TableEntry& e = entries[if_index];
    Warn2(TableWarningCode::kIfWithoutEndif, "IF has no matching ENDIF", e.range, if_index);
  }
}

void RegexpTableBuilder::ResolveEndif(uint32_t index) {
  TableEntry& e = table_.entries_[index];
  if (stack_.empty()) {
    e.extra = nullptr;
    Warn2(TableWarningCode::kEndifWithoutIf, "ignoring ENDIF without matching IF", e.range, index);
    return;
  }
  if (!e.extra_text().empty()) {
    Warn2(TableWarningCode::kEndifExtraText, "ignoring extra text after ENDIF", e.extra_range(), index);
  }
  uint32_t if_index = stack_.back();
  stack_.pop_back();
  SetScope(&e);
  e.partner = if_index;
  e.active = true;
  table_.entries_[if_index].partner = index;
}

// Compiles `pat` (or takes what the compile between the phases gave for
// `slot`); returns its group count, or nullopt after warning that it failed.
// A kResident table's compiled code goes to `keep`.
std::optional<size_t> RegexpTableBuilder::Compile(const TableEntry& e, const TablePattern& pat,
                                                  bool need_groups, uint32_t index, size_t slot,
                                                  std::shared_ptr<const Regex>* keep) {
  if (slot != kNoSlot && slot < checks_.groups.size()) {
    if (checks_.groups[slot] != CompileChecks::kFailed) return checks_.groups[slot];
    // Errors are listed in slot order, and slots are taken in order.
    while (next_error_ < checks_.errors.size() && checks_.errors[next_error_].first < slot) ++next_error_;
    std::string message;
    if (next_error_ < checks_.errors.size() && checks_.errors[next_error_].first == slot) {
      message = std::move(checks_.errors[next_error_++].second);
    }
    Warn2(TableWarningCode::kCompileError, std::move(message), pat.range, index, e.line);
    return std::nullopt;
  }
  Result<std::shared_ptr<const Regex>> compiled =
      slot != kNoSlot ? std::move(precompiled_[slot])
                      : Regex::Compile(dialect_, pat.body, pat.options, need_groups, false, residency_);
  if (!compiled.ok()) {
    Warn2(TableWarningCode::kCompileError, compiled.status().message(), pat.range, index, e.line);
    return std::nullopt;
  }
  const size_t groups = (*compiled)->capture_count();
  if (residency_ == Residency::kResident) *keep = std::move(*compiled);
  return groups;
}

void RegexpTableBuilder::SetScope(TableEntry* e) const {
  e->parent = stack_.empty() ? TableEntry::kNoEntry : stack_.back();
  e->depth = static_cast<uint32_t>(stack_.size());
}

// A warning of phase 2, on the line of the entry it belongs to.
void RegexpTableBuilder::Warn2(TableWarningCode code, std::string text, ByteRange range,
                               uint32_t entry) {
  Warn2(code, std::move(text), range, entry, table_.entries_[entry].line);
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
