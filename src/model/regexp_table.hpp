// RegexpTable: what Postfix makes of a regexp: or pcre: table when it loads
// it (util/dict_regexp.c, util/dict_pcre.c; format spec section 6), built
// from the table's Cst.
//
// Contract: every logical line of the file becomes one TableEntry, in file
// order, whether Postfix keeps it or skips it. `active` entries are exactly
// the rules Postfix's loader keeps, so a lookup over them (match/
// table_lookup.hpp) returns what `postmap -q` returns. Each entry records
// its parts (negation, pattern body, delimiter, flags, result) with their
// byte ranges in the Source, and its scope: the enclosing IFs as Postfix
// nests them, which is not always how they look (an IF that Postfix drops
// does not open a scope, but its ENDIF still closes one: spec 6.5).
//
// Every warning Postfix prints while loading the table is kept as a
// TableWarning, in Postfix's order, with its exact wording and line, so
// rules can report them and `postvet query` can print them.
//
// The semantic parse runs on the text Postfix sees (joined continuation
// lines, cut at the first NUL, trailing whitespace trimmed); the Cst only
// delimits the logical lines. Patterns are compiled (regcomp or PCRE2) as
// part of building, because compile errors and group counts decide which
// rules Postfix keeps.
//
// Memory: the table does not keep TableEntry values. It keeps one 24-byte
// record per logical line (RegexpTable::PackedEntry: offsets of the parts
// relative to the line's start, the enclosing IF and a few bits) and
// materialises a full TableEntry on demand (Entry(), entries()); what is
// cheap to recompute is recomputed with the functions the builder uses:
// the '!' count, the compile options from the flag letters, the line number
// from the Source's line index, the depth from the enclosing IF's (IFs keep
// theirs in a side list). The builder encodes each entry, decodes it again
// and compares the two field by field (SameEntry()); an entry the record
// cannot hold exactly (a line joined from several physical lines, a
// `/a/!/b/` rule, IF and ENDIF extra text, offsets past 65,535 bytes, a `$n`
// past 255) is kept whole in a side table instead. So a materialised entry
// is always the one the builder computed. IF/ENDIF partners are a sorted
// side list. Hot loops read single fields (Kind(), Active(), Pattern(),
// ResultText(), ...) rather than whole entries.
//
// An entry holds no heap data of its own. Pattern bodies, flags, results
// and extra text are views into the Source when the logical line is one
// physical line (the usual case), else into the joined text of that line,
// which the table keeps; so the views live as long as the table and its
// Source, not as long as the TableEntry value. Scopes are parent links
// (Scope(), ListedScope()), and the split of a result into `$n` parts is
// recomputed when needed (ScanReplacement() of `result`). The rare parts
// (the second pattern of `/a/!/b/`, the extra text of IF and ENDIF lines)
// live in the table, the entry points to them; a pattern's flags are a
// length after its body. Compiled code is not part of an entry either:
// Compiled() gives it, kept by the table (kResident) or compiled on first
// use (kOnDemand, for linting, where only lookups need it).
#pragma once

#include <cstdint>
#include <cstddef>
#include <deque>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "grammar/cst_builder.hpp"
#include "grammar/cst.hpp"
#include "src/match/regex_engine.hpp"
#include "src/model/logical_line.hpp"
#include "src/model/regexp_table_warning.hpp"
#include "src/model/table_replacement.hpp"

namespace postvet {

/// What a logical line of a table is, by its first byte (spec 6.2).
enum class TableLineKind : uint8_t {
  kMatch,         // [!]/pattern/flags result
  kIf,            // if [!]/pattern/flags
  kEndif,         // endif
  kUnrecognized,  // starts with a letter or digit but is not if/endif
  kEmpty,         // empty once cut at NUL (Postfix skips it silently)
  kLeading,       // continuation text before the first logical line (discarded)
};

/// One pattern with its delimiters and flags, as written.
struct TablePattern {
  /// The regex handed to the compiler: the bytes between the delimiters,
  /// backslashes kept (Postfix only uses them to find the closing delimiter).
  std::string_view body;
  /// Length of flags() (kept as a length: the letters follow the closing
  /// delimiter in the same text as `body`).
  uint32_t flags_size = 0;
  /// Number of '!' before the delimiter; an odd count negates the match.
  uint32_t negations = 0;
  /// Compile options after the flag toggles (dialect bits; see regex_engine.hpp).
  uint32_t options = 0;
  ByteRange negation_range;  ///< the run of '!' and whitespace before the delimiter
  ByteRange range;           ///< opening delimiter .. closing delimiter, inclusive
  ByteRange body_range;      ///< between the delimiters
  ByteRange flags_range;
  char delimiter = '/';

  bool negated() const { return negations % 2 == 1; }
  /// The flag letters, up to and including an unknown one.
  std::string_view flags() const {
    return flags_size == 0 ? std::string_view() : std::string_view(body.data() + body.size() + 1, flags_size);
  }
};

/// The text after an IF's pattern or after `endif`, which Postfix ignores.
struct TableExtraText {
  std::string_view text;
  ByteRange range;
};

/// One logical line and what Postfix made of it: a value the table
/// materialises on demand (RegexpTable::Entry()).
struct TableEntry {
  TableLineKind kind = TableLineKind::kMatch;
  /// Postfix kept this line: it takes part in lookups.
  bool active = false;
  uint32_t line = 0;     ///< Postfix's line number: first physical line
  ByteRange range;       ///< the logical line, trailing whitespace and LF excluded
  /// Primary pattern (match and IF lines; absent when Postfix found none).
  std::optional<TablePattern> pattern;
  /// regexp only: the `/a/!/b/` second pattern, which must not match when
  /// its own negation count is odd (Postfix's parity rules apply to both).
  /// Null when there is none; owned by the table (valid as long as it is).
  const TablePattern* second = nullptr;
  /// Result text: joined, cut at NUL, trailing whitespace trimmed.
  std::string_view result;
  ByteRange result_range;
  /// IF and ENDIF lines: the text Postfix ignores (extra_text()), kept by
  /// the table; null for other lines and when Postfix ignores the line.
  const TableExtraText* extra = nullptr;
  /// The largest `$n` of the result (ScanReplacement()'s max_sub); > 0
  /// means the result uses match groups.
  size_t max_sub = 0;
  /// Index (into entries()) of the innermost enclosing active IF, or
  /// kNoEntry at top level; RegexpTable::Scope() gives the whole chain.
  uint32_t parent = kNoEntry;
  /// Number of enclosing active IFs.
  uint32_t depth = 0;
  /// IF: index of its ENDIF (kNone if unclosed); ENDIF: index of the IF it closes.
  uint32_t partner = kNoEntry;

  static constexpr uint32_t kNoEntry = UINT32_MAX;
  static constexpr size_t kMaxListedScope = 64;

  /// IF: the text Postfix ignores after the pattern; ENDIF: after `endif`.
  std::string_view extra_text() const { return extra != nullptr ? extra->text : std::string_view(); }
  ByteRange extra_range() const { return extra != nullptr ? extra->range : ByteRange{}; }
};

/// Whether `a` and `b` are the same entry in every field, views compared by
/// address and length (not only by their bytes).
bool SameEntry(const TableEntry& a, const TableEntry& b);

class RegexpTable;

/// The entries of a table, in file order, as a light range: each access
/// materialises a TableEntry value (RegexpTable::Entry()). Bind an element
/// to a `const TableEntry&` or copy it; a pointer or reference into an
/// element does not outlive the statement that made it (its views and
/// pointers do: they point into the table).
class TableEntries {
 public:
  class Iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = TableEntry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = TableEntry;
    Iterator() = default;
    TableEntry operator*() const;
    Iterator& operator++() {
      ++index_;
      return *this;
    }
    Iterator operator++(int) {
      Iterator old = *this;
      ++index_;
      return old;
    }
    bool operator==(const Iterator& o) const { return index_ == o.index_; }
    bool operator!=(const Iterator& o) const { return index_ != o.index_; }

   private:
    friend class TableEntries;
    Iterator(const RegexpTable* table, uint32_t index) : table_(table), index_(index) {}
    const RegexpTable* table_ = nullptr;
    uint32_t index_ = 0;
  };

  size_t size() const;
  bool empty() const { return size() == 0; }
  TableEntry operator[](size_t index) const;
  /// As operator[], throwing std::out_of_range past the end.
  TableEntry at(size_t index) const;
  TableEntry front() const { return (*this)[0]; }
  TableEntry back() const { return (*this)[size() - 1]; }
  Iterator begin() const { return Iterator(table_, 0); }
  Iterator end() const { return Iterator(table_, static_cast<uint32_t>(size())); }

 private:
  friend class RegexpTable;
  explicit TableEntries(const RegexpTable* table) : table_(table) {}
  const RegexpTable* table_;
};

/// The loaded table.
class RegexpTable {
 public:
  /// Builds the model of `cst` (from ParseTable(source, type)). Never fails:
  /// what Postfix rejects is recorded as warnings and inactive entries.
  /// `residency` kOnDemand (for linting) keeps no compiled code in memory:
  /// each pattern is compiled to learn what Postfix would make of it, and
  /// compiled again only if a lookup needs it (regex_engine.hpp).
  static RegexpTable Build(const Cst& cst, TableType type, Residency residency = Residency::kResident);
  /// For tests: Build(), and `*full` gets every entry as the builder
  /// computed it before packing (with the scope, partner and activity the
  /// resolve phase gave), to compare with what entries() materialises.
  static RegexpTable BuildKeepingFullEntries(const Cst& cst, TableType type, Residency residency,
                                             std::vector<TableEntry>* full);
  // Entries hold views into joined_: a copy would point into the original.
  // (Moving keeps them: a deque's elements stay where they are.)
  RegexpTable(RegexpTable&&) = default;
  RegexpTable& operator=(RegexpTable&&) = default;
  RegexpTable(const RegexpTable&) = delete;
  RegexpTable& operator=(const RegexpTable&) = delete;

  TableType type() const { return type_; }
  RegexDialect dialect() const {
    return type_ == TableType::kRegexp ? RegexDialect::kPosix : RegexDialect::kPcre;
  }
  const Source& source() const { return *source_; }
  /// Every entry, materialised on access (TableEntries).
  TableEntries entries() const { return TableEntries(this); }
  size_t size() const { return packed_.size(); }
  /// Entry `index` as the builder computed it.
  TableEntry Entry(uint32_t index) const;
  /// Single fields of entry `index`, without materialising it.
  TableLineKind Kind(uint32_t index) const { return static_cast<TableLineKind>(packed_[index].bits & kKindMask); }
  bool Active(uint32_t index) const { return (packed_[index].bits & kActiveBit) != 0; }
  uint32_t Line(uint32_t index) const;
  uint32_t Parent(uint32_t index) const { return packed_[index].parent; }
  uint32_t Depth(uint32_t index) const { return DepthUnder(packed_[index].parent); }
  uint32_t Partner(uint32_t index) const;
  /// Entry(index).pattern and .second, without materialising the rest.
  std::optional<TablePattern> Pattern(uint32_t index) const;
  const TablePattern* Second(uint32_t index) const;
  size_t MaxSub(uint32_t index) const;
  /// Entry(index).pattern->negated() (the entry must have a pattern).
  bool Negated(uint32_t index) const;
  /// Entry(index).result, without materialising the entry.
  std::string_view ResultText(uint32_t index) const;
  const std::vector<TableWarning>& warnings() const { return warnings_; }
  /// How many entries are kept whole instead of packed (tests, statistics).
  size_t FatEntries() const { return fat_.size(); }
  /// Indices of the active IFs enclosing entry `index`, outermost first
  /// (stored as parent links so deep nesting costs linear memory).
  std::vector<uint32_t> Scope(uint32_t index) const;
  /// The part of Scope() the rules look at: all of it up to
  /// TableEntry::kMaxListedScope levels, else only the innermost
  /// kMaxListedScope IFs (outermost first), so that their work stays
  /// linear on pathological nesting.
  std::vector<uint32_t> ListedScope(uint32_t index) const;
  /// Calls `visit(if_index)` for each IF of ListedScope(index), innermost
  /// first, until it returns true; returns whether one did. No allocation.
  template <typename Visit>
  bool AnyListedScope(uint32_t index, Visit visit) const {
    uint32_t p = Parent(index);
    for (size_t n = 0; p != TableEntry::kNoEntry && n < TableEntry::kMaxListedScope; ++n, p = Parent(p)) {
      if (visit(p)) return true;
    }
    return false;
  }
  /// Whether entry `index` has compiled code for its pattern (`second`: for
  /// its second pattern): exactly the active match and IF entries do (and
  /// the second pattern of an active match entry that has one).
  bool HasCompiled(uint32_t index, bool second = false) const;
  /// That compiled code (HasCompiled() must be true). A kOnDemand table
  /// compiles it on the first call (not charged to the run's regcomp budget
  /// again) and keeps it; the error is what a failed recompile (out of
  /// memory) said. Safe to call from several threads.
  Result<const Regex*> Compiled(uint32_t index, bool second = false) const;
  /// The result of entry `index` split as Postfix's pre-scan splits it.
  ReplacementScan Replacement(uint32_t index) const;
  /// Warnings for lines that are not valid syntax at all (PV001): unrecognized
  /// request, no regexp, no closing delimiter, leading whitespace.
  std::vector<const TableWarning*> BadLines() const;

 private:
  friend class RegexpTableBuilder;
  RegexpTable(const Source& source, TableType type)
      : source_(&source),
        type_(type),
        default_options_(DefaultRegexOptions(dialect())),
        compiled_mutex_(std::make_unique<std::mutex>()) {}

  // One logical line (regexp_table_entries.cpp). Offsets are relative to
  // `begin` (the start of the entry's range); the line number is that of
  // `begin`. A fat entry (kFatBit) is fat_[begin]; its scope and activity
  // are still here.
  struct PackedEntry {
    uint32_t begin = 0;      // range.begin, or the index into fat_
    uint32_t parent = TableEntry::kNoEntry;
    uint16_t size = 0;       // range.end - range.begin
    uint16_t negation = 0;   // pattern->negation_range.begin
    uint16_t open = 0;       // pattern->range.begin (the opening delimiter)
    uint16_t close = 0;      // pattern->body_range.end (the closing delimiter)
    uint16_t flags_end = 0;  // pattern->flags_range.end
    uint16_t result = 0;     // result_range.begin (its end is range.end)
    uint8_t max_sub = 0;
    uint8_t bits = 0;        // kind (kKindMask) and the bits below
  };
  static_assert(sizeof(PackedEntry) == 24, "a packed entry is 24 bytes");
  static constexpr uint8_t kKindMask = 0x07;
  static constexpr uint8_t kActiveBit = 0x08;
  static constexpr uint8_t kPatternBit = 0x10;
  static constexpr uint8_t kResultBit = 0x20;
  static constexpr uint8_t kFatBit = 0x40;

  // Appends `e` (the builder's entry, before the resolve phase): packed when
  // the record decodes back to exactly `e`, else kept whole in fat_.
  void Append(const TableEntry& e);
  // The record of `e` (false when an offset does not fit).
  bool Pack(const TableEntry& e, PackedEntry* out) const;
  // The entry a record (not a fat one) stands for, without partner, and
  // the pattern of one with kPatternBit.
  TableEntry Unpack(const PackedEntry& p) const;
  void UnpackPattern(const PackedEntry& p, TablePattern* pat) const;
  // The depth of an entry whose innermost enclosing IF is `parent`.
  uint32_t DepthUnder(uint32_t parent) const;
  // The fat entry of `index`, or null.
  TableEntry* Fat(uint32_t index);
  const TableEntry* Fat(uint32_t index) const;

  const Source* source_;
  TableType type_;
  uint32_t default_options_;  // DefaultRegexOptions(dialect())
  std::vector<PackedEntry> packed_;
  std::vector<TableEntry> fat_;
  // IF/ENDIF pairs Postfix made, both ways ({if, endif} and {endif, if}),
  // sorted by their first index once built.
  std::vector<std::pair<uint32_t, uint32_t>> partners_;
  // The depth of every IF entry, by index (in file order, so sorted).
  std::vector<std::pair<uint32_t, uint32_t>> if_depths_;
  std::vector<TableWarning> warnings_;
  // The joined text of logical lines that span several physical lines
  // (a deque never moves its elements, so views into them stay valid).
  std::deque<std::string> joined_;
  // The second patterns of `/a/!/b/` rules (TableEntry::second).
  std::deque<TablePattern> seconds_;
  // The extra text of IF and ENDIF lines (TableEntry::extra).
  std::deque<TableExtraText> extras_;
  // Compiled code by entry, first patterns (empty until needed) and second
  // ones; a kResident table fills them when it is built.
  mutable std::vector<std::shared_ptr<const Regex>> first_regex_;
  mutable std::unordered_map<uint32_t, std::shared_ptr<const Regex>> second_regex_;
  std::unique_ptr<std::mutex> compiled_mutex_;  // guards both (a pointer: the table is movable)
};

inline size_t TableEntries::size() const { return table_->size(); }
inline TableEntry TableEntries::operator[](size_t index) const {
  return table_->Entry(static_cast<uint32_t>(index));
}
inline TableEntry TableEntries::Iterator::operator*() const { return table_->Entry(index_); }

/// "regexp" or "pcre".
std::string_view TableTypeName(TableType type);

/// The warning as Postfix prints it after `postmap: warning: `, for a table
/// named `map_name`: e.g. `regexp map t, line 3: no regexp: skipping this rule`.
/// Raw bytes: callers printing to a terminal sanitise (SanitizeMessage).
std::string FormatTableWarning(const TableWarning& warning, TableType type,
                               std::string_view map_name);

/// Postfix's msg_* sanitising at compatibility level 0: every byte that is
/// not printable ASCII becomes '?'.
std::string SanitizeMessage(std::string_view text);

}  // namespace postvet
