// PV001 syntax-error: a line Postfix itself rejects. In main.cf, a line
// without '=' or with an empty name: every Postfix program dies reading it
// (fatal: missing '=' after attribute name). In master.cf, an entry with
// fewer than 8 fields: postconf and master(8) refuse the whole file. In a
// regexp/pcre table, a line that is neither a pattern, `if`, `endif` nor a
// comment, or whose pattern is not closed: Postfix skips it with a warning,
// so the rule silently does nothing. A detail note quotes Postfix's reason.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {
namespace {

class SyntaxError : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV001",
            .slug = "syntax-error",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "a line Postfix itself rejects (main.cf without '=', master.cf with too few fields, "
                       "table line that is no pattern, if or endif)",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kMainCf, FileKind::kMasterCf, FileKind::kRegexpTable, FileKind::kPcreTable,
             FileKind::kDbmsConfig},
            {},
            false,
            false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const Source* src = file.source.get();
    switch (file.kind) {
      case FileKind::kMainCf:
        for (const MainCfBadLine& b : ctx.main_cf().bad_lines()) {
          if (!b.fatal()) continue;  // leading whitespace is PV003
          Diagnostic& d = sink.Report({src, b.begin, LineEnd(*src, b.begin, b.end)},
                                      b.kind == MainCfBadLine::Kind::kMissingName
                                          ? "this line has '=' but no parameter name before it"
                                          : "this line has no '=' after the parameter name",
                                      b.reason);
          d.notes.push_back(
              {{}, fmt::format("every Postfix program stops reading main.cf here (postconf: {})", b.reason)});
        }
        break;
      case FileKind::kMasterCf:
        for (const MasterBadLine& b : ctx.master_cf().bad_lines) {
          if (!b.fatal()) continue;
          Diagnostic& d = sink.Report({src, b.begin, LineEnd(*src, b.begin, b.end)},
                                      "this master.cf entry has fewer than the 8 fields of a service",
                                      b.postconf_message);
          d.notes.push_back({{}, b.master_message.empty()
                                     ? fmt::format("Postfix refuses the whole master.cf here (postconf: \"{}\")",
                                                   b.postconf_message)
                                     : fmt::format("Postfix refuses the whole master.cf here (postconf: \"{}\"; "
                                                   "master: \"{}\")",
                                                   b.postconf_message, b.master_message)});
        }
        break;
      case FileKind::kRegexpTable:
      case FileKind::kPcreTable: {
        const RegexpTable& t = ctx.table(file);
        for (const TableWarning* w : t.BadLines()) {
          if (w->code == TableWarningCode::kLeadingWhitespace) continue;  // PV003
          Diagnostic& d = sink.Report({src, w->range.begin, w->range.end}, TableMessage(w->code),
                                      std::string(src->Slice(w->range.begin, w->range.end)));
          d.notes.push_back(
              {{}, fmt::format("Postfix skips this line, so it filters nothing (\"{}\")", SanitizeMessage(w->text))});
        }
        break;
      }
      case FileKind::kDbmsConfig: {  // a database client file (mysql:/etc/x.cf): main.cf syntax
        MainCf settings = MainCf::Build(*file.cst);
        for (const MainCfBadLine& b : settings.bad_lines()) {
          if (!b.fatal()) continue;
          Diagnostic& d = sink.Report({src, b.begin, LineEnd(*src, b.begin, b.end)},
                                      b.kind == MainCfBadLine::Kind::kMissingName
                                          ? "this line has '=' but no setting name before it"
                                          : "this line has no '=' after the setting name",
                                      b.reason);
          d.notes.push_back({{}, fmt::format("the {} client stops reading its configuration here and the table "
                                             "cannot be opened (postconf: {})",
                                             file.table_type, b.reason)});
        }
        break;
      }
    }
  }

 private:
  // The defect of a table line Postfix skips, in one phrase.
  static std::string TableMessage(TableWarningCode code) {
    switch (code) {
      case TableWarningCode::kUnrecognizedRequest: return "this line is neither a pattern, if, endif nor a comment";
      case TableWarningCode::kNoRegexp: return "this line has no pattern";
      case TableWarningCode::kNoClosingDelimiter: return "the pattern on this line is never closed";
      default: return "Postfix cannot read this table line";
    }
  }

  // The first physical line of [begin, end): a caret under one line reads best.
  static uint32_t LineEnd(const Source& src, uint32_t begin, uint32_t end) {
    size_t lf = src.text().find('\n', begin);
    return lf == std::string_view::npos ? end : std::min(end, static_cast<uint32_t>(lf));
  }
};

}  // namespace

std::unique_ptr<Rule> NewSyntaxErrorRule() { return std::make_unique<SyntaxError>(); }

}  // namespace postvet
