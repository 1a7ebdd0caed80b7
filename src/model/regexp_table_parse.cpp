// Phase 1 of RegexpTableBuilder (regexp_table_builder.hpp): every logical
// line of the table becomes an entry with its syntax and the warnings that
// depend on nothing else, as dict_regexp_parseline() / dict_pcre_parse_rule()
// see it; the patterns Postfix would compile are listed for phase 2.

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "src/model/regexp_table_builder.hpp"

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

void RegexpTableBuilder::Parse() {
  const std::vector<uint32_t> lines = cst_.Children(cst_.root());
  table_.packed_.reserve(lines.size());  // at most one entry per line
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
    Commit();
    compile_.resize(table_.packed_.size(), false);
  }
}

// readllines(): a first logical line that starts with whitespace is
// reported with its first 30 bytes (up to a NUL) and discarded.
void RegexpTableBuilder::Leading() {
  TableEntry& e = NewEntry(TableLineKind::kLeading, line_.Range(0, line_.text.size()));
  std::string_view shown = line_.text;
  shown = shown.substr(0, std::min(shown.find('\0'), size_t{30}));
  Warn(TableWarningCode::kLeadingWhitespace,
       fmt::format("logical line must not start with whitespace: \"{}{}\"", shown,
                   line_.text.size() > 30 ? "..." : ""),
       e.range, Index(), WarningPrefix::kFile);
}

void RegexpTableBuilder::ParseLine() {
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

void RegexpTableBuilder::MatchLine() {
  TableEntry& e = NewEntry(TableLineKind::kMatch, line_.Range(0, text_.size()));
  const uint32_t index = Index();
  size_t p = 0;
  if (!GetPattern(&p, &e.pattern)) return;
  if (dialect_ == RegexDialect::kPosix && p < text_.size() && text_[p] == '!') {
    std::optional<TablePattern> second;
    const bool kept = GetPattern(&p, &second);
    if (second) e.second = &table_.seconds_.emplace_back(*second);
    if (!kept) return;
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

void RegexpTableBuilder::IfLine() {
  TableEntry& e = NewEntry(TableLineKind::kIf, line_.Range(0, text_.size()));
  const uint32_t index = Index();
  size_t p = SkipSpace(2);
  if (!GetPattern(&p, &e.pattern)) return;
  p = SkipSpace(p);
  if (p < text_.size()) {
    // An indented rule inside IF..ENDIF continues the IF line (spec 6.1).
    e.extra = &table_.extras_.emplace_back(TableExtraText{text_.substr(p), line_.Range(p, text_.size())});
    Warn(TableWarningCode::kIfExtraText,
         fmt::format("ignoring extra text after IF statement: \"{}\"", e.extra_text()),
         e.extra_range(), index);
    Warn(TableWarningCode::kIfWhitespaceHint,
         "do not prepend whitespace to statements between IF and ENDIF", e.extra_range(), index);
  }
  PlanCompile(index);
}

// What follows `endif` is kept here; phase 2 decides whether Postfix
// looks at it (not when the ENDIF has no IF).
void RegexpTableBuilder::EndifLine() {
  TableEntry& e = NewEntry(TableLineKind::kEndif, line_.Range(0, text_.size()));
  size_t p = SkipSpace(5);
  if (p < text_.size()) {
    e.extra = &table_.extras_.emplace_back(TableExtraText{text_.substr(p), line_.Range(p, text_.size())});
  }
}

void RegexpTableBuilder::PlanCompile(uint32_t index) {
  compile_.resize(size_t{index} + 1, false);
  compile_[index] = true;
  first_compile_.push_back(index);
}

// dict_regexp_get_pat() / dict_pcre_get_pattern(): negation run,
// delimited body, flags. Returns false when Postfix skips the line; the
// pattern is kept whenever its closing delimiter was found.
bool RegexpTableBuilder::GetPattern(size_t* pos, std::optional<TablePattern>* out) {
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
    Warn(TableWarningCode::kNoRegexp, "no regexp: skipping this rule", cur_.range, index);
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
  pat.flags_size = static_cast<uint32_t>(p - flags_begin);
  pat.flags_range = line_.Range(flags_begin, p);
  *out = pat;
  *pos = p;
  return ok;
}

TableWarningCode RegexpTableBuilder::IssueCode(ReplacementIssueKind kind) {
  switch (kind) {
    case ReplacementIssueKind::kNonNumericIndex: return TableWarningCode::kNonNumericIndex;
    case ReplacementIssueKind::kIndexZero: return TableWarningCode::kIndexZero;
    case ReplacementIssueKind::kTruncated: return TableWarningCode::kTruncatedMacro;
    case ReplacementIssueKind::kEmptyName: return TableWarningCode::kEmptyMacroName;
  }
  return TableWarningCode::kBadReplacement;
}

size_t RegexpTableBuilder::SkipSpace(size_t p) const {
  while (p < text_.size() && IsSpace(text_[p])) ++p;
  return p;
}

// Every line makes exactly one entry: NewEntry() starts it, Commit() hands
// it to the table once the line is parsed.
TableEntry& RegexpTableBuilder::NewEntry(TableLineKind kind, ByteRange range) {
  cur_ = TableEntry{};
  cur_.kind = kind;
  cur_.line = line_.line;
  cur_.range = range;
  return cur_;
}
void RegexpTableBuilder::Commit() {
  table_.Append(cur_);
  if (full_ != nullptr) full_->push_back(cur_);
}
// The index the current entry gets.
uint32_t RegexpTableBuilder::Index() const { return static_cast<uint32_t>(table_.packed_.size()); }

void RegexpTableBuilder::Warn(TableWarningCode code, std::string text, ByteRange range,
                              uint32_t entry, WarningPrefix prefix) {
  TableWarning& w = pending_.emplace_back(PendingWarning{entry, TableWarning{}}).warning;
  w.code = code;
  w.prefix = prefix;
  w.line = line_.line;
  w.range = range;
  w.text = std::move(text);
  w.entry = entry;
}

}  // namespace postvet
