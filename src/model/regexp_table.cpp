#include "src/model/regexp_table.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "src/match/compile_all.hpp"

namespace postvet {
namespace {

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// strncasecmp(p, word, len) == 0 && !ISALNUM(p[len]), as the parsers test
// for IF and ENDIF.
bool IsKeyword(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(text[i]) != word[i]) return false;
  }
  return text.size() == word.size() || !IsAsciiAlnum(text[word.size()]);
}

}  // namespace

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
// every core (CompileAll()); the second pattern of `/a/!/b/` is compiled in
// phase 2, as the one-pass loader did, so the outcome (the run's regcomp
// budget included) is that of one sequential pass.
class RegexpTableBuilder {
 public:
  RegexpTableBuilder(const Cst& cst, TableType type, Residency residency)
      : cst_(cst), table_(cst.source(), type), residency_(residency) {
    dialect_ = table_.dialect();
  }

  RegexpTable Run() {
    Parse();
    if (cst_.node(cst_.root()).subtree_size >= kParallelCompileThreshold) {
      std::vector<CompileRequest> requests;
      requests.reserve(first_compile_.size());
      for (uint32_t index : first_compile_) {
        const TableEntry& e = table_.entries_[index];
        const bool need_groups = e.kind == TableLineKind::kIf || e.max_sub > 0;
        requests.push_back(CompileRequest{dialect_, e.pattern->body, e.pattern->options, need_groups, residency_});
      }
      precompiled_ = CompileAll(requests);
    }
    Resolve();
    return std::move(table_);
  }

 private:
  // ---- Phase 1 ----

  void Parse() {
    const std::vector<uint32_t> lines = cst_.Children(cst_.root());
    table_.entries_.reserve(lines.size());  // at most one entry per line
    compile_.reserve(lines.size());
    const std::string_view source = cst_.source().text();
    LogicalLine joined;
    for (uint32_t child : lines) {
      const Node& node = cst_.node(child);
      if (node.kind == NodeKind::kBlankLine || node.kind == NodeKind::kCommentLine) continue;
      // One physical line (an LF at most at its end): the Source bytes are
      // the logical line. Otherwise join, and keep the joined text.
      uint32_t len = node.end - node.begin;
      if (len > 0 && source[node.end - 1] == '\n') --len;
      std::string_view raw = source.substr(node.begin, len);
      line_ = LineText{};
      line_.line = cst_.source().Locate(node.begin).line;
      if (raw.find('\n') == std::string_view::npos) {
        line_.text = raw;
        line_.base = node.begin;
      } else {
        joined = JoinLogicalLine(cst_.source(), node.begin, node.end);
        line_.text = table_.joined_.emplace_back(std::move(joined.text));
        line_.joined = &joined;
      }
      // Only the first logical line can start with whitespace (a later one
      // would be a continuation); readllines() discards it.
      if (node.kind == NodeKind::kBadLeading || (!line_.text.empty() && IsSpace(line_.text[0]))) {
        Leading();
      } else {
        ParseLine();
      }
      compile_.resize(table_.entries_.size(), false);
    }
  }

  // readllines(): a first logical line that starts with whitespace is
  // reported with its first 30 bytes (up to a NUL) and discarded.
  void Leading() {
    TableEntry& e = NewEntry(TableLineKind::kLeading, line_.Range(0, line_.text.size()));
    std::string_view shown = line_.text;
    shown = shown.substr(0, std::min(shown.find('\0'), size_t{30}));
    Warn(TableWarningCode::kLeadingWhitespace,
         fmt::format("logical line must not start with whitespace: \"{}{}\"", shown,
                     line_.text.size() > 30 ? "..." : ""),
         e.range, Index(), WarningPrefix::kFile);
  }

  void ParseLine() {
    // The parsers see a C string, trimmed at the end (trimblanks()).
    size_t len = std::min(line_.text.find('\0'), line_.text.size());
    while (len > 0 && IsSpace(line_.text[len - 1])) --len;
    text_ = line_.text.substr(0, len);
    if (text_.empty()) {
      NewEntry(TableLineKind::kEmpty, line_.Range(0, 0));
      return;
    }
    if (!IsAsciiAlnum(text_[0])) {
      MatchLine();
    } else if (IsKeyword(text_, "if")) {
      IfLine();
    } else if (IsKeyword(text_, "endif")) {
      EndifLine();
    } else {
      TableEntry& e = NewEntry(TableLineKind::kUnrecognized, line_.Range(0, text_.size()));
      Warn(TableWarningCode::kUnrecognizedRequest, "ignoring unrecognized request", e.range,
           Index());
    }
  }

  void MatchLine() {
    TableEntry& e = NewEntry(TableLineKind::kMatch, line_.Range(0, text_.size()));
    const uint32_t index = Index();
    size_t p = 0;
    if (!GetPattern(&p, &e.pattern)) return;
    if (dialect_ == RegexDialect::kPosix && p < text_.size() && text_[p] == '!') {
      if (!GetPattern(&p, &e.second)) return;
    }
    p = SkipSpace(p);
    e.result = text_.substr(p);
    e.result_range = line_.Range(p, text_.size());
    if (e.result.empty()) {
      Warn(TableWarningCode::kNoReplacementText, "no replacement text: using empty string",
           e.range, index);
    }
    // Without a '$' the pre-scan finds one literal part and nothing to say.
    if (e.result.find('$') != std::string_view::npos) {
      const ReplacementScan scan = ScanReplacement(e.result, dialect_);
      for (const ReplacementIssue& issue : scan.issues) {
        Warn(IssueCode(issue.kind), issue.message, line_.Range(p + issue.begin, p + issue.end),
             index, issue.map_prefixed ? WarningPrefix::kMap : WarningPrefix::kNone);
      }
      if (scan.syntax_error) {
        Warn(TableWarningCode::kBadReplacement, "bad replacement syntax: skipping this rule",
             e.result_range, index);
        return;
      }
      e.max_sub = scan.max_sub;
    }
    if (e.max_sub > 0 && e.pattern->negated()) {
      Warn(TableWarningCode::kNegatedReference,
           "$number found in negative match replacement text: skipping this rule",
           e.result_range, index);
      return;
    }
    PlanCompile(index);
  }

  void IfLine() {
    TableEntry& e = NewEntry(TableLineKind::kIf, line_.Range(0, text_.size()));
    const uint32_t index = Index();
    size_t p = SkipSpace(2);
    if (!GetPattern(&p, &e.pattern)) return;
    p = SkipSpace(p);
    if (p < text_.size()) {
      // An indented rule inside IF..ENDIF continues the IF line (spec 6.1).
      e.extra_text = text_.substr(p);
      e.extra_range = line_.Range(p, text_.size());
      Warn(TableWarningCode::kIfExtraText,
           fmt::format("ignoring extra text after IF statement: \"{}\"", e.extra_text),
           e.extra_range, index);
      Warn(TableWarningCode::kIfWhitespaceHint,
           "do not prepend whitespace to statements between IF and ENDIF", e.extra_range, index);
    }
    PlanCompile(index);
  }

  // What follows `endif` is kept here; phase 2 decides whether Postfix
  // looks at it (not when the ENDIF has no IF).
  void EndifLine() {
    TableEntry& e = NewEntry(TableLineKind::kEndif, line_.Range(0, text_.size()));
    size_t p = SkipSpace(5);
    if (p < text_.size()) {
      e.extra_text = text_.substr(p);
      e.extra_range = line_.Range(p, text_.size());
    }
  }

  void PlanCompile(uint32_t index) {
    compile_.resize(table_.entries_.size(), false);
    compile_[index] = true;
    first_compile_.push_back(index);
  }

  // dict_regexp_get_pat() / dict_pcre_get_pattern(): negation run,
  // delimited body, flags. Returns false when Postfix skips the line; the
  // pattern is kept whenever its closing delimiter was found.
  bool GetPattern(size_t* pos, std::optional<TablePattern>* out) {
    const uint32_t index = Index();
    const bool posix = dialect_ == RegexDialect::kPosix;
    TablePattern pat;
    size_t p = *pos;
    const size_t neg_begin = p;
    for (; p < text_.size(); ++p) {
      if (text_[p] == '!') {
        ++pat.negations;
      } else if (!IsSpace(text_[p])) {
        break;
      }
    }
    pat.negation_range = line_.Range(neg_begin, p);
    if (p >= text_.size()) {
      Warn(TableWarningCode::kNoRegexp, "no regexp: skipping this rule", Entry(index).range,
           index);
      return false;
    }
    const size_t open = p;
    pat.delimiter = text_[p++];
    const size_t body_begin = p;
    while (p < text_.size()) {
      if (text_[p] == '\\') {
        // regexp: a backslash at the very end stops the scan and is taken
        // as the closing delimiter; pcre: it leaves the pattern unclosed.
        if (p + 1 >= text_.size()) {
          if (!posix) ++p;
          break;
        }
        ++p;
      } else if (text_[p] == pat.delimiter) {
        break;
      }
      ++p;
    }
    if (p >= text_.size()) {
      Warn(TableWarningCode::kNoClosingDelimiter,
           fmt::format("no closing regexp delimiter \"{}\": {} this rule", pat.delimiter,
                       posix ? "skipping" : "ignoring"),
           line_.Range(open, text_.size()), index);
      return false;
    }
    pat.body = text_.substr(body_begin, p - body_begin);
    pat.body_range = line_.Range(body_begin, p);
    ++p;
    pat.range = line_.Range(open, p);
    pat.options = DefaultRegexOptions(dialect_);
    const size_t flags_begin = p;
    bool ok = true;
    while (p < text_.size() && !IsSpace(text_[p]) && !(posix && text_[p] == '!')) {
      const char flag = text_[p];
      FlagKind kind = ApplyRegexFlag(dialect_, flag, &pat.options);
      if (kind == FlagKind::kUnknown) {
        Warn(TableWarningCode::kUnknownOption,
             fmt::format("unknown regexp option \"{}\": skipping this rule", flag),
             line_.Range(p, p + 1), index);
        ok = false;
        ++p;
        break;
      }
      if (kind == FlagKind::kObsolete) {
        Warn(TableWarningCode::kObsoleteOption,
             fmt::format("ignoring obsolete regexp option \"{}\"", flag), line_.Range(p, p + 1),
             index);
      }
      ++p;
    }
    pat.flags = text_.substr(flags_begin, p - flags_begin);
    pat.flags_range = line_.Range(flags_begin, p);
    *out = pat;
    *pos = p;
    return ok;
  }

  static TableWarningCode IssueCode(ReplacementIssueKind kind) {
    switch (kind) {
      case ReplacementIssueKind::kNonNumericIndex: return TableWarningCode::kNonNumericIndex;
      case ReplacementIssueKind::kIndexZero: return TableWarningCode::kIndexZero;
      case ReplacementIssueKind::kTruncated: return TableWarningCode::kTruncatedMacro;
      case ReplacementIssueKind::kEmptyName: return TableWarningCode::kEmptyMacroName;
    }
    return TableWarningCode::kBadReplacement;
  }

  size_t SkipSpace(size_t p) const {
    while (p < text_.size() && IsSpace(text_[p])) ++p;
    return p;
  }

  TableEntry& NewEntry(TableLineKind kind, ByteRange range) {
    TableEntry& e = table_.entries_.emplace_back();
    e.kind = kind;
    e.line = line_.line;
    e.range = range;
    return e;
  }
  uint32_t Index() const { return static_cast<uint32_t>(table_.entries_.size() - 1); }
  TableEntry& Entry(uint32_t i) { return table_.entries_[i]; }

  void Warn(TableWarningCode code, std::string text, ByteRange range, uint32_t entry,
            WarningPrefix prefix = WarningPrefix::kMap) {
    TableWarning& w = pending_.emplace_back(PendingWarning{entry, TableWarning{}}).warning;
    w.code = code;
    w.prefix = prefix;
    w.line = line_.line;
    w.range = range;
    w.text = std::move(text);
    w.entry = entry;
  }

  // ---- Phase 2 ----

  void Resolve() {
    size_t next_pending = 0;
    size_t next_precompiled = 0;
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
      std::optional<Result<std::shared_ptr<const Regex>>> ready;
      if (next_precompiled < precompiled_.size()) ready.emplace(std::move(precompiled_[next_precompiled++]));
      std::shared_ptr<const Regex> regex = Compile(e, *e.pattern, e.kind == TableLineKind::kIf || e.max_sub > 0,
                                                   index, std::move(ready));
      if (regex == nullptr) continue;  // a dropped IF opens no scope, yet its ENDIF closes one
      if (e.kind == TableLineKind::kIf) {
        e.regex = std::move(regex);
        e.active = true;
        stack_.push_back(index);
        continue;
      }
      if (e.max_sub > regex->capture_count()) {
        // Postfix prints the index with %d of (int) max_sub.
        Warn2(TableWarningCode::kIndexOutOfRange,
              fmt::format("out of range replacement index \"{}\": skipping this rule",
                          static_cast<int>(static_cast<unsigned int>(e.max_sub))),
              e.result_range, index);
        continue;
      }
      std::shared_ptr<const Regex> second;
      if (e.second) {
        second = Compile(e, *e.second, false, index, std::nullopt);
        if (second == nullptr) continue;
      }
      e.regex = std::move(regex);
      e.second_regex = std::move(second);
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

  void ResolveEndif(uint32_t index) {
    TableEntry& e = table_.entries_[index];
    if (stack_.empty()) {
      e.extra_text = {};
      e.extra_range = {};
      Warn2(TableWarningCode::kEndifWithoutIf, "ignoring ENDIF without matching IF", e.range, index);
      return;
    }
    if (!e.extra_text.empty()) {
      Warn2(TableWarningCode::kEndifExtraText, "ignoring extra text after ENDIF", e.extra_range, index);
    }
    uint32_t if_index = stack_.back();
    stack_.pop_back();
    SetScope(&e);
    e.partner = if_index;
    e.active = true;
    table_.entries_[if_index].partner = index;
  }

  // `ready`: the result CompileAll() gave for this pattern, if any.
  std::shared_ptr<const Regex> Compile(const TableEntry& e, const TablePattern& pat, bool need_groups,
                                       uint32_t index,
                                       std::optional<Result<std::shared_ptr<const Regex>>> ready) {
    Result<std::shared_ptr<const Regex>> compiled =
        ready ? std::move(*ready) : Regex::Compile(dialect_, pat.body, pat.options, need_groups, false, residency_);
    if (!compiled.ok()) {
      Warn2(TableWarningCode::kCompileError, compiled.status().message(), pat.range, index, e.line);
      return nullptr;
    }
    return std::move(compiled.value());
  }

  void SetScope(TableEntry* e) const {
    e->parent = stack_.empty() ? TableEntry::kNoEntry : stack_.back();
    e->depth = static_cast<uint32_t>(stack_.size());
  }

  // A warning of phase 2, on the line of the entry it belongs to.
  void Warn2(TableWarningCode code, std::string text, ByteRange range, uint32_t entry) {
    Warn2(code, std::move(text), range, entry, table_.entries_[entry].line);
  }
  void Warn2(TableWarningCode code, std::string text, ByteRange range, uint32_t entry, uint32_t line) {
    TableWarning w;
    w.code = code;
    w.prefix = WarningPrefix::kMap;
    w.line = line;
    w.range = range;
    w.text = std::move(text);
    w.entry = entry;
    table_.warnings_.push_back(std::move(w));
  }

  const Cst& cst_;
  RegexpTable table_;
  Residency residency_;
  RegexDialect dialect_;
  LineText line_;
  std::string_view text_;       // the current line as the parser sees it
  // Phase 1 results: which entries compile a first pattern, in order, and
  // the warnings in entry order.
  std::vector<bool> compile_;
  std::vector<uint32_t> first_compile_;
  std::vector<PendingWarning> pending_;
  std::vector<Result<std::shared_ptr<const Regex>>> precompiled_;  // one per first_compile_
  std::vector<uint32_t> stack_;  // active IFs not yet closed
};

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
