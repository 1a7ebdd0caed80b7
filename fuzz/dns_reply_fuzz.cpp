// Fuzz target: the live probe's reading of DNS replies. The first byte
// picks the query type (bit 0: A or TXT), whether the reply counts as
// truncated-then-retried (bit 1, ignored but exercised via ReplyTruncated)
// and the c-ares status (bits 2-4: success, NXDOMAIN, NODATA, SERVFAIL,
// REFUSED, bad response, timeout, connection refused); the rest is the raw
// reply, decoded as CaresResolver does (ares_parse_a_reply /
// ares_parse_txt_reply_ext), classified against a catalogue zone with
// policy codes and an unknown zone, judged as every point of a zone and as
// one point among ordinary answers, and fed to the resolver check.
// Properties: no crash, leak or hang; only kAnswer carries data; a
// "listed" answer is 127/8 and no policy code; every verdict has a reason
// unless healthy; the resolver check gives a message or nothing.
#include <ares.h>

#include <array>
#include <random>

#include "fuzz/fuzz_util.hpp"
#include "src/facts/dnsbl/catalogue.hpp"
#include "src/probe/dns_reply.hpp"
#include "src/probe/probe.hpp"
#include "src/probe/resolver_check.hpp"

namespace {

using namespace postvet;
using namespace postvet::probe;

constexpr std::array<int, 8> kStatuses = {ARES_SUCCESS, ARES_ENOTFOUND, ARES_ENODATA, ARES_ESERVFAIL,
                                          ARES_EREFUSED, ARES_EBADRESP, ARES_ETIMEOUT, ARES_ECONNREFUSED};

void CheckOutcome(const DnsOutcome& o) {
  fuzz::Require(o.status == DnsStatus::kAnswer || (o.addresses.empty() && o.texts.empty()));
  fuzz::Require(o.addresses.size() <= static_cast<size_t>(kMaxAddresses));
}

ZoneReport ZoneOf(const std::string& zone, const DnsOutcome& outcome, bool all, const dnsbl::ZoneInfo* info) {
  ZoneReport r;
  r.target = {zone, ZoneKind::kIp, false};
  std::mt19937 rng(1);
  std::vector<TestPoint> points = TestPointsFor(r.target, 3, rng);
  for (size_t i = 0; i < points.size(); ++i) {
    DnsOutcome o;
    if (all || i == 1) {
      o = outcome;
    } else if (i == 0) {
      o.status = DnsStatus::kAnswer;
      o.addresses = {{127, 0, 0, 2}};
    } else {
      o.status = DnsStatus::kNxDomain;
    }
    o.elapsed_ms = 5;
    PointResult p{points[i], o, AnswerClass::kNoAnswer, {}};
    ClassifyAnswer(info, &p);
    if (p.answer == AnswerClass::kListed) {
      for (const auto& a : p.outcome.addresses) {
        fuzz::Require(a[0] == 127);
        fuzz::Require(info == nullptr || info->PolicyCodeFor(a) == nullptr);
      }
    }
    r.points.push_back(std::move(p));
  }
  Judge(&r, 200);
  fuzz::Require(r.verdict == Verdict::kHealthy || !r.reason.empty());
  fuzz::Require(!r.decisive || *r.decisive < r.points.size());
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const QueryType type = (data[0] & 1) != 0 ? QueryType::kTxt : QueryType::kA;
  const int status = kStatuses[(data[0] >> 2) & 7];
  const auto* reply = data + 1;
  const int length = static_cast<int>(std::min<size_t>(size - 1, 65535));
  (void)ReplyTruncated(length > 0 ? reply : nullptr, length);

  DnsOutcome outcome;
  DecodeReply(type, status, length > 0 ? reply : nullptr, length, &outcome);
  CheckOutcome(outcome);
  if (type == QueryType::kTxt) return 0;  // TXT only feeds messages

  const Result<dnsbl::Catalogue>& catalogue = dnsbl::BuiltinCatalogue();
  const dnsbl::ZoneInfo* zen = catalogue.ok() ? catalogue->Find("zen.spamhaus.org") : nullptr;
  ProbeResults results;
  for (bool all : {true, false}) {
    results.zones.push_back(ZoneOf("zen.spamhaus.org", outcome, all, zen));
    results.zones.push_back(ZoneOf("list.example", outcome, all, nullptr));
  }
  std::mt19937 rng(2);
  for (TestPoint& p : ControlPoints(rng)) {
    PointResult c{std::move(p), outcome, AnswerClass::kNoAnswer, {}};
    ClassifyAnswer(nullptr, &c);
    results.controls.push_back(std::move(c));
  }
  std::optional<std::string> failure = ResolverFailure(results, "127.0.0.1:53");
  fuzz::Require(!failure || !failure->empty());
  return 0;
}
