// PV110 restriction-argument: a smtpd restriction whose argument smtpd
// cannot use. generic_checks() (smtpd_check.c) reads the entry after
// check_*_access as a table and answers "451 4.3.5 Server configuration
// error" when it is missing or has no ':' (is_map_command(): "need
// maptype:mapname"); the same for check_policy_service without
// transport:server and sleep without a number. A DNS list restriction takes
// exactly one zone: a second one is read as a restriction name and fails the
// same way ("unknown smtpd restriction"); for that one an unsafe fix repeats
// the restriction name before it. A bare type:table in the data and
// end-of-data lists, which have no implicit table restriction, fails the
// same way ("specify one of (...) before ... restriction"). A DNS list
// restriction without its zone,
// or followed by a restriction, is PV209's (malformed-dnsbl-entry).
#include <fmt/format.h>

#include "rules/main/restriction_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using restriction::ArgKind;
using restriction::ArgProblem;
using restriction::Item;
using restriction::RestrictionList;

constexpr std::string_view kServerError =
    "answers every client that reaches it with \"451 4.3.5 Server configuration error\"";

std::string_view Wanted(ArgKind kind) {
  switch (kind) {
    case ArgKind::kTable: return "a type:table";
    case ArgKind::kServer: return "a transport:server policy service";
    case ArgKind::kNumber: return "a number of seconds";
    default: return "an argument";
  }
}

std::string_view SmtpdWords(ArgKind kind) {
  switch (kind) {
    case ArgKind::kTable: return "smtpd logs \"bad argument ...: need maptype:mapname\"";
    case ArgKind::kServer: return "smtpd logs \"must be followed by transport:server\"";
    case ArgKind::kNumber: return "smtpd logs \"must be followed by number\"";
    default: return "smtpd logs a warning";
  }
}

class RestrictionArgument : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV110",
            .slug = "restriction-argument",
            .severity = Severity::kError,
            .fix = FixKind::kUnsafe,
            .summary = "a smtpd restriction lacks its table, policy server or number, or has one zone too many",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }
  /// An argument smtpd never reads as a restriction (it fails first) is not
  /// also an unknown restriction.
  std::vector<std::string_view> subsumes() const override { return {"PV109"}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    restriction_rules::Once once;
    for (const RestrictionList& list : FactsOf(ctx).RestrictionLists()) {
      for (const Item& item : list.items()) {
        if (item.kind == Item::Kind::kStrayArgument) {
          ReportStray(list, item, once, sink);
          continue;
        }
        if (item.kind == Item::Kind::kImplicitTable && item.info == nullptr && list.list != nullptr &&
            list.list->implicit.empty()) {
          ReportBareTable(list, item, once, sink);
          continue;
        }
        if (item.kind != Item::Kind::kRestriction || item.problem == ArgProblem::kNone) continue;
        if (item.info->arg == ArgKind::kZone) continue;  // PV209's
        const ListEntry& name = list.entries()[item.entry];
        const ListEntry* arg = nullptr;
        if (item.problem != ArgProblem::kMissing) {
          // The entry smtpd tried as the argument: consumed (a table) or not.
          size_t at = item.arg.value_or(item.entry + 1);
          if (at < list.entries().size()) arg = &list.entries()[at];
        }
        const ListEntry& where = arg != nullptr ? *arg : name;
        if (!once.First(where, "argument")) continue;
        std::string message =
            arg == nullptr
                ? fmt::format("{} is the last entry of {} and has no {}", name.text, name.param,
                              Wanted(item.info->arg).substr(2))
                : fmt::format("{} in {} is followed by \"{}\", not {}", name.text, name.param, arg->text,
                              Wanted(item.info->arg));
        Diagnostic& d = sink.Report(where.where, std::move(message), name.text);
        if (arg != nullptr) d.notes.push_back({name.where, "the restriction"});
        restriction_rules::AddViaNotes(d, where);
        d.notes.push_back({{}, fmt::format("{} and {}", SmtpdWords(item.info->arg), kServerError)});
      }
    }
  }

 private:
  // smtpd_data_restrictions and smtpd_end_of_data_restrictions have no
  // default table restriction (generic_checks() gets NO_DEF_ACL).
  static void ReportBareTable(const RestrictionList& list, const Item& item, restriction_rules::Once& once,
                              Sink& sink) {
    const ListEntry& e = list.entries()[item.entry];
    if (!once.First(e, "bare")) return;
    Diagnostic& d = sink.Report(
        e.where, fmt::format("\"{}\" in {} has no restriction name before it", e.text, list.param), e.text);
    restriction_rules::AddViaNotes(d, e);
    d.notes.push_back({{}, fmt::format("only the client, HELO, sender, recipient and ETRN lists read a bare "
                                       "type:table as their check_*_access; smtpd logs \"specify one of (...) "
                                       "before {} restriction\" and {}",
                                       list.list->stage == restriction::Stage::kData ? "Data command" : "End-of-data",
                                       kServerError)});
    d.notes.push_back({{}, fmt::format("name the lookup: check_client_access {} (or check_sender_access, "
                                       "check_recipient_access ...)",
                                       e.text)});
  }

  static void ReportStray(const RestrictionList& list, const Item& stray, restriction_rules::Once& once,
                          Sink& sink) {
    const Item& owner = list.items()[stray.of];
    const ListEntry& e = list.entries()[stray.entry];
    const ListEntry& name = list.entries()[owner.entry];
    if (!owner.arg || !once.First(e, "stray")) return;
    const ListEntry& zone = list.entries()[*owner.arg];
    Diagnostic& d = sink.Report(
        e.where, fmt::format("\"{}\" in {} is an extra zone after {} {}", e.text, e.param, name.text, zone.text),
        e.text);
    d.notes.push_back({name.where, "the restriction, which takes one zone"});
    restriction_rules::AddViaNotes(d, e);
    d.notes.push_back({{}, fmt::format("smtpd reads \"{}\" as a restriction name, logs \"unknown smtpd "
                                       "restriction\" and answers every client that reaches it with \"451 4.3.5 "
                                       "Server configuration error\"",
                                       e.text)});
    d.notes.push_back({{}, fmt::format("write the restriction once per zone: {} {}", name.text, e.text)});
    if (e.exact && e.where.source != nullptr) {
      d.fix = Fix{Applicability::kUnsafe, fmt::format("insert \"{}\" before \"{}\"", name.text, e.text),
                  {Edit{e.where.source, e.where.begin, e.where.begin, name.text + " "}}};
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewRestrictionArgumentRule() { return std::make_unique<RestrictionArgument>(); }

}  // namespace postvet
