// PV111 restriction-stage: a restriction in a list where it can never do
// anything. generic_checks() (smtpd_check.c) runs a HELO, sender, recipient
// or ETRN restriction only when that piece of the SMTP dialogue is known
// (`if (state->sender ...)`) and silently skips it otherwise. With
// smtpd_delay_reject = no, smtpd_client_restrictions run at connect (no
// HELO, sender or recipient yet), smtpd_helo_restrictions at HELO and
// smtpd_sender_restrictions at MAIL FROM; with the default (yes) the
// client, HELO and sender lists run at RCPT TO, and the client and HELO
// lists also at ETRN. check_etrn_access works only at ETRN; the ETRN list
// has no sender or recipient. Restrictions that need SASL (check_sasl_access,
// the sender-login-mismatch family) are skipped with "ignored: no SASL
// support" unless smtpd_sasl_auth_enable = yes. Each service is judged with
// its own -o settings. Restriction class definitions are not judged (their
// stage is where they are used).
#include <fmt/format.h>

#include <set>
#include <utility>

#include "rules/main/restriction_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using restriction::Item;
using restriction::RestrictionList;
using restriction::Stage;

// Whether a list evaluated at `list` sees the state `needs` tests.
bool Available(Stage list, Stage needs, bool delay) {
  if (needs == Stage::kClient) return true;
  switch (list) {
    case Stage::kClient:
    case Stage::kHelo:
      if (delay) return true;  // run again at RCPT TO and at ETRN
      return list == Stage::kHelo && needs == Stage::kHelo;
    case Stage::kSender:
      if (needs == Stage::kEtrn) return false;
      return delay || needs != Stage::kRecipient;
    case Stage::kEtrn:
      return needs == Stage::kHelo || needs == Stage::kEtrn;
    case Stage::kRecipient:
    case Stage::kData:
    case Stage::kEndOfData:
      return needs != Stage::kEtrn;
  }
  return true;
}

std::string_view What(Stage needs, bool article = true) {
  switch (needs) {
    case Stage::kHelo: return article ? "a HELO name" : "HELO name";
    case Stage::kSender: return article ? "a sender address" : "sender address";
    case Stage::kRecipient: return article ? "a recipient address" : "recipient address";
    case Stage::kEtrn: return article ? "an ETRN domain" : "ETRN domain";
    default: return "input";
  }
}

std::string_view When(Stage list) {
  switch (list) {
    case Stage::kClient: return "when the client connects";
    case Stage::kHelo: return "at HELO/EHLO";
    case Stage::kSender: return "at MAIL FROM";
    case Stage::kEtrn: return "at ETRN";
    default: return "at RCPT TO";
  }
}

bool IsYes(const std::optional<std::string>& v) {
  if (!v || v->size() != 3) return false;
  std::string s = *v;
  for (char& c : s) c = static_cast<char>(c | 0x20);
  return s == "yes";
}

class RestrictionStage : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV111",
            .slug = "restriction-stage",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a smtpd restriction sits in a list where it never has anything to check",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const Facts& facts = FactsOf(ctx);
    restriction_rules::Once once;
    // With smtpd services in master.cf, main.cf's lists matter as they see
    // them; main.cf's own scope is judged only without such services.
    bool services = false;
    for (const RestrictionList& list : facts.RestrictionLists()) services |= list.service != nullptr;
    // A SASL restriction shared by several services is fine when one of
    // them enables SASL (the usual submission -o override).
    std::set<std::pair<const Source*, uint32_t>> sasl_used;
    for (const RestrictionList& list : facts.RestrictionLists()) {
      if (list.list == nullptr || (services && list.service == nullptr)) continue;
      if (!IsYes(facts.ValueOrDefault(list.service, "smtpd_sasl_auth_enable"))) continue;
      for (const Item& item : list.items()) {
        const ListEntry& e = list.entries()[item.entry];
        sasl_used.emplace(e.where.source, e.where.begin);
      }
    }
    for (const RestrictionList& list : facts.RestrictionLists()) {
      if (list.list == nullptr || (services && list.service == nullptr)) continue;
      const bool delay = IsYes(facts.ValueOrDefault(list.service, "smtpd_delay_reject"));
      const bool sasl = IsYes(facts.ValueOrDefault(list.service, "smtpd_sasl_auth_enable"));
      for (const Item& item : list.items()) {
        if (item.kind != Item::Kind::kRestriction) continue;
        const ListEntry& e = list.entries()[item.entry];
        const Stage needs = item.info->needs;
        if (!Available(list.list->stage, needs, delay)) {
          bool delay_helps = !delay && Available(list.list->stage, needs, true);
          std::string message =
              fmt::format("{} in {} never sees {}{}", e.text, list.param, What(needs),
                          delay_helps ? " while smtpd_delay_reject = no" : "");
          if (!once.First(e, message)) continue;
          Diagnostic& d = sink.Report(e.where, std::move(message), e.text);
          restriction_rules::AddViaNotes(d, e);
          d.notes.push_back({{}, fmt::format("smtpd evaluates {} {}{}, where there is no {} to test, and skips "
                                             "the restriction without a word",
                                             list.param, When(list.list->stage),
                                             list.service != nullptr
                                                 ? fmt::format(" for {}", restriction_rules::ScopeLabel(list))
                                                 : std::string(),
                                             What(needs, false))});
          d.notes.push_back({{}, delay_helps ? "move it to a later list (smtpd_recipient_restrictions) or set "
                                               "smtpd_delay_reject = yes"
                                             : "move it to the list where that input is known"});
          continue;
        }
        if (item.info->needs_sasl && !sasl && sasl_used.count({e.where.source, e.where.begin}) == 0) {
          std::string message = fmt::format("{} in {} does nothing while smtpd_sasl_auth_enable = no", e.text,
                                            list.param);
          if (!once.First(e, message)) continue;
          Diagnostic& d = sink.Report(e.where, std::move(message), e.text);
          restriction_rules::AddViaNotes(d, e);
          d.notes.push_back({{}, fmt::format("smtpd skips it with \"restriction `...' ignored: no SASL "
                                             "support\" in the log{}",
                                             list.service != nullptr
                                                 ? fmt::format(" ({})", restriction_rules::ScopeLabel(list))
                                                 : std::string())});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewRestrictionStageRule() { return std::make_unique<RestrictionStage>(); }

}  // namespace postvet
