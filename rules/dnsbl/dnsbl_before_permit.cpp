// PV206 dnsbl-before-permit: a DNS list check that can reject
// (reject_rbl_client, reject_rhsbl_*) comes before permit_mynetworks or
// permit_sasl_authenticated in the same restriction list. smtpd evaluates a
// list in order and stops at the first restriction that decides
// (smtpd_check.c generic_checks()), so the server's own networks and its
// authenticated users are looked up and rejected when listed: a roaming
// user on a dynamic address (PBL) can no longer send. Checks under
// warn_if_reject only log and are not counted. One finding per list, at
// its first such check. No fix: moving restrictions changes the policy.
#include <algorithm>

#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

namespace postvet {
namespace {

using dnsbl::DnsblList;
using dnsbl::DnsblUse;

std::string Lower(std::string_view word) {
  std::string lower(word);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return lower;
}

// smtpd compares restriction names without regard to case.
bool IsOwnUsersPermit(std::string_view word) {
  std::string lower = Lower(word);
  return lower == "permit_mynetworks" || lower == "permit_sasl_authenticated";
}

class DnsblBeforePermit : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV206",
            .slug = "dnsbl-before-permit",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a DNSBL check runs before permit_mynetworks / permit_sasl_authenticated in the same list, so the "
                       "server's own users are checked",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    dnsbl::Findings found;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      if (list.kind == dnsbl::ListKind::kPostscreenSites) continue;
      std::optional<size_t> permit;
      for (size_t k = 0; k < list.entries.size() && !permit; ++k) {
        if (list.roles[k] == dnsbl::TokenRole::kRestriction && IsOwnUsersPermit(list.entries[k].text)) permit = k;
      }
      if (!permit) continue;
      std::vector<const DnsblUse*> before;
      for (const DnsblUse& use : list.uses) {
        if (use.keyword_index < *permit && dnsbl::IsRejectCheck(use.check) && !use.log_only) before.push_back(&use);
      }
      if (before.empty()) continue;
      const DnsblUse& first = *before.front();
      Location at = first.keyword_location.source != nullptr ? first.keyword_location : first.zone_location;
      if (at.source == nullptr || found.At(at) != nullptr) continue;
      std::vector<std::string> names;
      for (const DnsblUse* u : before) {
        std::string name = u->ok() ? u->CanonicalZone() : u->entry;
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
      }
      std::string zones;
      for (size_t k = 0; k < names.size() && k < 5; ++k) zones += (k == 0 ? "" : ", ") + names[k];
      if (names.size() > 5) zones += ", ...";
      const std::string& permit_word = list.entries[*permit].text;
      Diagnostic& d = found.Add(at,
                                fmt::format("{} runs {} DNS list check{} before {}", dnsbl::ListName(list),
                                            before.size(), before.size() == 1 ? "" : "s", permit_word),
                                list.param);
      dnsbl::AddDetail(&d, fmt::format("{} {}; smtpd stops at the first restriction that decides, so {} are "
                                       "looked up too and rejected when listed (a user on a dynamic address is in "
                                       "the PBL, for one)",
                                       before.size() == 1 ? "it queries" : "they query", zones,
                                       Lower(permit_word) == "permit_mynetworks" ? "clients in $mynetworks"
                                                                                 : "authenticated (SASL) clients"));
      dnsbl::AddDetail(&d, fmt::format("put {} before the DNS list checks", permit_word));
      if (list.entries[*permit].where.source != nullptr) {
        d.notes.push_back({list.entries[*permit].where, fmt::format("{} comes only here", permit_word)});
      }
      dnsbl::Findings::AddNotes(&d, [&] {
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, first, &probe);
        return probe.notes;
      }());
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewDnsblBeforePermitRule() { return std::make_unique<DnsblBeforePermit>(); }

}  // namespace postvet
