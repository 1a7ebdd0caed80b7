// PV003 leading-whitespace: a logical line that starts with whitespace
// where Postfix does not read it as the author meant. Postfix's reader
// (readllines()) joins any line that starts with whitespace to the logical
// line before it, even across comment lines, and discards such a line when
// nothing precedes it ("logical line must not start with whitespace").
// Fires on: continuation text before the first logical line of any file;
// in main.cf, an indented `name = value` after a comment block (it becomes
// part of the previous parameter's value); in master.cf, an indented line
// after a comment block that looks like a service entry; in a regexp/pcre
// table, an indented line after a rule that looks like a rule of its own
// (`/pattern/ ACTION`): it becomes part of the rule's result text and is
// never tried as a rule (an indented rule after an `if` line is PV304's,
// where Postfix warns). Fix (unsafe):
// remove the leading whitespace. Unsafe because it changes what Postfix
// reads, by design: the line becomes an entry of its own (and the value it
// was joined to loses it); a discarded first line that is no valid entry
// would even stop postconf -M ("bad field count").
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

bool IsNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// `text` (after the indent) looks like "name = value".
bool LooksLikeParameter(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsNameByte(text[i])) ++i;
  if (i == 0) return false;
  while (i < text.size() && IsSpace(text[i])) ++i;
  return i < text.size() && text[i] == '=';
}

// `text` looks like a table rule: optional '!', "/pattern/", flags, blank, a word.
bool LooksLikeTableRule(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && (text[i] == '!' || text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '/') return false;
  for (++i; i < text.size() && text[i] != '/' && text[i] != '\n'; ++i) {
    if (text[i] == '\\') ++i;
  }
  if (i >= text.size() || text[i] != '/') return false;
  ++i;
  while (i < text.size() && ((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= 'A' && text[i] <= 'Z'))) ++i;
  if (i >= text.size() || (text[i] != ' ' && text[i] != '\t')) return false;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  return i < text.size() && IsNameByte(text[i]);
}

// `text` looks like a master.cf entry: a second word that is a service type
// and at least eight words on the line.
bool LooksLikeService(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < text.size() && text[i] != '\n') {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && !IsSpace(text[i]) && text[i] != '\n') ++i;
    if (i > b) words.push_back(text.substr(b, i - b));
  }
  if (words.size() < 8) return false;
  std::string_view type = words[1];
  return type == "inet" || type == "unix" || type == "unix-dgram" || type == "fifo" || type == "pass";
}

class LeadingWhitespace : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV003",
            .slug = "leading-whitespace",
            .severity = Severity::kWarning,
            .fix = FixKind::kUnsafe,
            .summary = "a logical line starts with whitespace where Postfix ignores it or joins it to the line above",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kMainCf, FileKind::kMasterCf, FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& /*ctx*/, const InputFile& file, Sink& sink) const override {
    const Cst& cst = *file.cst;
    const Source& src = *file.source;
    for (uint32_t i : cst.Children(cst.root())) {
      const Node& n = cst.node(i);
      if (n.kind == NodeKind::kBadLeading) {
        ReportIndent(src, n.begin, "this line starts with whitespace but no entry precedes it",
                     "Postfix discards it (\"logical line must not start with whitespace\")", sink);
      } else if (n.kind == NodeKind::kParameter || n.kind == NodeKind::kService || n.kind == NodeKind::kRule) {
        CheckJoins(cst, i, file.kind, sink);
      }
    }
  }

 private:
  // Joins that step over comment lines, where the continuation looks like a
  // line of its own.
  static void CheckJoins(const Cst& cst, uint32_t entry, FileKind kind, Sink& sink) {
    const Source& src = cst.source();
    uint32_t end = entry + cst.node(entry).subtree_size;
    for (uint32_t j = entry + 1; j < end; ++j) {
      const Node& join = cst.node(j);
      if (join.kind != NodeKind::kJoin) continue;
      const bool after_comment = cst.FindChild(j, NodeKind::kCommentLine) != Cst::kNone;
      if (!after_comment && kind != FileKind::kRegexpTable && kind != FileKind::kPcreTable) continue;
      std::string_view rest = src.text().substr(join.end);
      size_t indent = 0;
      while (indent < rest.size() && IsSpace(rest[indent])) ++indent;
      std::string_view text = rest.substr(indent);
      std::string name = std::string(cst.Raw(cst.Children(entry)[0]));
      if ((kind == FileKind::kRegexpTable || kind == FileKind::kPcreTable) && LooksLikeTableRule(text)) {
        ReportIndent(src, join.end,
                     fmt::format("indented line continues the rule on line {}", src.Locate(cst.node(entry).begin).line),
                     "Postfix reads it as part of that rule's result text, not as a rule of its own", sink);
      } else if (kind == FileKind::kMainCf && after_comment && LooksLikeParameter(text)) {
        ReportIndent(src, join.end,
                     fmt::format("indented line after a comment continues \"{}\"", name),
                     "Postfix reads it as part of that value, not as a parameter of its own", sink);
      } else if (kind == FileKind::kMasterCf && after_comment && LooksLikeService(text)) {
        ReportIndent(src, join.end,
                     fmt::format("indented line after a comment continues service \"{}\"", name),
                     "Postfix reads it as arguments of that service, not as a service of its own", sink);
      }
    }
  }

  static void ReportIndent(const Source& src, uint32_t line_begin, std::string message, std::string detail,
                           Sink& sink) {
    uint32_t p = line_begin;
    while (p < src.size() && IsSpace(src.text()[p])) ++p;
    Diagnostic& d = sink.Report({&src, line_begin, p}, std::move(message), std::string(src.LineAt(p)));
    d.notes.push_back({{}, std::move(detail)});
    d.fix = Fix{Applicability::kUnsafe, "remove the leading whitespace", {Edit{&src, line_begin, p, ""}}};
  }
};

}  // namespace

std::unique_ptr<Rule> NewLeadingWhitespaceRule() { return std::make_unique<LeadingWhitespace>(); }

}  // namespace postvet
