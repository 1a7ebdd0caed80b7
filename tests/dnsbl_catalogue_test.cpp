// The DNS list catalogue: the shipped rules/data/dnsbl.tsv is re-checked
// here independently of the loader (plain splitting and regexes), then the
// lookups and member relations are exercised (the loader's error messages
// and trusted reading: dnsbl_catalogue_loader_test.cpp).
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

}  // namespace
}  // namespace postvet::dnsbl
