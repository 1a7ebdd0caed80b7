// The DNS list catalogue's loader: the line and column it names for bad
// data, and the trusted reading (ParseTrusted) that the built-in catalogue
// uses, which must agree with the full checks on the shipped table.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "src/base/embedded.hpp"
#include "src/facts/dnsbl/catalogue.hpp"

namespace postvet::dnsbl {
namespace {

const Catalogue& Builtin() {
  const Result<Catalogue>& c = BuiltinCatalogue();
  INFO((c.ok() ? std::string() : c.status().message()));
  REQUIRE(c.ok());
  return c.value();
}

std::string Table(const std::string& rows) {
  return "# comment\n"
         "zone\tkind\tstatus\tsince\tsuperseded_by\tmembers\tfilter\tpolicy_codes\t"
         "registration\tipv6\tconfidence\tnote\tsources\n" +
         rows;
}

std::string Row(std::string zone, std::string kind = "ip", std::string status = "live",
                std::string since = "-", std::string superseded = "-", std::string members = "-",
                std::string filter = "-", std::string policy = "-", std::string reg = "no",
                std::string ipv6 = "unknown", std::string conf = "high",
                std::string note = "a note", std::string src = "https://example.org/x") {
  return zone + "\t" + kind + "\t" + status + "\t" + since + "\t" + superseded + "\t" + members +
         "\t" + filter + "\t" + policy + "\t" + reg + "\t" + ipv6 + "\t" + conf + "\t" + note +
         "\t" + src + "\n";
}

void ExpectError(const std::string& tsv, const std::string& needle) {
  Result<Catalogue> c = Catalogue::Parse(tsv, "t.tsv");
  INFO(tsv);
  REQUIRE_FALSE(c.ok());
  INFO(c.status().message());
  CHECK(c.status().message().find(needle) != std::string::npos);
}

TEST_CASE("the loader names the line and column of bad data") {
  REQUIRE(Catalogue::Parse(Table(Row("a.example")), "t.tsv").ok());
  ExpectError(Table(Row("A.example")), "t.tsv:3: column zone: \"A.example\" must be lowercase");
  ExpectError(Table(Row("example")), "t.tsv:3: column zone");
  ExpectError(Table(Row("a..example")), "column zone");
  ExpectError(Table(Row("a.example", "rbl")), "t.tsv:3: column kind");
  ExpectError(Table(Row("a.example", "ip", "dead")), "column status");
  ExpectError(Table(Row("a.example", "ip", "live", "2024-13")), "column since");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "b.example")), "column superseded_by");
  ExpectError(Table(Row("a.example", "ip", "superseded", "-", "b.example")), "b.example is not in the table");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "b.example=127.0.0.2")), "member b.example is not in the table");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "b.example=127.0.0.[2..")), "column members");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "127.0.0.[2,3]")), "column filter");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "oops=127.0.0.1")), "column policy_codes");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "127.0.0.[1..5]", "refused=127.0.0.1")),
              "lets the refused error code");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "maybe")), "column registration");
  ExpectError(Table(Row("a.example", "domain", "live", "-", "-", "-", "-", "-", "no", "yes")), "column ipv6");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "-")), "column ipv6");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "unknown", "sure")),
              "column confidence");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "unknown", "high", "n",
                        "example.org/x")), "column sources");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "unknown", "high", "n",
                        "https://a.org  https://b.org")), "column sources");
  ExpectError(Table(Row("*.a.example")), "keyed (*.) zone needs registration");
  ExpectError(Table(Row("a.example") + Row("a.example")), "t.tsv:4: a.example already appears on line 3");
  ExpectError(Table(Row("a.example") + "\n"), "t.tsv:4: blank line");
  ExpectError(Table("a.example\tip\n"), "t.tsv:3: has 2 fields");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "unknown", "high", " n")),
              "leading or trailing space");
  ExpectError("zone\tkind\n", "t.tsv:1: the first row");
  ExpectError("# only comments\n", "no header row");
  // Operator rows: dead, no members or filter, and nothing live under them.
  REQUIRE(Catalogue::Parse(Table(Row(".a.example", "both", "dead-empty") + Row("x.a.example", "ip", "dead-timeout")),
                           "t.tsv").ok());
  ExpectError(Table(Row(".a.example", "ip", "live")), "t.tsv:3: column status: an operator (.domain) row must be dead-*");
  ExpectError(Table(Row(".a.example", "ip", "dead-empty", "-", "-", "-", "127.0.0.2")), "row has no filter");
  ExpectError(Table(Row(".a.example", "ip", "dead-empty", "-", "-", "b.example=127.0.0.2") + Row("b.example")),
              "row has no members");
  ExpectError(Table(Row(".a.example", "ip", "dead-empty") + Row("x.y.a.example")),
              "t.tsv:4: x.y.a.example lies under the operator row .a.example (line 3) but is not dead-*");
  ExpectError(Table(Row(".example")), "needs at least two labels");
  ExpectError(Table(Row("a.example", "ip", "superseded", "-", ".b.example")), "cannot be an operator");
  ExpectError(Table(Row(".a.example", "both", "dead-empty", "-", "-", "-", "-", "-", "no", "-")), "column ipv6");
  // Nested members must agree: c is in b; a lists b but not c, or c outside b's codes.
  std::string inner = Row("b.example", "ip", "live", "-", "-", "c.example=127.0.0.4") + Row("c.example");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "b.example=127.0.0.[4..7]") + inner),
              "c.example is in member b.example but not listed as a member here");
  ExpectError(Table(Row("a.example", "ip", "live", "-", "-", "b.example=127.0.0.[4..7],c.example=127.0.0.9") + inner),
              "are not inside the codes of b.example");
  REQUIRE(Catalogue::Parse(Table(Row("a.example", "ip", "live", "-", "-",
                                     "b.example=127.0.0.[4..7],c.example=127.0.0.4") + inner), "t.tsv").ok());
}

TEST_CASE("the built-in catalogue is the embedded table as the full checks read it") {
  // BuiltinCatalogue() skips the edit checks (ParseTrusted): the same bytes
  // must pass them here, and both readings must give the same rows.
  std::optional<std::string_view> data = FindEmbedded("rules/data/dnsbl.tsv");
  REQUIRE(data.has_value());
  Result<Catalogue> checked = Catalogue::Parse(*data, "rules/data/dnsbl.tsv");
  INFO((checked.ok() ? std::string() : checked.status().message()));
  REQUIRE(checked.ok());
  const Catalogue& builtin = Builtin();
  REQUIRE(builtin.zones().size() == checked->zones().size());
  for (std::size_t i = 0; i < builtin.zones().size(); ++i) {
    const ZoneInfo& a = builtin.zones()[i];
    const ZoneInfo& b = checked->zones()[i];
    INFO("dnsbl.tsv line " << b.line);
    CHECK(a.zone == b.zone);
    CHECK(a.line == b.line);
    CHECK(a.kind == b.kind);
    CHECK(a.status == b.status);
    CHECK(a.since == b.since);
    CHECK(a.superseded_by == b.superseded_by);
    REQUIRE(a.members.size() == b.members.size());
    for (std::size_t m = 0; m < a.members.size(); ++m) {
      CHECK(a.members[m].zone == b.members[m].zone);
      CHECK(a.members[m].codes == b.members[m].codes);
      CHECK(a.members[m].codes_text == b.members[m].codes_text);
    }
    CHECK(a.recommended_filter == b.recommended_filter);
    CHECK(a.recommended_filter_text == b.recommended_filter_text);
    REQUIRE(a.policy_codes.size() == b.policy_codes.size());
    for (std::size_t p = 0; p < a.policy_codes.size(); ++p) {
      CHECK(a.policy_codes[p].reason == b.policy_codes[p].reason);
      CHECK(a.policy_codes[p].codes == b.policy_codes[p].codes);
    }
    CHECK(a.needs_registration == b.needs_registration);
    CHECK(a.ipv6 == b.ipv6);
    CHECK(a.confidence == b.confidence);
    CHECK(a.note == b.note);
    CHECK(a.sources == b.sources);
    CHECK(builtin.Find(a.zone) == &a);
  }
}

TEST_CASE("the trusted reading skips only the edit checks") {
  // What only a bad edit would produce: accepted by ParseTrusted, refused by Parse.
  for (const std::string& tsv :
       {Table(Row("A.example")), Table(Row("a.example", "ip", "live", "2024-13")),
        Table(Row("a.example", "ip", "live", "-", "-", "-", "-", "-", "no", "unknown", "high", "n", "example.org/x")),
        Table(Row("*.a.example")), Table(Row("a.example", "ip", "superseded", "-", "b.example"))}) {
    INFO(tsv);
    CHECK_FALSE(Catalogue::Parse(tsv, "t.tsv").ok());
    CHECK(Catalogue::ParseTrusted(tsv, "t.tsv").ok());
  }
  // What the rows could not be built from fails either way, with the same message.
  for (const std::string& tsv :
       {Table(Row("a.example", "rbl")), Table(Row("a.example", "ip", "dead")),
        Table(Row("a.example", "ip", "live", "-", "-", "-", "127.0.0.[2,3]")), Table("a.example\tip\n"),
        Table(Row("a.example") + Row("a.example")), std::string("# only comments\n")}) {
    INFO(tsv);
    Result<Catalogue> trusted = Catalogue::ParseTrusted(tsv, "t.tsv");
    Result<Catalogue> full = Catalogue::Parse(tsv, "t.tsv");
    REQUIRE_FALSE(trusted.ok());
    REQUIRE_FALSE(full.ok());
    CHECK(trusted.status().message() == full.status().message());
  }
}

}  // namespace
}  // namespace postvet::dnsbl
