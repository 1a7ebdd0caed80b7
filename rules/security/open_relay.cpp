// PV601 open-relay: relaying is not stopped. At RCPT TO, smtpd(8) evaluates
// smtpd_relay_restrictions and then smtpd_recipient_restrictions, each in
// order; the first `permit`-type entry that matches ends a list with
// "permit", and a list that runs out also permits. Mail to any domain is
// relayed when both lists permit a stranger. A stranger matches no
// conditional permit (permit_mynetworks, permit_sasl_authenticated, access
// tables, ...), so a list protects against relaying when one of
// reject_unauth_destination, defer_unauth_destination, reject, defer,
// defer_if_permit, check_relay_domains comes before any unconditional `permit`. smtpd also refuses to
// start when neither list contains one of those at all (fatal "specify at
// least one working instance of ..."). Checked for main.cf and for every
// smtpd service of master.cf with its -o overrides.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

// smtpd_check_init()'s list of "working" relay restrictions.
bool IsBlocker(std::string_view e) {
  return e == "reject_unauth_destination" || e == "defer_unauth_destination" || e == "reject" ||
         e == "defer" || e == "defer_if_permit" || e == "check_relay_domains";
}

// Evaluation of one list for a client that matches nothing conditional.
struct Verdict {
  bool has_blocker = false;       // some blocker anywhere (smtpd's start-up check)
  bool blocks_stranger = false;   // a blocker comes before any unconditional permit
  const ListEntry* open_at = nullptr;  // the unconditional permit that opens it
};

Verdict Evaluate(const std::vector<ListEntry>& entries) {
  Verdict v;
  for (const ListEntry& e : entries) {
    if (IsBlocker(e.text)) {
      v.has_blocker = true;
      if (v.open_at == nullptr) v.blocks_stranger = true;
    } else if (e.text == "permit" && v.open_at == nullptr && !v.blocks_stranger) {
      v.open_at = &e;
    }
  }
  return v;
}

class OpenRelay : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV601",
            .slug = "open-relay",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "neither smtpd_relay_restrictions nor smtpd_recipient_restrictions stops relaying",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    bool any_smtpd = false;
    if (ctx.master_file() != nullptr) {
      for (const MasterService& s : ctx.master_cf().services) {
        if (s.field(MasterField::kCommand).text != "smtpd") continue;
        any_smtpd = true;
        Check(ctx, &s, sink);
      }
    }
    if (!any_smtpd && ctx.main_file() != nullptr) Check(ctx, nullptr, sink);
  }

 private:
  static void Check(const LintContext& ctx, const MasterService* service, Sink& sink) {
    bool relay_cut = false;
    bool recipient_cut = false;
    std::vector<ListEntry> relay = ExpandList(ctx, "smtpd_relay_restrictions", service, &relay_cut);
    std::vector<ListEntry> recipient = ExpandList(ctx, "smtpd_recipient_restrictions", service, &recipient_cut);
    Verdict a = Evaluate(relay);
    Verdict b = Evaluate(recipient);
    std::string who = service != nullptr ? fmt::format("service {}", service->NameSpace()) : "smtpd";
    if (a.blocks_stranger || b.blocks_stranger) return;
    // A list cut short by the expansion bounds (PV108) cannot prove what it
    // lacks: no verdict rather than a guess.
    if (relay_cut || recipient_cut) return;
    Location where = Anchor(ctx, service, a, b);
    if (!a.has_blocker && !b.has_blocker) {
      Diagnostic& d = sink.Report(where,
                                  fmt::format("{}: neither smtpd_relay_restrictions nor smtpd_recipient_restrictions "
                                              "contains reject_unauth_destination",
                                              who),
                                  who);
      d.notes.push_back({{}, "nor defer_unauth_destination, reject or defer, so smtpd refuses to start (\"specify "
                             "at least one working instance of ...\")"});
      return;
    }
    const ListEntry* open = a.open_at != nullptr ? a.open_at : b.open_at;
    Diagnostic& d = sink.Report(
        where,
        fmt::format("{} is an open relay: `permit` in {} comes before reject_unauth_destination", who,
                    open != nullptr ? open->param : "the restrictions"),
        who);
    if (service != nullptr && ctx.master_file() != nullptr) {
      d.notes.push_back({{ctx.master_file()->source.get(), service->begin, service->begin + static_cast<uint32_t>(service->name().size())},
                         "for this service"});
    }
    d.notes.push_back({{}, "any client reaches that `permit`, so mail to any domain is relayed"});
  }

  // Where to point: the opening `permit`, else the lists' definitions, else main.cf/master.cf start.
  static Location Anchor(const LintContext& ctx, const MasterService* service, const Verdict& a, const Verdict& b) {
    for (const Verdict* v : {&a, &b}) {
      if (v->open_at != nullptr && v->open_at->where.source != nullptr) return v->open_at->where;
    }
    if (service != nullptr && ctx.master_file() != nullptr) {
      return {ctx.master_file()->source.get(), service->begin, service->begin + static_cast<uint32_t>(service->name().size())};
    }
    const InputFile* main = ctx.main_file();
    if (main == nullptr) return {ctx.master_file()->source.get(), 0, 0};
    for (const char* name : {"smtpd_recipient_restrictions", "smtpd_relay_restrictions"}) {
      for (const auto& def : ctx.main_cf().definitions()) {
        if (def.name == name) return {main->source.get(), def.name_begin, def.name_end};
      }
    }
    return {main->source.get(), 0, 0};
  }
};

}  // namespace

std::unique_ptr<Rule> NewOpenRelayRule() { return std::make_unique<OpenRelay>(); }

}  // namespace postvet
