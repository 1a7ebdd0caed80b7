// PV209 malformed-dnsbl-entry: a DNS list entry Postfix cannot use: a
// reply filter or weight its parsers reject (ParseDnsblEntry(), which
// follows ip_match.c and postscreen_dnsbl.c), a bad zone name, a `*weight`
// in an smtpd restriction (only postscreen has weights), a restriction
// without its zone at the end of a list, or a one-label "zone" (the next
// restriction, taken as the argument because the zone is missing).
// What Postfix does: smtpd parses a filter when it first uses it and dies
// ("fatal: RBL reply error"), so mail is deferred; postscreen checks at
// start-up and refuses to run ("bad DNSBL filter syntax", "bad DNSBL weight
// factor", "bad DNSBL domain name"). Reported at the offending byte. No fix.
#include <algorithm>

#include <fmt/format.h>

#include "rules/dnsbl/dnsbl_rule_util.hpp"
#include "rules/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/lint_context.hpp"

namespace postvet {
namespace {

using dnsbl::CheckKind;
using dnsbl::DnsblList;
using dnsbl::DnsblUse;

std::string Consequence(const DnsblUse& use) {
  const std::string_view error = use.error;
  if (use.check == CheckKind::kPostscreen) {
    std::string_view fatal = error.starts_with("bad DNSBL reply filter") ? "bad DNSBL filter syntax"
                              : error.starts_with("bad DNSBL weight")    ? "bad DNSBL weight factor"
                                                                         : "bad DNSBL domain name";
    return fmt::format("postscreen refuses to start (fatal: {}), so no mail is accepted on its port", fatal);
  }
  if (error.starts_with("bad DNSBL reply filter")) {
    return "smtpd parses the filter the first time it uses it and then stops with \"fatal: RBL reply error\", "
           "so mail is deferred";
  }
  if (error.find("*weight") != std::string_view::npos) {
    return "smtpd has no weights: it looks up the name with \"*\" in it, which never answers";
  }
  if (error.find("has no dot") != std::string_view::npos) {
    return "smtpd queries that name, which never answers, and the word is not applied as a restriction";
  }
  return "smtpd's lookups of that name can never succeed";
}

class MalformedDnsblEntry : public Rule {
 public:
  RuleInfo info() const override {
    return {"PV209", "malformed-dnsbl-entry", Severity::kError, FixKind::kNone,
            "unparsable reply filter or weight (`zone=127.0.0.[2..`, `zone*x`)", {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    dnsbl::Findings found;
    for (const DnsblList& list : FactsOf(ctx).DnsblLists()) {
      for (const DnsblUse& use : list.uses) {
        if (use.ok()) continue;
        Location at = use.missing_zone ? use.keyword_location : use.zone_location;
        if (!use.missing_zone) {
          if (std::optional<Location> word = dnsbl::LiteralZoneWord(use)) {
            uint32_t b = word->begin + static_cast<uint32_t>(std::min(use.error_offset, use.entry.size()));
            // A filter cut short is reported at its last byte.
            if (b == word->end && b > word->begin) --b;
            at = Location{word->source, b, std::min(b + 1, word->end)};
          }
        }
        if (at.source == nullptr) continue;
        Diagnostic probe;
        dnsbl::AddUseNotes(ctx, list, use, &probe);
        if (Diagnostic* d = found.At(at)) {
          dnsbl::Findings::AddNotes(d, probe.notes);
          continue;
        }
        std::string message;
        if (use.missing_zone) {
          message = fmt::format("{} is the last word of {} and has no zone: smtpd logs \"restriction {} requires "
                                "domain name argument\" and skips it",
                                dnsbl::CheckKindName(use.check), dnsbl::ListName(list),
                                list.entries[use.keyword_index].text);
        } else {
          message = fmt::format("{} in {}: {}; {}", dnsbl::Describe(use), dnsbl::ListName(list), use.error,
                                Consequence(use));
        }
        Diagnostic& d = found.Add(at, std::move(message), dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewMalformedDnsblEntryRule() { return std::make_unique<MalformedDnsblEntry>(); }

}  // namespace postvet
