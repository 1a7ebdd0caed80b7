// RegexpTableBuilder: internal to the regexp:/pcre: table loader
// (RegexpTable::Build()); nothing outside src/model/regexp_table*.cpp may
// include this header.
//
// Contract: Run() builds the RegexpTable of one Cst exactly as
// RegexpTable::Build() documents. Each entry is built whole (a TableEntry)
// for its line, then handed to RegexpTable::Append(), which packs it; the
// resolve phase reads entries back with RegexpTable::Entry() and records
// scope, activity and partners on the packed records. Phase 1 (regexp_table_parse.cpp) turns
// the logical lines into entries and their syntax warnings; phase 2
// (regexp_table_resolve.cpp) compiles, keeps or drops rules and tracks the
// IF stack.

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/match/compile_all.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {

// The current logical line as the parsers see it: a view of the Source when
// it is one physical line (no copy, offsets computed), else the joined text
// kept by the table with the offsets JoinLogicalLine() gives.
struct LineText {
  std::string_view text;
  uint32_t base = 0;                // one physical line: Source offset of text[0]
  const LogicalLine* joined = nullptr;
  uint32_t line = 0;

  ByteRange Range(size_t b, size_t e) const {
    if (joined != nullptr) return joined->Range(b, e);
    const auto begin = static_cast<uint32_t>(base + b);
    return b >= e ? ByteRange{begin, begin} : ByteRange{begin, static_cast<uint32_t>(base + e)};
  }
};

// A warning of the parse phase, kept until the resolve phase reaches its
// entry (so that each entry's warnings stay in Postfix's order).
struct PendingWarning {
  uint32_t entry;
  TableWarning warning;
};

// Builds one RegexpTable, mirroring dict_regexp_parseline() /
// dict_pcre_parse_rule() and the open loop, in two phases:
//
// 1. Parse: every logical line becomes an entry with its syntax (patterns,
//    result, extra text) and the warnings that depend on nothing else; the
//    patterns Postfix would compile are listed.
// 2. Resolve, in file order: compile (or take the compiled pattern), keep or
//    drop each rule, and track the IF stack, which depends on which IFs
//    compiled: scopes, ENDIF pairing and the warnings that go with them.
//
// For a large table the listed patterns are compiled between the phases on
// every core (CompileAll(), or CheckAll() for kOnDemand); the second pattern of `/a/!/b/` is compiled in
// phase 2, as the one-pass loader did, so the outcome (the run's regcomp
// budget included) is that of one sequential pass.
class RegexpTableBuilder {
 public:
  // `full` (tests only; may be null) receives every entry unpacked
  // (RegexpTable::BuildKeepingFullEntries()).
  RegexpTableBuilder(const Cst& cst, TableType type, Residency residency, std::vector<TableEntry>* full)
      : cst_(cst), table_(cst.source(), type), residency_(residency), full_(full) {
    dialect_ = table_.dialect();
  }

  RegexpTable Run();  // regexp_table_resolve.cpp

 private:
  // ---- Phase 1 (regexp_table_parse.cpp) ----

  void Parse();
  void Leading();
  void ParseLine();
  void MatchLine();
  void IfLine();
  void EndifLine();
  void PlanCompile(uint32_t index);
  bool GetPattern(size_t* pos, std::optional<TablePattern>* out);
  static TableWarningCode IssueCode(ReplacementIssueKind kind);
  size_t SkipSpace(size_t p) const;
  TableEntry& NewEntry(TableLineKind kind, ByteRange range);
  void Commit();
  uint32_t Index() const;
  void Warn(TableWarningCode code, std::string text, ByteRange range, uint32_t entry,
            WarningPrefix prefix = WarningPrefix::kMap);

  // ---- Phase 2 (regexp_table_resolve.cpp) ----

  void Resolve();
  void ResolveEndif(uint32_t index, const TableEntry& e);
  static constexpr size_t kNoSlot = SIZE_MAX;
  std::optional<size_t> Compile(uint32_t index, bool second, bool need_groups, size_t slot,
                                std::shared_ptr<const Regex>* keep);
  // The resolve phase's changes to entry `index`, made on the table's
  // record (and on full_ when kept).
  void SetScope(uint32_t index);
  void SetActive(uint32_t index);
  void SetPartners(uint32_t if_index, uint32_t endif_index);
  void DropExtra(uint32_t index);
  void Warn2(TableWarningCode code, std::string text, ByteRange range, uint32_t entry);
  void Warn2(TableWarningCode code, std::string text, ByteRange range, uint32_t entry,
             uint32_t line);

  const Cst& cst_;
  RegexpTable table_;
  Residency residency_;
  std::vector<TableEntry>* full_;
  RegexDialect dialect_;
  LineText line_;
  // Phase 1: the entry of the current line, appended to the table (packed)
  // once the line is parsed.
  TableEntry cur_;
  std::string_view text_;       // the current line as the parser sees it
  // Phase 1 results: which entries compile a first pattern, in order, and
  // the warnings in entry order.
  std::vector<bool> compile_;
  std::vector<uint32_t> first_compile_;
  std::vector<PendingWarning> pending_;
  // What the compile between the phases gave, one per first_compile_: the
  // Regex objects when the table keeps them (kResident), else only group
  // counts and errors (CheckAll()), so that memory stays small.
  std::vector<Result<std::shared_ptr<const Regex>>> precompiled_;
  CompileChecks checks_;
  size_t next_error_ = 0;  // the first of checks_.errors not yet reported
  std::vector<uint32_t> stack_;  // active IFs not yet closed
};

}  // namespace postvet
