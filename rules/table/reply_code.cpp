// PV312 reply-code: an SMTP reply code in a check_*_access table result
// that the Postfix SMTP server does not use the way it is written
// (smtpd_check.c check_table_result() and smtpd_check_reject(); access(5)):
// * a bare three-digit code ("550" with no text) is an all-numeric result,
//   which smtpd accepts like OK;
// * a number that is no 4NN/5NN code followed by text ("250 ok", "999 x",
//   "5500 x") is read as a restriction name: "unknown smtpd restriction",
//   answered with 451 4.3.5 for every client it matches;
// * 521 closes the connection after the reply; access(5) says to use it
//   only against botnets and malware;
// * an enhanced status code whose class disagrees with the reply
//   ("550 4.7.1", "REJECT 4.7.1", "DEFER 5.7.1"): smtpd_check_reject()
//   overwrites the DSN class with the reply's first digit;
// * a code after REJECT/DEFER/DEFER_IF_* ("REJECT 550 go away"): only an
//   enhanced status code is taken from the text, so the number is sent as
//   text after $access_map_reject_code / $access_map_defer_code.
#include <fmt/format.h>

#include "rules/table/access_rules.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The first word of `text` when it is three digits, else "".
std::string_view LeadingCode(std::string_view text) {
  std::string_view first = text.substr(0, text.find_first_of(" \t"));
  return first.size() == 3 && AllDigits(first) ? first : std::string_view();
}

class ReplyCode : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV312",
            .slug = "reply-code",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "an access table reply code that Postfix reads differently: a bare code (accepted like OK), "
                       "a code outside 4xx/5xx, 521, a status class that disagrees, or a code after REJECT/DEFER",
            .doc = {}};
  }
  Subscription subscription() const override {
    return {{FileKind::kRegexpTable, FileKind::kPcreTable}, {}, false, false};
  }

  void CheckFile(const LintContext& ctx, const InputFile& file, Sink& sink) const override {
    const RegexpTable& table = ctx.table(file);
    std::vector<TableUse> uses;
    ForEachAccessResult(ctx, file, &uses, [&](const AccessRuleResult& r) {
      const TableEntry& e = *r.entry;
      const std::string restrictions = JoinRestrictions(uses);
      const std::string word = QuoteText(r.split.word, 20);
      const ByteRange at_word = ResultSubrange(table, e, 0, r.split.word_end);
      const size_t text_at = r.split.text_begin;
      if (AllDigits(r.split.word) && r.action.verdict != AccessVerdict::kReplyCode) {
        if (r.action.verdict == AccessVerdict::kAllNumeric) {
          if (r.split.word.size() != 3) return;  // pop-before-smtp style time stamps are meant as OK
          Report(sink, table, at_word, fmt::format("reply code {} in {} has no text", word, restrictions), word,
                 "an all-numeric result means OK to smtpd(8) (access(5): \"treated as OK\"), so this rule accepts "
                 "the client",
                 fmt::format("write \"{} text\" to reply with {}", word, word));
          return;
        }
        std::string what = r.split.word.size() == 3
                               ? fmt::format("reply code {} in {} is not a 4xx or 5xx code", word, restrictions)
                               : fmt::format("\"{}\" in {} is not a three-digit reply code", word, restrictions);
        Report(sink, table, at_word, std::move(what), word,
               fmt::format("smtpd(8) reads it as a restriction name, logs 'unknown smtpd restriction: \"{}\"' "
                           "and answers \"451 4.3.5 Server configuration error\" to every client it matches",
                           word),
               "");
        return;
      }
      char reply_class = 0;
      std::string who;
      if (r.action.verdict == AccessVerdict::kReplyCode) {
        reply_class = r.split.word[0];
        who = fmt::format("reply code {}", word);
        if (r.action.code == 521) {
          Report(sink, table, at_word, fmt::format("reply code 521 in {} disconnects the client", restrictions),
                 word,
                 "access(5): 521 \"should be used only with botnets and other malware where interoperability is of "
                 "no concern\"; the send-521-and-disconnect behaviour is not in the SMTP standard",
                 "use 550 (or REJECT) for clients that may be legitimate");
        }
      } else if (r.action.verdict == AccessVerdict::kAction) {
        reply_class = ReplyClassOf(*r.action.action);
        if (reply_class == 0) return;
        who = r.action.action->word;
        std::string_view code = LeadingCode(r.split.text);
        if (!code.empty() && !r.split.text_dynamic) {
          ByteRange at = ResultSubrange(table, e, text_at, text_at + 3);
          Report(sink, table, at,
                 fmt::format("{} takes no reply code, so {} becomes part of the text", who, std::string(code)),
                 std::string(code),
                 fmt::format("smtpd(8) replies with ${} and sends \"{}\" as text",
                             reply_class == '5' ? "access_map_reject_code" : "access_map_defer_code",
                             QuoteText(r.split.text, 40)),
                 fmt::format("write \"{} text\" to choose the code", std::string(code)));
          return;
        }
      } else {
        return;
      }
      std::optional<std::string_view> dsn = LeadingDsn(r.split.text);
      if (!dsn || (*dsn)[0] == reply_class || r.split.text_dynamic) return;
      ByteRange at = ResultSubrange(table, e, text_at, text_at + dsn->size());
      std::string fixed(*dsn);
      fixed[0] = reply_class;
      Report(sink, table, at,
             fmt::format("status {} disagrees with {} in {}", std::string(*dsn), who, restrictions),
             std::string(*dsn),
             fmt::format("smtpd_check_reject() makes the status class match the reply, so the client gets {}",
                         fixed),
             "");
    });
  }

 private:
  static void Report(Sink& sink, const RegexpTable& table, ByteRange at, std::string message, std::string subject,
                     std::string detail, std::string advice) {
    Diagnostic& d = sink.Report({&table.source(), at.begin, at.end}, std::move(message), std::move(subject));
    d.notes.push_back({Location{}, std::move(detail)});
    if (!advice.empty()) d.notes.push_back({Location{}, std::move(advice)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewReplyCodeRule() { return std::make_unique<ReplyCode>(); }

}  // namespace postvet
