#include "src/model/regexp_table.hpp"

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

// Builds one RegexpTable; one method per kind of line, mirroring
// dict_regexp_parseline() / dict_pcre_parse_rule() and the open loop.
class RegexpTableBuilder {
 public:
  RegexpTableBuilder(const Cst& cst, TableType type) : cst_(cst), table_(cst.source(), type) {
    dialect_ = table_.dialect();
  }

  // For a large table: a first pass only collects the patterns (compiling
  // nothing), CompileAll() compiles them on every core, and the real pass
  // takes each result from there. A pattern the first pass did not see (the
  // second of `/a/!/b/` after a first that failed to compile) is compiled
  // in place, so the outcome is the same as one sequential pass.
  void Precompile() {
    if (cst_.node(cst_.root()).subtree_size < kParallelCompileThreshold) return;
    RegexpTableBuilder collector(cst_, table_.type());
    collector.collect_ = true;
    const size_t entries = collector.Run().entries_.size();
    std::vector<Result<std::shared_ptr<const Regex>>> compiled = CompileAll(collector.requests_);
    precompiled_.resize(2 * entries);
    for (size_t i = 0; i < compiled.size(); ++i) {
      precompiled_[collector.request_keys_[i]].emplace(std::move(compiled[i]));
    }
  }

  RegexpTable Run() {
    const std::vector<uint32_t> lines = cst_.Children(cst_.root());
    table_.entries_.reserve(lines.size());  // at most one entry per line
    for (uint32_t child : lines) {
      const Node& node = cst_.node(child);
      if (node.kind == NodeKind::kBlankLine || node.kind == NodeKind::kCommentLine) continue;
      line_ = JoinLogicalLine(cst_.source(), node.begin, node.end);
      // Only the first logical line can start with whitespace (a later one
      // would be a continuation); readllines() discards it.
      if (node.kind == NodeKind::kBadLeading || (!line_.text.empty() && IsSpace(line_.text[0]))) {
        Leading();
        continue;
      }
      ParseLine();
    }
    // dict_*_open(): every IF still open at EOF, innermost first.
    while (!stack_.empty()) {
      uint32_t if_index = stack_.back();
      stack_.pop_back();
      const TableEntry& e = table_.entries_[if_index];
      Warn(TableWarningCode::kIfWithoutEndif, "IF has no matching ENDIF", e.range, if_index,
           WarningPrefix::kMap, e.line);
    }
    return std::move(table_);
  }

 private:
  // readllines(): a first logical line that starts with whitespace is
  // reported with its first 30 bytes (up to a NUL) and discarded.
  void Leading() {
    TableEntry& e = NewEntry(TableLineKind::kLeading);
    e.range = line_.Range(0, line_.text.size());
    std::string_view shown(line_.text);
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
    text_ = std::string_view(line_.text).substr(0, len);
    if (text_.empty()) {
      NewEntry(TableLineKind::kEmpty).range = line_.Range(0, 0);
      return;
    }
    if (!IsAsciiAlnum(text_[0])) {
      MatchLine();
    } else if (IsKeyword(text_, "if")) {
      IfLine();
    } else if (IsKeyword(text_, "endif")) {
      EndifLine();
    } else {
      TableEntry& e = NewEntry(TableLineKind::kUnrecognized);
      Warn(TableWarningCode::kUnrecognizedRequest, "ignoring unrecognized request", e.range,
           Index());
    }
  }

  void MatchLine() {
    TableEntry& entry = NewEntry(TableLineKind::kMatch);
    const uint32_t index = Index();
    size_t p = 0;
    if (!GetPattern(&p, &entry.pattern)) return;
    if (dialect_ == RegexDialect::kPosix && p < text_.size() && text_[p] == '!') {
      if (!GetPattern(&p, &Entry(index).second)) return;
    }
    TableEntry* e = &Entry(index);
    p = SkipSpace(p);
    e->result = std::string(text_.substr(p));
    e->result_range = line_.Range(p, text_.size());
    if (e->result.empty()) {
      Warn(TableWarningCode::kNoReplacementText, "no replacement text: using empty string",
           e->range, index);
    }
    e = &Entry(index);
    e->replacement = ScanReplacement(e->result, dialect_);
    for (const ReplacementIssue& issue : Entry(index).replacement.issues) {
      Warn(IssueCode(issue.kind), issue.message, line_.Range(p + issue.begin, p + issue.end),
           index, issue.map_prefixed ? WarningPrefix::kMap : WarningPrefix::kNone);
    }
    e = &Entry(index);
    if (e->replacement.syntax_error) {
      Warn(TableWarningCode::kBadReplacement, "bad replacement syntax: skipping this rule",
           e->result_range, index);
      return;
    }
    const size_t max_sub = e->replacement.max_sub;
    if (max_sub > 0 && e->pattern->negated()) {
      Warn(TableWarningCode::kNegatedReference,
           "$number found in negative match replacement text: skipping this rule",
           e->result_range, index);
      return;
    }
    std::shared_ptr<const Regex> regex = Compile(*e->pattern, max_sub > 0, index, false);
    if (regex == nullptr) return;
    e = &Entry(index);
    if (max_sub > regex->capture_count()) {
      // Postfix prints the index with %d of (int) max_sub.
      Warn(TableWarningCode::kIndexOutOfRange,
           fmt::format("out of range replacement index \"{}\": skipping this rule",
                       static_cast<int>(static_cast<unsigned int>(max_sub))),
           e->result_range, index);
      return;
    }
    std::shared_ptr<const Regex> second;
    if (e->second) {
      second = Compile(*e->second, false, index, true);
      if (second == nullptr) return;
    }
    e = &Entry(index);
    e->regex = std::move(regex);
    e->second_regex = std::move(second);
    e->active = true;
  }

  void IfLine() {
    TableEntry& entry = NewEntry(TableLineKind::kIf);
    const uint32_t index = Index();
    size_t p = SkipSpace(2);
    if (!GetPattern(&p, &entry.pattern)) return;
    p = SkipSpace(p);
    if (p < text_.size()) {
      // An indented rule inside IF..ENDIF continues the IF line (spec 6.1).
      TableEntry& e = Entry(index);
      e.extra_text = std::string(text_.substr(p));
      e.extra_range = line_.Range(p, text_.size());
      Warn(TableWarningCode::kIfExtraText,
           fmt::format("ignoring extra text after IF statement: \"{}\"", e.extra_text),
           e.extra_range, index);
      Warn(TableWarningCode::kIfWhitespaceHint,
           "do not prepend whitespace to statements between IF and ENDIF", Entry(index).extra_range,
           index);
    }
    std::shared_ptr<const Regex> regex = Compile(*Entry(index).pattern, true, index, false);
    if (regex == nullptr) return;  // dropped: opens no scope, yet its ENDIF closes one
    TableEntry& e = Entry(index);
    e.regex = std::move(regex);
    e.active = true;
    stack_.push_back(index);
  }

  void EndifLine() {
    TableEntry& entry = NewEntry(TableLineKind::kEndif);
    const uint32_t index = Index();
    if (stack_.empty()) {
      Warn(TableWarningCode::kEndifWithoutIf, "ignoring ENDIF without matching IF", entry.range,
           index);
      return;
    }
    size_t p = SkipSpace(5);
    if (p < text_.size()) {
      TableEntry& e = Entry(index);
      e.extra_text = std::string(text_.substr(p));
      e.extra_range = line_.Range(p, text_.size());
      Warn(TableWarningCode::kEndifExtraText, "ignoring extra text after ENDIF", e.extra_range,
           index);
    }
    uint32_t if_index = stack_.back();
    stack_.pop_back();
    TableEntry& e = Entry(index);
    SetScope(&e);
    e.partner = if_index;
    e.active = true;
    Entry(if_index).partner = index;
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
    pat.body = std::string(text_.substr(body_begin, p - body_begin));
    pat.body_range = line_.Range(body_begin, p);
    ++p;
    pat.range = line_.Range(open, p);
    pat.options = DefaultRegexOptions(dialect_);
    const size_t flags_begin = p;
    bool ok = true;
    while (p < text_.size() && !IsSpace(text_[p]) && !(posix && text_[p] == '!')) {
      const char flag = text_[p];
      pat.flags += flag;
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
    pat.flags_range = line_.Range(flags_begin, p);
    *out = std::move(pat);
    *pos = p;
    return ok;
  }

  // `second`: the pattern after `!` in `/a/!/b/`.
  std::shared_ptr<const Regex> Compile(const TablePattern& pat, bool need_groups, uint32_t index, bool second) {
    const size_t key = 2 * size_t{index} + (second ? 1 : 0);
    if (collect_) {
      requests_.push_back(CompileRequest{dialect_, pat.body, pat.options, need_groups});
      request_keys_.push_back(key);
      return nullptr;
    }
    std::optional<Result<std::shared_ptr<const Regex>>> ready;
    if (key < precompiled_.size() && precompiled_[key]) ready.swap(precompiled_[key]);
    Result<std::shared_ptr<const Regex>> compiled =
        ready ? std::move(*ready) : Regex::Compile(dialect_, pat.body, pat.options, need_groups);
    if (!compiled.ok()) {
      Warn(TableWarningCode::kCompileError, compiled.status().message(), pat.range, index);
      return nullptr;
    }
    return std::move(compiled.value());
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

  TableEntry& NewEntry(TableLineKind kind) {
    TableEntry e;
    e.kind = kind;
    e.line = line_.line;
    e.range = line_.Range(0, text_.size());
    SetScope(&e);
    table_.entries_.push_back(std::move(e));
    return table_.entries_.back();
  }
  void SetScope(TableEntry* e) const {
    e->parent = stack_.empty() ? TableEntry::kNoEntry : stack_.back();
    e->depth = static_cast<uint32_t>(stack_.size());
    size_t skip = stack_.size() > TableEntry::kMaxListedScope
                      ? stack_.size() - TableEntry::kMaxListedScope
                      : 0;
    e->scope.assign(stack_.begin() + static_cast<std::ptrdiff_t>(skip), stack_.end());
  }
  uint32_t Index() const { return static_cast<uint32_t>(table_.entries_.size() - 1); }
  TableEntry& Entry(uint32_t i) { return table_.entries_[i]; }

  void Warn(TableWarningCode code, std::string text, ByteRange range, uint32_t entry,
            WarningPrefix prefix = WarningPrefix::kMap, uint32_t line = 0) {
    TableWarning w;
    w.code = code;
    w.prefix = prefix;
    w.line = line != 0 ? line : line_.line;
    w.range = range;
    w.text = std::move(text);
    w.entry = entry;
    table_.entries_[entry].warnings.push_back(static_cast<uint32_t>(table_.warnings_.size()));
    table_.warnings_.push_back(std::move(w));
  }

  const Cst& cst_;
  RegexpTable table_;
  RegexDialect dialect_;
  LogicalLine line_;
  std::string_view text_;       // the current line as the parser sees it
  std::vector<uint32_t> stack_;  // active IFs not yet closed
  // Precompile(): the collecting pass's requests, and the results by key.
  bool collect_ = false;
  std::vector<CompileRequest> requests_;
  std::vector<size_t> request_keys_;
  std::vector<std::optional<Result<std::shared_ptr<const Regex>>>> precompiled_;
};

RegexpTable RegexpTable::Build(const Cst& cst, TableType type) {
  RegexpTableBuilder builder(cst, type);
  builder.Precompile();
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
