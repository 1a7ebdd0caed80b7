// PV001 syntax-error: a line Postfix itself rejects. In main.cf, a line
// without '=' or with an empty name: every Postfix program dies reading it
// (fatal: missing '=' after attribute name). In master.cf, an entry with
// fewer than 8 fields: postconf and master(8) refuse the whole file. In a
// regexp/pcre table, a line that is neither a pattern, `if`, `endif` nor a
// comment, or whose pattern is not closed: Postfix skips it with a warning,
// so the rule silently does nothing. The message quotes Postfix's reason.
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
    return {"PV001", "syntax-error", Severity::kError, FixKind::kNone,
            "a line Postfix itself rejects (main.cf without '=', master.cf with too few fields, "
            "table line that is no pattern, if or endif)",
            {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kMainCf, FileKind::kMasterCf, FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const Source* src = file.source.get();
    switch (file.kind) {
      case FileKind::kMainCf:
        for (const MainCfBadLine& b : ctx.main_cf().bad_lines()) {
          if (!b.fatal()) continue;  // leading whitespace is PV003
          sink.Report({src, b.begin, LineEnd(*src, b.begin, b.end)},
                      fmt::format("Postfix stops here: {}", b.reason), b.reason);
        }
        break;
      case FileKind::kMasterCf:
        for (const MasterBadLine& b : ctx.master_cf().bad_lines) {
          if (!b.fatal()) continue;
          sink.Report({src, b.begin, LineEnd(*src, b.begin, b.end)},
                      fmt::format("Postfix refuses the whole master.cf here: {} ({})", b.postconf_message,
                                  b.master_message),
                      b.postconf_message);
        }
        break;
      case FileKind::kRegexpTable:
      case FileKind::kPcreTable: {
        const RegexpTable& t = ctx.table(file);
        for (const TableWarning* w : t.BadLines()) {
          if (w->code == TableWarningCode::kLeadingWhitespace) continue;  // PV003
          sink.Report({src, w->range.begin, w->range.end},
                      fmt::format("Postfix skips this line: {}", SanitizeMessage(w->text)),
                      std::string(src->Slice(w->range.begin, w->range.end)));
        }
        break;
      }
    }
  }

 private:
  // The first physical line of [begin, end): a caret under one line reads best.
  static uint32_t LineEnd(const Source& src, uint32_t begin, uint32_t end) {
    size_t lf = src.text().find('\n', begin);
    return lf == std::string_view::npos ? end : std::min(end, static_cast<uint32_t>(lf));
  }
};

}  // namespace

std::unique_ptr<Rule> NewSyntaxErrorRule() { return std::make_unique<SyntaxError>(); }

}  // namespace postvet
