// Tests of the DNS list rules PV201-PV210: their decisions, notes and fixes
// (applied until nothing changes, like --fix), on in-memory configs. The
// DnsblUse extraction and the entry-deleting edits they rest on are
// dnsbl_uses_test.cpp.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/registry.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"
#include "tests/message_shape.hpp"
#include "tests/config_fixture.hpp"
#include "tests/dnsbl_test_util.hpp"

namespace postvet {
namespace {

using dnsbl_test::Contains;
using dnsbl_test::Text;

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;

  std::vector<std::string> Spans() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) out.push_back(Text(d.location));
    return out;
  }
  /// `file` after applying every fix of one pass.
  std::string Fixed(size_t file = 0) const {
    const Source& src = *ctx->files().at(file)->source;
    for (const FileFix& f : PlanFixes(diagnostics, FixPolicy{true})) {
      if (f.source == &src) return ApplyEdits(src.text(), f.edits);
    }
    return std::string(src.text());
  }
};

// The notes of `d` that have a place ("first checked here").
std::vector<Note> Located(const Diagnostic& d) {
  std::vector<Note> out;
  for (const Note& n : d.notes) {
    if (n.location.source != nullptr) out.push_back(n);
  }
  return out;
}

// The detail notes of `d` (no place), joined by " | ".
std::string Details(const Diagnostic& d) {
  std::string out;
  for (const Note& n : d.notes) {
    if (n.location.source == nullptr) out += (out.empty() ? "" : " | ") + n.message;
  }
  return out;
}

Linted Run(const std::string& rule, const std::string& main_cf, const std::string& master_cf = "",
           ProjectConfig config = {}) {
  Linted out;
  out.ctx = MakeConfig(main_cf, master_cf, config);
  out.diagnostics = Lint(*out.ctx, RuleFilter(config, {rule}, {}));
  for (const Diagnostic& d : out.diagnostics) CheckMessageShape(d);
  return out;
}

// Applies `rule`'s fixes until nothing changes (like --fix), returning main.cf.
std::string FixAll(const std::string& rule, std::string main_cf) {
  for (int pass = 0; pass < 5; ++pass) {
    Linted l = Run(rule, main_cf);
    std::string next = l.Fixed();
    if (next == main_cf) break;
    main_cf = next;
  }
  return main_cf;
}

TEST_CASE("PV201: smtpd repeats, one finding per repeat, safe deletion") {
  const std::string cf =
      "smtpd_recipient_restrictions =\n"
      "    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],\n"
      "    permit_mynetworks,\n"
      "    reject_rbl_client ZEN.spamhaus.org.=127.0.0.[2..11],\n"
      "    reject_unauth_destination,\n"
      "    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11]\n";
  Linted l = Run("PV201", cf);
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.diagnostics[0].subject == "zen.spamhaus.org");
  CHECK(l.diagnostics[0].notes.at(0).message == "first checked here");
  CHECK(FixAll("PV201", cf) ==
        "smtpd_recipient_restrictions =\n"
        "    reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],\n"
        "    permit_mynetworks,\n"
        "    reject_unauth_destination\n");
}

TEST_CASE("PV201: different filters, checks or warn_if_reject are no repeats") {
  Linted l = Run("PV201",
                 "smtpd_recipient_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.2,\n"
                 "    reject_rbl_client zen.spamhaus.org=127.0.0.3, warn_if_reject reject_rbl_client "
                 "zen.spamhaus.org=127.0.0.2,\n"
                 "    reject_rhsbl_helo dbl.spamhaus.org, reject_rhsbl_sender dbl.spamhaus.org\n");
  CHECK(l.diagnostics.empty());
  // Filters compare by meaning.
  CHECK(Run("PV201", "smtpd_client_restrictions = reject_rbl_client a.example=127.0.0.2, reject_rbl_client "
                     "a.example=[127.0.0.[2]]\n")
            .diagnostics.size() == 1);
}

TEST_CASE("PV201: postscreen copies are one finding and merge with the weights summed") {
  const std::string cf = "postscreen_dnsbl_sites = zen.spamhaus.org*3, bl.spamcop.net zen.spamhaus.org*3\n"
                         "    zen.spamhaus.org*3 list.dnswl.org*-2 list.dnswl.org*-2\n";
  Linted l = Run("PV201", cf);
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.diagnostics[0].message == "zen.spamhaus.org*3 appears 3 times in postscreen_dnsbl_sites with the same "
                                    "filter and weight");
  CHECK(Contains(Details(l.diagnostics[0]), "scores 9"));
  CHECK(Contains(Details(l.diagnostics[0]), "write zen.spamhaus.org*9 once"));
  CHECK(l.Fixed() == "postscreen_dnsbl_sites = zen.spamhaus.org*9, bl.spamcop.net\n"
                     "    list.dnswl.org*-4\n");
  CHECK(Run("PV201", "postscreen_dnsbl_sites = a.example b.example a.example\n").Fixed() ==
        "postscreen_dnsbl_sites = a.example*2 b.example\n");
  // Different weights: a scoring choice, not a copy.
  CHECK(Run("PV201", "postscreen_dnsbl_sites = a.example*2 a.example*3\n").diagnostics.empty());
}

TEST_CASE("PV201: repeats through $name") {
  // The same bytes reached twice: reported at the second reference, no fix.
  Linted twice = Run("PV201", "rbl = reject_rbl_client zen.spamhaus.org\n"
                              "smtpd_client_restrictions = $rbl, permit_mynetworks, $rbl\n");
  REQUIRE(twice.diagnostics.size() == 1);
  CHECK(twice.Spans()[0] == "$rbl");
  CHECK(twice.diagnostics[0].location.begin > std::string("rbl = reject_rbl_client zen.spamhaus.org\n").size() + 30);
  CHECK(!twice.diagnostics[0].fix);
  // The later copy sits in a parameter the first is not in: deleting it
  // there could change other lists using $common, so no fix.
  Linted shared = Run("PV201", "common = reject_rbl_client zen.spamhaus.org\n"
                               "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org, $common\n"
                               "smtpd_helo_restrictions = $common\n");
  REQUIRE(shared.diagnostics.size() == 1);
  CHECK(!shared.diagnostics[0].fix);
  REQUIRE(Located(shared.diagnostics[0]).size() == 2);
  CHECK(shared.diagnostics[0].notes[1].message == "$common is used by smtpd_client_restrictions here");
  CHECK(Contains(Details(shared.diagnostics[0]), "can never change the result"));
  // Both copies inside $common: fixable there, reported once for both lists.
  Linted inner = Run("PV201", "common = reject_rbl_client zen.spamhaus.org reject_rbl_client zen.spamhaus.org\n"
                              "smtpd_client_restrictions = $common\n"
                              "smtpd_helo_restrictions = $common\n");
  REQUIRE(inner.diagnostics.size() == 1);
  CHECK(inner.Fixed() == "common = reject_rbl_client zen.spamhaus.org\n"
                         "smtpd_client_restrictions = $common\n"
                         "smtpd_helo_restrictions = $common\n");
}

TEST_CASE("PV202: coverage needs the same effect and a safe order") {
  // sbl's codes in zen include 127.0.0.30, which the filtered zen does not take.
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], "
                     "reject_rbl_client sbl.spamhaus.org=127.0.0.30\n")
            .diagnostics.empty());
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..3], "
                     "reject_rbl_client xbl.spamhaus.org=127.0.0.[2..11]\n")
            .diagnostics.empty());
  // Unfiltered Spamhaus entries are taken with their recommended filter
  // (their other answers are errors, PV205), so what PV202 finds does not
  // change when PV205 adds the filters.
  for (const char* zen : {"zen.spamhaus.org", "zen.spamhaus.org=127.0.0.[2..11]"}) {
    Linted l = Run("PV202", std::string("smtpd_client_restrictions = reject_rbl_client ") + zen +
                                ", reject_rbl_client sbl.spamhaus.org, reject_rbl_client zen.spamhaus.org\n");
    // With zen unfiltered the last entry is a plain repeat (PV201's).
    REQUIRE(l.diagnostics.size() == (std::string(zen).find('=') == std::string::npos ? 1u : 2u));
    CHECK(l.Spans()[0] == "sbl.spamhaus.org");
    CHECK(Contains(l.diagnostics[0].message, "is covered by zen.spamhaus.org"));
    CHECK(Contains(Details(l.diagnostics[0]), "see PV205"));
  }
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11], "
                     "reject_rbl_client sbl.spamhaus.org=127.0.0.[2..11]\n")
            .diagnostics.size() == 1);
  // Covered entry first, covering entry later: fine with only DNS list
  // checks between, not across a permit.
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.2, "
                     "reject_rbl_client bl.spamcop.net, reject_rbl_client zen.spamhaus.org\n")
            .diagnostics.size() == 1);
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.2, "
                     "permit_mynetworks, reject_rbl_client zen.spamhaus.org\n")
            .diagnostics.empty());
  // Different checks or log-only: other effects.
  CHECK(Run("PV202", "smtpd_client_restrictions = warn_if_reject reject_rbl_client zen.spamhaus.org, "
                     "reject_rbl_client sbl.spamhaus.org\n")
            .diagnostics.empty());
  // postscreen adds weights: overlaps are a scoring choice.
  CHECK(Run("PV202", "postscreen_dnsbl_sites = zen.spamhaus.org*2 sbl.spamhaus.org\n").diagnostics.empty());
  // The fix deletes the member entry.
  CHECK(Run("PV202", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org,\n"
                     "    reject_rbl_client xbl.spamhaus.org, permit_mynetworks\n")
            .Fixed() == "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org,\n"
                        "    permit_mynetworks\n");
}

TEST_CASE("PV203/PV204: dead zones, superseded zones") {
  Linted dead = Run("PV203", "smtpd_client_restrictions = reject_rbl_client dnsbl.sorbs.net,\n"
                             "    reject_rbl_client cbl.abuseat.org, permit_mynetworks\n");
  REQUIRE(dead.diagnostics.size() == 2);
  CHECK(dead.diagnostics[0].fix.has_value());
  CHECK(!dead.diagnostics[1].fix.has_value());  // superseded: still answers
  CHECK(dead.diagnostics[1].message == "cbl.abuseat.org is superseded by xbl.spamhaus.org");
  CHECK(Contains(Details(dead.diagnostics[1]), "use xbl.spamhaus.org instead"));
  Linted wild = Run("PV204", "smtpd_client_restrictions = permit_dnswl_client dnsbl.njabl.org, permit_mynetworks\n"
                             "postscreen_dnsbl_sites = dnsbl.ahbl.org*-2\n");
  REQUIRE(wild.diagnostics.size() == 2);
  CHECK(wild.diagnostics[0].severity == Severity::kError);
  CHECK(Contains(wild.diagnostics[0].message, "answers every query as listed"));
  CHECK(Contains(Details(wild.diagnostics[0]), "accepts every client"));
  CHECK(Contains(Details(wild.diagnostics[1]), "subtracts 2"));
  CHECK(wild.Fixed() == "smtpd_client_restrictions = permit_mynetworks\npostscreen_dnsbl_sites =\n");
}

TEST_CASE("PV203/PV204: zones under a dead operator's domain") {
  Linted dead = Run("PV203", "smtpd_client_restrictions = reject_rbl_client safe.dnsbl.sorbs.net,\n"
                             "    reject_rhsbl_client Other.RHSBL.sorbs.net., reject_rbl_client bl.notsorbs.net\n");
  REQUIRE(dead.diagnostics.size() == 2);
  CHECK(dead.diagnostics[0].message == "safe.dnsbl.sorbs.net was shut down (since 2024-06-05)");
  CHECK(dead.diagnostics[1].message == "other.rhsbl.sorbs.net was shut down (since 2024-06-05)");
  CHECK(Contains(Details(dead.diagnostics[0]), "covers every zone under sorbs.net"));
  CHECK(dead.Fixed() == "smtpd_client_restrictions =\n    reject_rbl_client bl.notsorbs.net\n");
  // A named zone under the operator keeps its own row and note.
  Linted named = Run("PV203", "smtpd_client_restrictions = reject_rbl_client dnsbl.sorbs.net\n");
  REQUIRE(named.diagnostics.size() == 1);
  CHECK_FALSE(Contains(Details(named.diagnostics[0]), "covers every zone"));
  Linted wild = Run("PV204", "postscreen_dnsbl_sites = new.ahbl.org*2\n");
  REQUIRE(wild.diagnostics.size() == 1);
  CHECK(wild.diagnostics[0].message == "new.ahbl.org in postscreen_dnsbl_sites answers every query as listed (since 2015-01-01)");
}

TEST_CASE("PV203: a timed-out allowlist lookup defers, so deleting it is unsafe") {
  Linted l = Run("PV203", "smtpd_client_restrictions = permit_dnswl_client list.dsbl.org,\n"
                          "    reject_rbl_client x.dsbl.org, permit_dnswl_client dnsbl.sorbs.net\n");
  REQUIRE(l.diagnostics.size() == 3);
  CHECK(l.diagnostics[0].fix->applicability == Applicability::kUnsafe);
  CHECK(Contains(Details(l.diagnostics[0]), "DEFER_IF_REJECT"));
  CHECK(l.diagnostics[1].fix->applicability == Applicability::kSafe);  // a failed reject lookup is DUNNO
  CHECK(l.diagnostics[2].fix->applicability == Applicability::kSafe);  // dead-empty: it answers "not listed"
}

TEST_CASE("PV210: address checks on domain lists, domain checks on address lists") {
  Linted l = Run("PV210", "smtpd_client_restrictions = reject_rbl_client dbl.spamhaus.org=127.0.1.[2..99],\n"
                          "    reject_rhsbl_client zen.spamhaus.org, reject_rhsbl_client dbl.spamhaus.org,\n"
                          "    reject_rbl_client bl.spamcop.net, reject_rbl_client dbl.spamhaus.org=127.0.1.[2..99]\n"
                          "postscreen_dnsbl_sites = dbl.spamhaus.org*1 multi.surbl.org=127.0.0.[2..254]*1\n");
  REQUIRE(l.diagnostics.size() == 4);  // the repeat of the first entry is PV201's
  CHECK(l.Spans() == std::vector<std::string>{"dbl.spamhaus.org=127.0.1.[2..99]", "zen.spamhaus.org",
                                              "dbl.spamhaus.org*1", "multi.surbl.org=127.0.0.[2..254]*1"});
  CHECK(l.diagnostics[0].message ==
        "dbl.spamhaus.org is a domain list, but smtpd_client_restrictions asks it about IP addresses");
  CHECK(l.diagnostics[1].message ==
        "zen.spamhaus.org is an IP address list, but smtpd_client_restrictions asks it about domain names");
  // A filter that leaves the DBL's wrong-query answer out: the entry never matches.
  CHECK(Contains(Details(l.diagnostics[0]), "so the entry never matches"));
  CHECK(Contains(l.diagnostics[0].fix->description, "whether the list answers such queries is up to its operator"));
  // Unfiltered, 127.0.1.255 counts: every client gets the weight.
  CHECK(Contains(Details(l.diagnostics[2]), "postscreen adds 1 to every client's score"));
  CHECK(Contains(l.diagnostics[2].fix->description, "127.0.1.255 (wrong-query)"));
  // zen's public-resolver answer would count in reject_rhsbl_client too.
  CHECK(Contains(l.diagnostics[1].fix->description, "127.255.255.254 (public-resolver)"));
  CHECK(Contains(Details(l.diagnostics[3]), "content filter"));
  for (const Diagnostic& d : l.diagnostics) {
    REQUIRE(d.fix.has_value());
    CHECK(d.fix->applicability == Applicability::kUnsafe);
  }
  CHECK(FixAll("PV210", std::string(l.ctx->files().at(0)->source->text())) ==
        "smtpd_client_restrictions =\n    reject_rhsbl_client dbl.spamhaus.org,\n"
        "    reject_rbl_client bl.spamcop.net\n"  // the repeat goes in the next pass
        "postscreen_dnsbl_sites =\n");
  // Allowlists: the permit checks fail with DEFER_IF_REJECT when a lookup fails.
  Linted allow = Run("PV210", "smtpd_client_restrictions = permit_rhswl_client wl.mailspike.net=127.0.0.[18..20]\n");
  REQUIRE(allow.diagnostics.size() == 1);
  CHECK(Contains(allow.diagnostics[0].fix->description, "DEFER_IF_REJECT"));
  CHECK(Contains(Details(allow.diagnostics[0]), "belongs in permit_dnswl_client"));
  // Matching kinds, unknown zones, operator rows of kind both and dead zones: nothing.
  CHECK(Run("PV210", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],\n"
                     "    reject_rhsbl_helo dbl.spamhaus.org, reject_rbl_client dbl.example.org,\n"
                     "    reject_rbl_client x.rhsbl.sorbs.net, reject_rhsbl_client x.dnsbl.sorbs.net,\n"
                     "    reject_rhsbl_sender dnsbl.ahbl.org, reject_rhsbl_sender multi.uribl.com,\n"
                     "    reject_rhsbl_client hostkarma.junkemailfilter.com=127.0.0.2\n")  // a low-confidence row
            .diagnostics.empty());
}

TEST_CASE("PV210 subsumes PV205 on the same entry") {
  Linted both;
  both.ctx = MakeConfig("smtpd_client_restrictions = reject_rbl_client dbl.spamhaus.org,\n"
                        "    reject_rbl_client zen.spamhaus.org\n",
                        "", {});
  both.diagnostics = Lint(*both.ctx, RuleFilter(ProjectConfig{}, {"PV205", "PV210"}, {}));
  REQUIRE(both.diagnostics.size() == 2);
  CHECK(both.diagnostics[0].rule_id == "PV210");
  CHECK(both.diagnostics[1].rule_id == "PV205");
  CHECK(Contains(Details(both.diagnostics[0]), "so smtpd rejects every client"));
  CHECK(Run("PV205", "smtpd_client_restrictions = reject_rbl_client dbl.spamhaus.org\n").diagnostics.size() == 1);
}

TEST_CASE("PV205: unfiltered lists with error codes get the recommended filter") {
  Linted l = Run("PV205", "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org,\n"
                          "    warn_if_reject reject_rbl_client zen.spamhaus.org, reject_rbl_client bl.spamcop.net\n"
                          "postscreen_dnsbl_sites = KEY1.zen.dq.spamhaus.net*3\n");
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.Fixed() == "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],\n"
                     "    warn_if_reject reject_rbl_client zen.spamhaus.org, reject_rbl_client bl.spamcop.net\n"
                     "postscreen_dnsbl_sites = KEY1.zen.dq.spamhaus.net=127.0.0.[2..11]*3\n");
}

TEST_CASE("PV206: DNS list checks before the permits for own users") {
  Linted l = Run("PV206", "smtpd_relay_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11],\n"
                          "    reject_rhsbl_sender dbl.spamhaus.org=127.0.1.[2..99], Permit_SASL_Authenticated,\n"
                          "    reject_unauth_destination\n");
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.Spans()[0] == "reject_rbl_client");
  CHECK(l.diagnostics[0].message == "smtpd_relay_restrictions runs 2 DNS list checks before Permit_SASL_Authenticated");
  CHECK(Contains(Details(l.diagnostics[0]), "they query zen.spamhaus.org, dbl.spamhaus.org; smtpd stops"));
  CHECK(Run("PV206", "smtpd_client_restrictions = warn_if_reject reject_rbl_client zen.spamhaus.org,\n"
                     "    permit_dnswl_client list.dnswl.org, permit_mynetworks\n")
            .diagnostics.empty());
}

TEST_CASE("PV207: the budget comes from the project config") {
  const std::string cf = "smtpd_client_restrictions = reject_rbl_client a.example, reject_rbl_client b.example\n"
                         "smtpd_helo_restrictions = reject_rhsbl_helo a.example\n";
  CHECK(Run("PV207", cf).diagnostics.empty());
  ProjectConfig tight;
  tight.dnsbl_latency_budget = 1;
  Linted l = Run("PV207", cf, "", tight);
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.Spans()[0] == "b.example");
  CHECK(Located(l.diagnostics[0]).size() == 2);
  CHECK(l.diagnostics[0].message == "smtpd in main.cf queries 2 distinct DNS lists, more than the budget of 1");
  CHECK(Contains(Details(l.diagnostics[0]), "it asks them (a.example, b.example) one after another"));
}

TEST_CASE("PV208: once per zone, notes at the other uses") {
  Linted l = Run("PV208", "smtpd_client_restrictions = reject_rbl_client b.barracudacentral.org\n"
                          "postscreen_dnsbl_sites = b.barracudacentral.org*2 bb.barracudacentral.org\n");
  REQUIRE(l.diagnostics.size() == 1);
  REQUIRE(Located(l.diagnostics[0]).size() == 1);
  CHECK(Text(l.diagnostics[0].notes[0].location) == "b.barracudacentral.org*2");
}

TEST_CASE("PV209: points at the offending byte") {
  Linted l = Run("PV209", "postscreen_dnsbl_sites = bl.spamcop.net=127.0.0.2*x psbl.surriel.com=127.0.0.[2..300]\n"
                          "smtpd_client_restrictions = permit_mynetworks, reject_rbl_client\n");
  REQUIRE(l.diagnostics.size() == 3);
  CHECK(l.Spans()[0] == "x");
  CHECK(l.Spans()[1] == "3");
  CHECK(l.Spans()[2] == "reject_rbl_client");
  CHECK(l.diagnostics[0].message == "bad DNSBL weight \"x\" of bl.spamcop.net in postscreen_dnsbl_sites");
  CHECK(Contains(Details(l.diagnostics[0]), "postscreen refuses to start"));
  CHECK(l.diagnostics[2].message == "reject_rbl_client is the last word of smtpd_client_restrictions and has no zone");
}

}  // namespace
}  // namespace postvet
