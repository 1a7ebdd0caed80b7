// Tests of the building blocks of the DNS list rules: the DnsblUse
// extraction (restriction parsing, warn_if_reject, arguments, classes,
// `$name` provenance, master.cf scopes, malformed entries) and the byte
// edits that delete list entries (DeleteWords), on in-memory configs. The
// rules PV201-PV210 themselves are dnsbl_rules_test.cpp.
#include <catch2/catch.hpp>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/fix/list_edit.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"
#include "tests/config_fixture.hpp"
#include "tests/dnsbl_test_util.hpp"

namespace postvet {
namespace {

using dnsbl::CheckKind;
using dnsbl::DnsblList;
using dnsbl::DnsblUse;
using dnsbl_test::Contains;
using dnsbl_test::Text;

const DnsblList* FindList(const std::vector<DnsblList>& lists, const std::string& param,
                          const MasterService* service = nullptr) {
  for (const DnsblList& l : lists) {
    if (l.param == param && l.service == service) return &l;
  }
  return nullptr;
}

TEST_CASE("DnsblUse extraction: kinds, prefixes, arguments, places") {
  auto ctx = MakeConfig(
      "smtpd_client_restrictions = permit_mynetworks,\n"
      "    warn_if_reject REJECT_RBL_CLIENT zen.spamhaus.org=127.0.0.[2..11],\n"
      "    check_client_access reject_rbl_client, reject_rbl bl.spamcop.net,\n"
      "    reject_rhsbl_sender dbl.spamhaus.org, $more\n"
      "more = permit_dnswl_client list.dnswl.org=127.0.[0..255].[1..3]\n"
      "smtpd_restriction_classes = strict\n"
      "strict = reject_rbl_client psbl.surriel.com, reject_rhsbl_helo\n"
      "postscreen_dnsbl_sites = zen.spamhaus.org*3, list.dnswl.org=127.0.[0..255].[1..3]*-2\n");
  std::vector<DnsblList> lists = dnsbl::CollectDnsblLists(*ctx);
  const DnsblList* client = FindList(lists, "smtpd_client_restrictions");
  REQUIRE(client != nullptr);
  REQUIRE(client->uses.size() == 4);  // the map argument "reject_rbl_client" is no check

  const DnsblUse& zen = client->uses[0];
  CHECK(zen.check == CheckKind::kRblClient);
  CHECK(zen.log_only);
  CHECK(zen.zone == "zen.spamhaus.org");
  CHECK(zen.filter_text == "127.0.0.[2..11]");
  CHECK(zen.filter.has_value());
  CHECK(Text(zen.zone_location) == "zen.spamhaus.org=127.0.0.[2..11]");
  CHECK(Text(zen.keyword_location) == "REJECT_RBL_CLIENT");
  CHECK(Text(zen.prefix_location) == "warn_if_reject");
  CHECK(zen.list == "smtpd_client_restrictions");
  CHECK(zen.param == "smtpd_client_restrictions");
  CHECK(zen.via.empty());

  CHECK(client->uses[1].check == CheckKind::kRblClient);  // reject_rbl is the alias
  CHECK(client->uses[1].zone == "bl.spamcop.net");
  CHECK(!client->uses[1].log_only);
  CHECK(client->uses[2].check == CheckKind::kRhsblSender);

  const DnsblUse& dnswl = client->uses[3];
  CHECK(dnswl.check == CheckKind::kDnswlClient);
  CHECK(dnswl.param == "more");
  REQUIRE(dnswl.via.size() == 1);
  CHECK(Text(dnswl.via[0]) == "$more");
  CHECK(dnswl.via_params[0] == "smtpd_client_restrictions");
  CHECK(dnswl.list == "smtpd_client_restrictions");

  const DnsblList* strict = FindList(lists, "strict");
  REQUIRE(strict != nullptr);
  CHECK(strict->kind == dnsbl::ListKind::kRestrictionClass);
  REQUIRE(strict->uses.size() == 2);
  CHECK(strict->uses[1].missing_zone);
  CHECK(!strict->uses[1].ok());

  const DnsblList* sites = FindList(lists, "postscreen_dnsbl_sites");
  REQUIRE(sites != nullptr);
  REQUIRE(sites->uses.size() == 2);
  CHECK(sites->uses[0].weight == 3);
  CHECK(sites->uses[1].weight == -2);
  CHECK(sites->uses[1].has_weight);
  CHECK(Text(sites->uses[1].zone_location) == "list.dnswl.org=127.0.[0..255].[1..3]*-2");
}

TEST_CASE("DnsblUse extraction: master.cf scopes share identical lists") {
  const std::string master =
      "smtp      inet  n       -       y       -       -       smtpd\n"
      "submission inet n       -       y       -       -       smtpd\n"
      "  -o smtpd_client_restrictions=permit_sasl_authenticated,$mua_rbl\n"
      "smtps     inet  n       -       y       -       -       smtpd\n"
      "postscreen inet n       -       y       -       1       postscreen\n"
      "  -o postscreen_dnsbl_sites=bl.spamcop.net*2\n";
  auto ctx = MakeConfig(
      "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..11]\n"
      "mua_rbl = reject_rbl_client bl.spamcop.net\n"
      "postscreen_dnsbl_sites = zen.spamhaus.org*2\n",
      master);
  const MasterCf& m = ctx->master_cf();
  REQUIRE(m.services.size() == 4);
  std::vector<DnsblList> lists = dnsbl::CollectDnsblLists(*ctx);
  const DnsblList* main_client = FindList(lists, "smtpd_client_restrictions");
  REQUIRE(main_client != nullptr);
  // smtp and smtps read main.cf's list: recorded, not repeated.
  CHECK(main_client->also_services.size() == 2);
  CHECK(main_client->InScope(&m.services[0]));
  CHECK(!main_client->InScope(&m.services[1]));

  const DnsblList* sub = FindList(lists, "smtpd_client_restrictions", &m.services[1]);
  REQUIRE(sub != nullptr);
  REQUIRE(sub->uses.size() == 1);
  const DnsblUse& spamcop = sub->uses[0];
  CHECK(spamcop.service == &m.services[1]);
  CHECK(spamcop.param == "mua_rbl");
  CHECK(spamcop.zone_location.source == ctx->main_file()->source.get());  // written in main.cf
  REQUIRE(spamcop.via.size() == 1);
  CHECK(spamcop.via[0].source == ctx->master_file()->source.get());  // used from master.cf
  CHECK(Text(spamcop.via[0]) == "$mua_rbl");

  const DnsblList* ps = FindList(lists, "postscreen_dnsbl_sites", &m.services[3]);
  REQUIRE(ps != nullptr);
  REQUIRE(ps->uses.size() == 1);
  CHECK(ps->uses[0].zone == "bl.spamcop.net");
  CHECK(dnsbl::CollectDnsblUses(*ctx).size() == 4);
}

TEST_CASE("DnsblUse extraction: copies are the same entry by meaning") {
  // first_copy compares zone (case, final dot), filter (by the addresses it
  // matches), weight, check and warn_if_reject, not the spelling.
  auto ctx = MakeConfig(
      "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org=127.0.0.[2..3],\n"
      "    reject_rbl_client ZEN.spamhaus.org.=127.0.0.[2;3], reject_rbl_client zen.spamhaus.org=127.0.0.2,\n"
      "    warn_if_reject reject_rbl_client zen.spamhaus.org=127.0.0.[2..3],\n"
      "    reject_rhsbl_client zen.spamhaus.org=127.0.0.[2..3], reject_rbl_client bl.spamcop.net,\n"
      "    reject_rbl_client bl.spamcop.net=[0..255].[0..255].[0..255].[0..255]\n"
      "postscreen_dnsbl_sites = a.example*2, A.example*2, a.example, a.example*1\n");
  std::vector<DnsblList> lists = dnsbl::CollectDnsblLists(*ctx);
  const DnsblList* client = FindList(lists, "smtpd_client_restrictions");
  REQUIRE(client != nullptr);
  REQUIRE(client->uses.size() == 7);
  CHECK(client->first_copy == std::vector<std::size_t>{0, 0, 2, 3, 4, 5, 5});
  const DnsblList* sites = FindList(lists, "postscreen_dnsbl_sites");
  REQUIRE(sites != nullptr);
  REQUIRE(sites->uses.size() == 4);
  CHECK(sites->first_copy == std::vector<std::size_t>{0, 0, 2, 2});
}

TEST_CASE("DnsblUse extraction: malformed entries keep their error and offset") {
  auto ctx = MakeConfig(
      "smtpd_client_restrictions = reject_rbl_client zen.spamhaus.org*2, reject_rbl_client permit\n"
      "postscreen_dnsbl_sites = zen.spamhaus.org=127.0.0.[2..11*3 bl.spamcop.net*2=127.0.0.2\n");
  std::vector<DnsblUse> uses = dnsbl::CollectDnsblUses(*ctx);
  REQUIRE(uses.size() == 4);
  CHECK(!uses[0].ok());
  CHECK(uses[0].error_offset == std::string("zen.spamhaus.org").size());
  CHECK(Contains(uses[1].error, "no dot"));
  CHECK(!uses[2].ok());
  CHECK(!uses[3].ok());
  CHECK(Contains(uses[3].error, "filter before the weight"));
}

// DeleteWords() on the value of `name`, deleting the words at `targets`.
std::string Delete(const std::string& main_cf, const std::vector<std::string>& targets) {
  auto ctx = MakeConfig(main_cf);
  const Source& src = *ctx->main_file()->source;
  std::vector<ByteRange> words;
  for (const std::string& t : targets) {
    size_t at = main_cf.find(t);
    REQUIRE(at != std::string::npos);
    words.push_back({static_cast<uint32_t>(at), static_cast<uint32_t>(at + t.size())});
  }
  std::optional<dnsbl::ValueSpan> span = dnsbl::FindValueSpan(*ctx, Location{&src, words[0].begin, words[0].end});
  REQUIRE(span);
  std::optional<std::vector<Edit>> edits = dnsbl::DeleteWords(*span, words);
  if (!edits) return "<refused>";
  return ApplyEdits(src.text(), *edits);
}

TEST_CASE("DeleteWords: one separator goes with the words, the rest stays") {
  CHECK(Delete("a = x, yy, z\nb = 1\n", {"yy"}) == "a = x, z\nb = 1\n");
  CHECK(Delete("a = x, yy, zz\nb = 1\n", {"zz"}) == "a = x, yy\nb = 1\n");
  CHECK(Delete("a = xx, yy, z\n", {"xx"}) == "a = yy, z\n");
  CHECK(Delete("a = xx yy zz\n", {"xx", "yy"}) == "a = zz\n");
  CHECK(Delete("a = xx\nb = 1\n", {"xx"}) == "a =\nb = 1\n");
  // Whole continuation lines.
  const std::string lines = "a =\n    xx,\n    yy,\n    zz\nb = 1\n";
  CHECK(Delete(lines, {"yy"}) == "a =\n    xx,\n    zz\nb = 1\n");
  CHECK(Delete(lines, {"xx"}) == "a =\n    yy,\n    zz\nb = 1\n");
  CHECK(Delete(lines, {"zz"}) == "a =\n    xx,\n    yy\nb = 1\n");
  CHECK(Delete("a = xx,\n    yy\n", {"xx"}) == "a =\n    yy\n");
  CHECK(Delete("a =\n    xx\nb = 1\n", {"xx"}) == "a =\nb = 1\n");
  CHECK(Delete("a = k1 v1, k2 v2,\n    k3 v3\n", {"k2", "v2"}) == "a = k1 v1,\n    k3 v3\n");
  // Comment lines inside the value are kept.
  CHECK(Delete("a =\n    xx,\n# c\n    yy\n", {"yy"}) == "a =\n    xx,\n# c\n");
  CHECK(Delete("a =\n    xx,\n# c\n    yy,\n    zz\n", {"yy"}) == "a =\n    xx,\n# c\n    zz\n");
  CHECK(Delete("a = k1\n# c\n    v1, zz\n", {"k1", "v1"}) == "<refused>");
  // A run over a line break keeps the line structure.
  CHECK(Delete("a = aa, bb,\n    cc, dd\n", {"bb", "cc"}) == "a = aa,\n    dd\n");
  CHECK(Delete("a =\n    bb,\n    cc, dd\n", {"bb", "cc"}) == "a =\n    dd\n");
  CHECK(Delete("a = bb\n    cc dd\n", {"bb", "cc"}) == "a =\n    dd\n");
  // Two runs in one call.
  CHECK(Delete("a = aa, bb, cc, dd, ee\n", {"bb", "dd"}) == "a = aa, cc, ee\n");
}

TEST_CASE("DeleteWords: master.cf -o values") {
  const std::string master =
      "submission inet n - y - - smtpd\n"
      "  -o smtpd_client_restrictions=permit_sasl_authenticated,reject_rbl_client,zz.example,reject\n";
  auto ctx = MakeConfig("x = 1\n", master);
  const Source& src = *ctx->master_file()->source;
  auto at = [&](const std::string& w) {
    uint32_t b = static_cast<uint32_t>(master.find(w));
    return ByteRange{b, static_cast<uint32_t>(b + w.size())};
  };
  ByteRange kw = at("reject_rbl_client");
  std::optional<dnsbl::ValueSpan> span = dnsbl::FindValueSpan(*ctx, Location{&src, kw.begin, kw.end});
  REQUIRE(span);
  std::optional<std::vector<Edit>> edits = dnsbl::DeleteWords(*span, {kw, at("zz.example")});
  REQUIRE(edits);
  CHECK(ApplyEdits(src.text(), *edits) ==
        "submission inet n - y - - smtpd\n"
        "  -o smtpd_client_restrictions=permit_sasl_authenticated,reject\n");
}

}  // namespace
}  // namespace postvet
