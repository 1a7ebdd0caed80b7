// DNS list effect from log lines (issue 21): dnsblog listings, smtpd and
// postscreen rejects "blocked using", postscreen DNSBL ranks, the overlap
// of lists per client, the verdicts of JudgeDnsbls(), and the order of a
// rotated set of log files.
#include <catch2/catch.hpp>

#include <string>

#include "src/tune/dnsbl_effect.hpp"
#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

constexpr const char* kListed = "Nov 20 10:00:00 mx postfix/dnsblog[5]: addr ";

void Listed(LogAnalyzer* a, const std::string& ip, const std::string& zone) {
  a->AddLine(kListed + ip + " listed by domain " + zone + " as 127.0.0.2");
}

TEST_CASE("rejects and listings are counted per list, overlaps per client") {
  LogAnalyzer a;
  a.BeginFile();
  Listed(&a, "192.0.2.1", "a.example");
  Listed(&a, "192.0.2.1", "b.example.");  // final dot: the same zone
  Listed(&a, "192.0.2.2", "a.example");
  Listed(&a, "192.0.2.2", "a.example");  // the same client twice: one client
  a.AddLine("Nov 20 10:00:01 mx postfix/smtpd[7]: NOQUEUE: reject: RCPT from unknown[192.0.2.3]: 554 5.7.1 Service "
            "unavailable; Client host [192.0.2.3] blocked using c.example; from=<a@b> to=<c@d> proto=ESMTP helo=<x>");
  a.AddLine("Nov 20 10:00:02 mx postfix/postscreen[8]: DNSBL rank 4 for [192.0.2.1]:5000");
  a.AddLine("Nov 20 10:00:02 mx postfix/postscreen[8]: NOQUEUE: reject: RCPT from [192.0.2.1]:5000: 550 5.7.1 "
            "Service unavailable; client [192.0.2.1] blocked using a.example; from=<a@b>, to=<c@d>, proto=ESMTP");
  // Not rejects: a smtpd line that only mentions the words, a warn_if_reject.
  a.AddLine("Nov 20 10:00:03 mx postfix/smtpd[7]: ABC: client=x[192.0.2.9] blocked using nothing");
  const LogEvidence& ev = a.evidence();
  REQUIRE(ev.dnsbl_effect.size() == 3);
  const DnsblEffect& A = ev.dnsbl_effect.at("a.example");
  const DnsblEffect& B = ev.dnsbl_effect.at("b.example");
  const DnsblEffect& C = ev.dnsbl_effect.at("c.example");
  CHECK(A.listed == 3);
  CHECK(A.rejects == 1);
  CHECK(A.caught == 2);
  CHECK(A.only_this == 1);
  CHECK(A.also_caught_by_other == 1);
  CHECK(B.caught == 1);
  CHECK(B.only_this == 0);
  CHECK(C.caught == 1);
  CHECK(C.rejects == 1);
  CHECK(ev.smtpd_dnsbl_rejects == 1);
  CHECK(ev.postscreen_dnsbl_rejects == 1);
  CHECK(ev.postscreen_dnsbl_ranks == 1);
}

TEST_CASE("verdicts: effective, redundant, caught nothing only over a day") {
  LogAnalyzer a;
  a.BeginFile();
  a.AddLine("Nov 19 09:00:00 mx postfix/master[1]: daemon started");
  Listed(&a, "192.0.2.1", "a.example");
  Listed(&a, "192.0.2.1", "b.example");
  Listed(&a, "192.0.2.2", "a.example");
  std::vector<DnsblListReport> lists = JudgeDnsbls(a.evidence(), {"a.example", "B.Example", "c.example"});
  REQUIRE(lists.size() == 3);
  CHECK(lists[0].verdict == DnsblVerdict::kEffective);
  CHECK(lists[1].verdict == DnsblVerdict::kRedundant);
  CHECK(lists[1].zone == "B.Example");  // configured spelling, log counts
  CHECK(lists[1].effect.caught == 1);
  CHECK(lists[2].verdict == DnsblVerdict::kCaughtNothing);
  // Under a day: a list that caught nothing is not judged.
  LogAnalyzer s;
  s.BeginFile();
  Listed(&s, "192.0.2.1", "a.example");
  std::vector<DnsblListReport> short_log = JudgeDnsbls(s.evidence(), {"a.example", "c.example"});
  CHECK(short_log[1].verdict == DnsblVerdict::kNotJudged);
  CHECK(short_log[1].reason == "the log covers less than 24 h");
}

TEST_CASE("the overlap keeps a bounded number of clients") {
  LogAnalyzer a;
  a.BeginFile();
  for (size_t i = 0; i < kMaxDnsblClients + 3; ++i) Listed(&a, "c" + std::to_string(i), "a.example");
  const LogEvidence& ev = a.evidence();
  CHECK(ev.dnsbl_effect.at("a.example").listed == kMaxDnsblClients + 3);
  CHECK(ev.dnsbl_effect.at("a.example").caught == kMaxDnsblClients);
  CHECK(ev.truncated);
}

TEST_CASE("a rotated set is read oldest first, whatever order it is given in") {
  CHECK(OrderLogFiles({"mail.log", "mail.log.2.gz", "mail.log.1"}) ==
        std::vector<std::string>{"mail.log.2.gz", "mail.log.1", "mail.log"});
  CHECK(OrderLogFiles({"b.log.1", "a.log", "b.log", "a.log.10.xz", "-"}) ==
        std::vector<std::string>{"b.log.1", "b.log", "a.log.10.xz", "a.log", "-"});
}

}  // namespace
}  // namespace postvet::tune
