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
#include "src/config/lint_context.hpp"
#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"

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

// The entry for messages: "reject_rbl_client zen.spamhaus.org" (smtpd, with
// a warn_if_reject before it), "zen.spamhaus.org" (postscreen): the zone
// without the broken filter or weight, which the message quotes itself
// (without the zone when the zone is what is broken).
std::string EntryName(const DnsblUse& use, bool with_zone = true) {
  if (use.check == CheckKind::kPostscreen) return use.zone;
  std::string out = fmt::format("{}{}", use.log_only ? "warn_if_reject " : "", dnsbl::CheckKindName(use.check));
  if (with_zone) out += " " + use.zone;
  return out;
}

// The parser's error split into the defect and what it adds: `bad DNSBL
// reply filter "x": need ...` gives (`bad DNSBL reply filter "x"`, `need
// ...`); an entry is one word, so `": ` cannot occur inside the quotes.
// A final parenthesis (`(write the filter before the weight: ...)`) goes
// with the detail.
std::pair<std::string, std::string> SplitError(std::string_view error) {
  std::string_view head = error;
  std::string_view tail;
  if (size_t colon = error.find("\": "); colon != std::string_view::npos) {
    head = error.substr(0, colon + 1);
    tail = error.substr(colon + 3);
  } else if (size_t paren = error.find(" ("); paren != std::string_view::npos && error.ends_with(")")) {
    head = error.substr(0, paren);
    tail = error.substr(paren + 2, error.size() - paren - 3);
  }
  return {std::string(head), std::string(tail)};
}

class MalformedDnsblEntry : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV209",
            .slug = "malformed-dnsbl-entry",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "unparsable reply filter or weight (`zone=127.0.0.[2..`, `zone*x`)",
            .doc = {}};
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
        std::vector<std::string> details;
        if (use.missing_zone) {
          message = fmt::format("{} is the last word of {} and has no zone", dnsbl::CheckKindName(use.check),
                                dnsbl::ListName(list));
          details.push_back(fmt::format("smtpd logs \"restriction {} requires domain name argument\" and skips it",
                                        list.entries[use.keyword_index].text));
        } else if (use.error.find("has no dot") != std::string::npos) {
          // "\"permit\" has no dot: it is no DNS list zone (is the zone missing, so that ...?)"
          message = fmt::format("{} in {} names no DNS list zone (\"{}\" has no dot)", dnsbl::Describe(use),
                                dnsbl::ListName(list), use.zone);
          details.push_back(Consequence(use));
          const size_t ask = use.error.find("(is the zone missing");
          if (ask != std::string::npos && use.error.ends_with(")")) {
            details.push_back(use.error.substr(ask + 1, use.error.size() - ask - 2));
          }
        } else if (use.error.starts_with("a \"*weight\" is only understood")) {
          message = fmt::format("{} in {} has a \"*weight\"", dnsbl::Describe(use), dnsbl::ListName(list));
          details.push_back(fmt::format("{}; {}", use.error, Consequence(use)));
        } else {
          auto [head, tail] = SplitError(use.error);
          if (head.find("domain name") != std::string::npos) {
            // The zone is what is wrong: name the check instead.
            message = use.check == CheckKind::kPostscreen
                          ? fmt::format("{} in {}", head, dnsbl::ListName(list))
                          : fmt::format("{} for {} in {}", head, EntryName(use, false), dnsbl::ListName(list));
          } else {
            message = fmt::format("{} of {} in {}", head, EntryName(use), dnsbl::ListName(list));
          }
          details.push_back(tail.empty() ? Consequence(use) : fmt::format("{}; {}", tail, Consequence(use)));
        }
        Diagnostic& d = found.Add(at, std::move(message), dnsbl::Subject(use));
        dnsbl::Findings::AddNotes(&d, probe.notes);
        for (std::string& text : details) dnsbl::AddDetail(&d, std::move(text));
      }
    }
    found.Emit(sink);
  }
};

}  // namespace

std::unique_ptr<Rule> NewMalformedDnsblEntryRule() { return std::make_unique<MalformedDnsblEntry>(); }

}  // namespace postvet
