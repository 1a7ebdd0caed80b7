// The DNS list catalogue: the shipped rules/data/dnsbl.tsv is re-checked
// here independently of the loader (plain splitting and regexes), then the
// loader's lookups, member relations and error messages are exercised.
#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "src/facts/dnsbl/catalogue.hpp"
#include "src/base/embedded.hpp"

namespace postvet::dnsbl {
namespace {

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  std::istringstream in(line);
  while (std::getline(in, field, '\t')) out.push_back(field);
  if (!line.empty() && line.back() == '\t') out.emplace_back();
  return out;
}

struct RawRow {
  int line;
  std::vector<std::string> f;
};

std::vector<RawRow> RawRows() {
  std::optional<std::string_view> data = FindEmbedded("rules/data/dnsbl.tsv");
  REQUIRE(data.has_value());
  std::istringstream in{std::string(*data)};
  std::vector<RawRow> rows;
  std::string line;
  int n = 0;
  bool header = false;
  while (std::getline(in, line)) {
    ++n;
    if (line.starts_with("#")) continue;
    if (!header) {
      header = true;
      CHECK(line == "zone\tkind\tstatus\tsince\tsuperseded_by\tmembers\tfilter\tpolicy_codes\t"
                    "registration\tipv6\tconfidence\tnote\tsources");
      continue;
    }
    rows.push_back({n, SplitTabs(line)});
  }
  return rows;
}

const Catalogue& Builtin() {
  const Result<Catalogue>& c = BuiltinCatalogue();
  INFO((c.ok() ? std::string() : c.status().message()));
  REQUIRE(c.ok());
  return c.value();
}

TEST_CASE("every row of dnsbl.tsv is well-formed") {
  std::vector<RawRow> rows = RawRows();
  REQUIRE(rows.size() >= 40);
  const std::regex zone_re(R"(^(\*\.|\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z][a-z0-9-]*[a-z0-9]$)");
  const std::regex since_re(R"(^(-|(199\d|20\d\d)(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)$)");
  const std::regex url_re(R"(^https?://[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$)");
  const std::set<std::string> kinds = {"ip", "domain", "uri", "ip-allow", "domain-allow", "both"};
  const std::set<std::string> statuses = {"live", "dead-empty", "dead-timeout",
                                          "dead-lists-everything", "superseded", "subscription"};
  const std::set<std::string> reasons = {"typo", "public-resolver", "over-quota",
                                         "bad-key", "wrong-query", "refused"};
  std::set<std::string> zones;
  for (const RawRow& r : rows) zones.insert(r.f.empty() ? "" : r.f[0]);
  REQUIRE(zones.size() == rows.size());  // no duplicate zone

  for (const RawRow& r : rows) {
    INFO("dnsbl.tsv line " << r.line);
    REQUIRE(r.f.size() == 13);
    for (const std::string& field : r.f) {
      CHECK(!field.empty());
      CHECK(field.find_first_of("\r\n") == std::string::npos);
    }
    const std::string& zone = r.f[0];
    CHECK(std::regex_match(zone, zone_re));
    CHECK(kinds.count(r.f[1]) == 1);
    CHECK(statuses.count(r.f[2]) == 1);
    CHECK(std::regex_match(r.f[3], since_re));
    if (r.f[4] != "-") {
      CHECK(zones.count(r.f[4]) == 1);  // superseded_by points into the table
      CHECK(r.f[2] == "superseded");
    } else {
      CHECK(r.f[2] != "superseded");
    }
    CHECK((r.f[8] == "yes" || r.f[8] == "no"));
    bool by_ip = r.f[1] == "ip" || r.f[1] == "ip-allow" || r.f[1] == "both";
    CHECK((by_ip ? (r.f[9] == "yes" || r.f[9] == "no" || r.f[9] == "unknown") : r.f[9] == "-"));
    CHECK((r.f[10] == "high" || r.f[10] == "medium" || r.f[10] == "low"));
    CHECK(r.f[11].size() >= 10);  // a real note
    std::istringstream urls(r.f[12]);
    std::string url;
    int url_count = 0;
    while (std::getline(urls, url, ' ')) {
      ++url_count;
      INFO("url " << url);
      CHECK(std::regex_match(url, url_re));
    }
    CHECK(url_count >= 1);
    // Filters, member codes and policy codes use Postfix filter syntax.
    auto check_filter = [&](const std::string& text) {
      INFO("filter " << text);
      std::string octet = "(\\d+|\\[(\\d+(\\.\\.\\d+)?)(;\\d+(\\.\\.\\d+)?)*\\])";
      CHECK(std::regex_match(text, std::regex(octet + "\\." + octet + "\\." + octet + "\\." + octet)));
      CHECK(ParseReplyFilter(text).ok());
    };
    if (r.f[6] != "-") check_filter(r.f[6]);
    auto check_pairs = [&](const std::string& text, bool members) {
      if (text == "-") return;
      std::istringstream items(text);
      std::string item;
      while (std::getline(items, item, ',')) {
        std::size_t eq = item.find('=');
        REQUIRE(eq != std::string::npos);
        std::string name = item.substr(0, eq);
        if (members) {
          CHECK(zones.count(name) == 1);  // members are catalogue zones
        } else {
          CHECK(reasons.count(name) == 1);
        }
        check_filter(item.substr(eq + 1));
      }
    };
    check_pairs(r.f[5], true);
    check_pairs(r.f[7], false);
  }
}

TEST_CASE("the shipped catalogue loads and counts add up") {
  const Catalogue& cat = Builtin();
  std::vector<RawRow> rows = RawRows();
  REQUIRE(cat.zones().size() == rows.size());
  std::map<ZoneStatus, int> by_status;
  for (const ZoneInfo& z : cat.zones()) ++by_status[z.status];
  CHECK(by_status[ZoneStatus::kLive] > 20);
  CHECK(by_status[ZoneStatus::kDeadListsEverything] >= 10);
  CHECK(by_status[ZoneStatus::kDeadTimeout] >= 3);
  CHECK(by_status[ZoneStatus::kDeadEmpty] >= 10);
  CHECK(by_status[ZoneStatus::kSuperseded] >= 2);
  CHECK(by_status[ZoneStatus::kSubscription] >= 1);
  for (const ZoneInfo& z : cat.zones()) {
    INFO(z.zone);
    CHECK(cat.Find(z.zone) == &z);
    CHECK(ZoneKindName(z.kind) != "?");
    CHECK(ParseZoneStatus(ZoneStatusName(z.status)) == z.status);
    // A recommended filter never lets an error answer through.
    for (const PolicyCode& p : z.policy_codes) {
      if (z.recommended_filter) CHECK_FALSE(z.recommended_filter->Overlaps(p.codes));
    }
  }
}

TEST_CASE("lookups ignore case and one trailing dot") {
  const Catalogue& cat = Builtin();
  const ZoneInfo* zen = cat.Find("zen.spamhaus.org");
  REQUIRE(zen != nullptr);
  CHECK(cat.Find("ZEN.Spamhaus.Org.") == zen);
  CHECK(cat.Find("zen.spamhaus.org..") == nullptr);
  CHECK(cat.Find("spamhaus.org") == nullptr);
  CHECK(cat.Find("") == nullptr);
  CHECK(cat.Find(".") == nullptr);
  CHECK(CanonicalZone("Bl.SpamCop.Net.") == "bl.spamcop.net");
  CHECK(CanonicalZone(".") == ".");

  CHECK(zen->kind == ZoneKind::kIp);
  CHECK(zen->status == ZoneStatus::kLive);
  CHECK(zen->HasRecommendedFilter());
  CHECK(zen->recommended_filter_text == "127.0.0.[2..11]");
  REQUIRE(zen->HasPolicyCodes());
  const PolicyCode* code = zen->PolicyCodeFor({127, 255, 255, 254});
  REQUIRE(code != nullptr);
  CHECK(code->reason == PolicyReason::kPublicResolver);
  CHECK(zen->PolicyCodeFor({127, 0, 0, 2}) == nullptr);
  CHECK_FALSE(zen->needs_registration);

  const ZoneInfo* ahbl = cat.Find("dnsbl.ahbl.org");
  REQUIRE(ahbl != nullptr);
  CHECK(ahbl->status == ZoneStatus::kDeadListsEverything);
  CHECK(ahbl->IsDead());
  CHECK(ahbl->since == "2015-01-01");
  CHECK_FALSE(ahbl->HasRecommendedFilter());

  const ZoneInfo* cbl = cat.Find("cbl.abuseat.org");
  REQUIRE(cbl != nullptr);
  CHECK(cbl->status == ZoneStatus::kSuperseded);
  CHECK(cbl->superseded_by == "xbl.spamhaus.org");
  CHECK_FALSE(cbl->IsDead());

  const ZoneInfo* dnswl = cat.Find("list.dnswl.org");
  REQUIRE(dnswl != nullptr);
  CHECK(dnswl->IsAllowlist());
  CHECK(dnswl->PolicyCodeFor({127, 0, 0, 255})->reason == PolicyReason::kOverQuota);

  const ZoneInfo* barracuda = cat.Find("b.barracudacentral.org");
  REQUIRE(barracuda != nullptr);
  CHECK(barracuda->needs_registration);
}

TEST_CASE("keyed zones match any single key label") {
  const Catalogue& cat = Builtin();
  const ZoneInfo* dqs = cat.Find("AbCdEf123.zen.dq.spamhaus.net");
  REQUIRE(dqs != nullptr);
  CHECK(dqs->zone == "*.zen.dq.spamhaus.net");
  CHECK(dqs->IsKeyed());
  CHECK(dqs->needs_registration);
  CHECK(cat.Find("a.b.zen.dq.spamhaus.net") == nullptr);  // the key is one label
  CHECK(cat.Find("zen.dq.spamhaus.net") == nullptr);
  // Members keep the caller's key.
  std::vector<Containment> in = cat.ContainingLists("key1.sbl.dq.spamhaus.net");
  REQUIRE(in.size() == 1);
  CHECK(in[0].combined_zone == "key1.zen.dq.spamhaus.net");
  CHECK(cat.IsMemberOf("key1.sbl.dq.spamhaus.net", "KEY1.zen.dq.spamhaus.net."));
  CHECK_FALSE(cat.IsMemberOf("key1.sbl.dq.spamhaus.net", "key2.zen.dq.spamhaus.net"));
}

TEST_CASE("operator rows cover every zone under a shut-down operator") {
  const Catalogue& cat = Builtin();
  // A SORBS zone the table does not name finds the operator row.
  const ZoneInfo* safe = cat.Find("Safe.DNSBL.sorbs.net.");
  REQUIRE(safe != nullptr);
  CHECK(safe->zone == ".sorbs.net");
  CHECK(safe->IsOperator());
  CHECK(safe->kind == ZoneKind::kBoth);
  CHECK(safe->status == ZoneStatus::kDeadEmpty);
  CHECK(safe->Covers("safe.dnsbl.sorbs.net"));
  CHECK_FALSE(safe->Covers("sorbs.net"));
  CHECK_FALSE(safe->Covers("notsorbs.net"));
  // Named zones keep their own rows; the domain itself is no zone.
  CHECK(cat.Find("dnsbl.sorbs.net")->zone == "dnsbl.sorbs.net");
  CHECK(cat.Find("sorbs.net") == nullptr);
  CHECK(cat.Find("xsorbs.net") == nullptr);
  // The nearest enclosing operator row wins.
  const ZoneInfo* tor = cat.Find("new.exitnodes.tor.dnsbl.sectoor.de");
  REQUIRE(tor != nullptr);
  CHECK(tor->zone == ".dnsbl.sectoor.de");
  CHECK(cat.Find("any.ahbl.org")->status == ZoneStatus::kDeadListsEverything);
  CHECK(cat.ContainingLists("safe.dnsbl.sorbs.net").empty());
  // Every row under an operator row is dead.
  for (const ZoneInfo& op : cat.zones()) {
    if (!op.IsOperator()) continue;
    CHECK(op.IsDead());
    for (const ZoneInfo& z : cat.zones()) {
      if (op.Covers(z.zone)) CHECK(z.IsDead());
    }
  }
}

TEST_CASE("zone kinds say which lookups a list answers") {
  CHECK(KeyedByAddress(ZoneKind::kIp));
  CHECK(KeyedByAddress(ZoneKind::kIpAllow));
  CHECK(KeyedByAddress(ZoneKind::kBoth));
  CHECK_FALSE(KeyedByAddress(ZoneKind::kDomain));
  CHECK_FALSE(KeyedByAddress(ZoneKind::kDomainAllow));
  CHECK_FALSE(KeyedByAddress(ZoneKind::kUri));
  CHECK(KeyedByName(ZoneKind::kDomain));
  CHECK(KeyedByName(ZoneKind::kDomainAllow));
  CHECK(KeyedByName(ZoneKind::kUri));
  CHECK(KeyedByName(ZoneKind::kBoth));
  CHECK_FALSE(KeyedByName(ZoneKind::kIp));
  CHECK_FALSE(KeyedByName(ZoneKind::kIpAllow));
  CHECK(ParseZoneKind("both") == ZoneKind::kBoth);
  CHECK(ZoneKindName(ZoneKind::kBoth) == "both");
}

TEST_CASE("member relations of combined lists") {
  const Catalogue& cat = Builtin();
  std::optional<ReplyFilter> sbl = cat.MemberCodes("sbl.spamhaus.org", "zen.spamhaus.org");
  REQUIRE(sbl.has_value());
  CHECK(sbl->Matches({127, 0, 0, 2}));
  CHECK(sbl->Matches({127, 0, 0, 3}));
  CHECK_FALSE(sbl->Matches({127, 0, 0, 4}));

  std::optional<ReplyFilter> xbl = cat.MemberCodes("XBL.spamhaus.org.", "zen.spamhaus.org");
  REQUIRE(xbl.has_value());
  CHECK(xbl->ToString() == "127.0.0.[4..7]");
  std::optional<ReplyFilter> pbl = cat.MemberCodes("pbl.spamhaus.org", "zen.spamhaus.org");
  REQUIRE(pbl.has_value());
  CHECK(pbl->ToString() == "127.0.0.[10..11]");
  // zen's usual filter covers every SBL/XBL/PBL code except BCL (.30).
  const ZoneInfo* zen = cat.Find("zen.spamhaus.org");
  CHECK(zen->recommended_filter->Covers(*xbl));
  CHECK(zen->recommended_filter->Covers(*pbl));
  CHECK_FALSE(zen->recommended_filter->Covers(*sbl));

  // cbl is in xbl, in sbl-xbl and in zen, always as 127.0.0.4.
  std::vector<Containment> cbl = cat.ContainingLists("cbl.abuseat.org");
  std::set<std::string> names;
  for (const Containment& c : cbl) {
    names.insert(c.combined_zone);
    CHECK(c.codes == ReplyFilter::Exact(127, 0, 0, 4));
  }
  CHECK(names == std::set<std::string>{"xbl.spamhaus.org", "sbl-xbl.spamhaus.org", "zen.spamhaus.org"});

  CHECK(cat.IsMemberOf("z.mailspike.net", "bl.mailspike.net"));
  CHECK(cat.IsMemberOf("dyna.spamrats.com", "all.spamrats.com"));
  CHECK(cat.IsMemberOf("dul.dnsbl.sorbs.net", "dnsbl.sorbs.net"));
  CHECK_FALSE(cat.IsMemberOf("zen.spamhaus.org", "sbl.spamhaus.org"));
  CHECK_FALSE(cat.IsMemberOf("spam.dnsbl.sorbs.net", "dnsbl.sorbs.net"));
  CHECK_FALSE(cat.IsMemberOf("bl.spamcop.net", "zen.spamhaus.org"));
  CHECK(cat.ContainingLists("unknown.example.org").empty());

  // Which configured entry makes a member redundant.
  std::vector<std::string_view> configured = {"bl.spamcop.net", "Zen.Spamhaus.Org.", "xbl.spamhaus.org"};
  std::optional<ContainerMatch> m = cat.FindContainerAmong("pbl.spamhaus.org", configured);
  REQUIRE(m.has_value());
  CHECK(m->index == 1);
  CHECK(m->containment.combined_zone == "zen.spamhaus.org");
  CHECK(m->containment.codes.ToString() == "127.0.0.[10..11]");
  m = cat.FindContainerAmong("cbl.abuseat.org", configured);
  REQUIRE(m.has_value());
  CHECK(m->index == 1);  // zen comes first among the candidates
  CHECK_FALSE(cat.FindContainerAmong("zen.spamhaus.org", configured).has_value());
  CHECK_FALSE(cat.FindContainerAmong("bl.spamcop.net", configured).has_value());
  CHECK(cat.ContainingLists("zen.spamhaus.org").empty());
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
