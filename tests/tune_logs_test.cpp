// Tests of the tuning advisor's log reading: syslog line parsing in both
// timestamp forms, peak computation, and evidence from the synthetic logs in
// testdata/logs/ (plain, gzip, postlog; the expected numbers are those the
// logs were built with, see testdata/logs/README.md), including bad input.
// The advice built on it is tune_limits_test.cpp.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <unistd.h>

#include "src/tune/log_evidence.hpp"
#include "tests/test_util.hpp"
#include "tests/tune_fixture.hpp"

namespace postvet {
namespace {

using namespace tune;
using tune_fixture::LogPath;
using tune_fixture::ReadLogs;

LogEvidence Analyze(const std::vector<std::string>& lines) {
  LogAnalyzer a;
  a.BeginFile();
  for (const std::string& l : lines) a.AddLine(l);
  return a.evidence();
}

// ---------------------------------------------------------------- lines

TEST_CASE("traditional syslog stamps, space- and zero-padded, with fractions") {
  auto a = ParseLogLine("Nov  5 10:00:01 mx1 postfix/smtpd[123]: connect from x[1.2.3.4]");
  REQUIRE(a);
  CHECK(a->form == StampForm::kTraditional);
  CHECK(a->stamp == "Nov  5 10:00:01");
  CHECK(a->host == "mx1");
  CHECK(a->tag == "postfix/smtpd");
  CHECK(a->program == "smtpd");
  CHECK(a->pid == 123);
  CHECK(a->message == "connect from x[1.2.3.4]");
  auto b = ParseLogLine("Nov 05 10:00:02.123456 mx1 postfix/submission/smtpd[9]: disconnect from x");
  REQUIRE(b);
  CHECK(b->program == "smtpd");
  CHECK(b->tag == "postfix/submission/smtpd");
  CHECK(b->time - a->time == 1);
  // Months and days count: Dec 31 is 364 days after Jan 1 (no leap year assumed).
  auto jan = ParseLogLine("Jan  1 00:00:00 h p[1]: x");
  auto dec = ParseLogLine("Dec 31 00:00:00 h p[1]: x");
  REQUIRE(jan);
  REQUIRE(dec);
  CHECK(dec->time - jan->time == 364 * 86400);
}

TEST_CASE("RFC 3339 stamps with offsets") {
  auto a = ParseLogLine("2000-01-01T00:00:00Z host postfix/master[1]: daemon started");
  REQUIRE(a);
  CHECK(a->form == StampForm::kRfc3339);
  CHECK(a->time == 946684800);  // the well-known epoch second of 2000-01-01
  auto b = ParseLogLine("2024-11-21T09:00:00.5+01:00 mx2 postfix/smtpd[7]: connect from y");
  auto c = ParseLogLine("2024-11-21T08:00:00Z mx2 postfix/smtpd[7]: connect from y");
  REQUIRE(b);
  REQUIRE(c);
  CHECK(b->time == c->time);
  auto d = ParseLogLine("2024-02-29T23:00:00-01:00 h p: no pid");
  REQUIRE(d);
  CHECK(d->pid == -1);
  CHECK(d->time == ParseLogLine("2024-03-01T00:00:00Z h p: x")->time);
}

TEST_CASE("lines that are not syslog are refused") {
  for (const char* bad : {"", "garbage", "Nov 20 10:00:01", "Nov 20 10:00:01 host", "Foo 20 10:00:01 h p[1]: x",
                          "Nov 32 10:00:01 h p[1]: x", "Nov 20 25:00:01 h p[1]: x", "2024-13-01T00:00:00Z h p: x",
                          "2024-11-01T00:00:00 h p: x", "Nov 20 10:00:01 h p[]: x", "Nov 20 10:00:01 h p[12 x"}) {
    INFO(bad);
    CHECK_FALSE(ParseLogLine(bad));
  }
}

TEST_CASE("zones of DNS list queries") {
  CHECK(ZoneOfQuery("2.0.0.127.zen.spamhaus.org") == "zen.spamhaus.org");
  CHECK(ZoneOfQuery("2.0.0.127.zen.spamhaus.org.") == "zen.spamhaus.org");
  std::string v6;
  for (int i = 0; i < 32; ++i) v6 += "a.";
  CHECK(ZoneOfQuery(v6 + "dnsbl.example") == "dnsbl.example");
  CHECK(ZoneOfQuery("spam.example.com.dbl.example") == "spam.example.com.dbl.example");
  CHECK(ZoneOfQuery("dnsbl.sorbs.net") == "dnsbl.sorbs.net");
}

// ---------------------------------------------------------------- peaks

TEST_CASE("peak concurrent sessions per tag and host") {
  LogEvidence ev = Analyze({
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
      "Nov 20 10:00:02 mx1 postfix/smtpd[1]: disconnect from a[192.0.2.1]",
      "Nov 20 10:00:03 mx1 postfix/smtpd[3]: connect from c[192.0.2.3]",
      "Nov 20 10:00:04 mx1 postfix/smtpd[4]: connect from d[192.0.2.4]",  // 2,3,4 open: peak 3
      "Nov 20 10:00:05 mx1 postfix/smtpd[4]: connect from e[192.0.2.5]",  // same pid again: still 3
      "Nov 20 10:00:06 mx2 postfix/smtpd[1]: connect from f[192.0.2.6]",  // another host: its own count
      "Nov 20 10:00:07 mx1 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtpd pid 2 exit status 1",
      "Nov 20 10:00:08 mx1 postfix/smtpd[5]: connect from g[192.0.2.7]",  // 3,4,5: 3 again
      "Nov 20 10:00:09 mx1 postfix/submission/smtpd[6]: connect from h[192.0.2.8]",
  });
  REQUIRE(ev.sessions.count("postfix/smtpd") == 1);
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 3);
  CHECK(s.peak_stamp == "Nov 20 10:00:04");
  CHECK(s.peak_host == "mx1");
  CHECK(s.connections == 7);
  CHECK(ev.sessions.at("postfix/submission/smtpd").peak == 1);
  CHECK(ev.SpanSeconds() == 9);
}

TEST_CASE("a master exit ends only that daemon's session on that host") {
  LogEvidence ev = Analyze({
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtp pid 1 exit status 1",
      "Nov 20 10:00:02 mx2 postfix/master[9]: warning: process /usr/lib/postfix/sbin/smtpd pid 1 exit status 1",
      "Nov 20 10:00:03 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
  });
  CHECK(ev.sessions.at("postfix/smtpd").peak == 2);
}

// An RBL lookup error is logged by the smtpd process of an open session:
// it neither closes that session nor counts as one (UBSan found the null
// SessionStats it once bound a reference to).
TEST_CASE("an RBL lookup error line leaves the session open") {
  LogEvidence ev = Analyze({
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/smtpd[1]: warning: 1.2.0.192.zen.example: RBL lookup error: Host not found",
      "Nov 20 10:00:02 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
  });
  CHECK(ev.sessions.at("postfix/smtpd").peak == 2);
  CHECK(ev.sessions.at("postfix/smtpd").connections == 2);
  CHECK(ev.dnsbl_error_total == 1);
}

// ---------------------------------------------------------------- files

TEST_CASE("mx-traditional.log: postscreen in front of smtpd pass") {
  LogEvidence ev = ReadLogs({"mx-traditional.log"});
  CHECK(ev.files == 1);
  CHECK(ev.traditional_stamps);
  CHECK_FALSE(ev.rfc3339_stamps);
  CHECK(ev.syslog_lines + 1 == ev.lines);  // one line is not syslog
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 30);
  CHECK(s.connections == 50);
  CHECK(s.lost_after_connect == 12);
  CHECK(ev.sessions.at("postfix/submission/smtpd").peak == 3);
  REQUIRE(ev.limit_hits.count("smtpd") == 1);
  CHECK(ev.limit_hits.at("smtpd").limit == 30);
  CHECK(ev.limit_hits.at("smtpd").count == 1);
  CHECK(ev.limit_hits.at("smtpd").endpoint == "private/smtpd");
  CHECK(ev.server_ports_busy == 5);
  CHECK(ev.screening_ports_busy == 0);
  CHECK(ev.postscreen_connections == 35);
  CHECK(ev.stress_entered == 1);
  CHECK(ev.stress_left == 1);
  CHECK(ev.stress_max_connections == 90);
  CHECK(ev.dnsbl_error_total == 6);
  CHECK(ev.dnsbl_errors.at("dnsbl.sorbs.net") == 5);
  CHECK(ev.dnsbl_errors.at("zen.spamhaus.org") == 1);
  CHECK(ev.first_stamp == "Nov 20 09:59:55");
  CHECK(ev.last_stamp == "Nov 20 14:00:00");
  CHECK(ev.SpanSeconds() == 4 * 3600 + 5);
}

TEST_CASE("mx-rfc3339.log: smtpd directly on port 25") {
  LogEvidence ev = ReadLogs({"mx-rfc3339.log"});
  CHECK(ev.rfc3339_stamps);
  CHECK_FALSE(ev.traditional_stamps);
  CHECK(ev.syslog_lines == ev.lines);
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.peak == 100);
  CHECK(s.connections == 200);
  CHECK(s.lost_after_connect == 40);
  CHECK(ev.limit_hits.at("smtp").count == 2);
  CHECK(ev.limit_hits.at("smtp").limit == 100);
  CHECK(ev.limit_hits.at("smtp").endpoint == "25");
  CHECK(ev.SpanSeconds() == 3600);
}

TEST_CASE("gzip log across the turn of the year") {
  LogEvidence ev = ReadLogs({"mx-rotated.log.1.gz"});
  CHECK(ev.lines == 14);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 7);
  CHECK(ev.first_stamp == "Dec 31 23:59:50");
  CHECK(ev.last_stamp == "Jan  1 00:00:11");
  CHECK(ev.SpanSeconds() == 21);
}

TEST_CASE("postlogd maillog_file with zero-padded days") {
  LogEvidence ev = ReadLogs({"postlog.log"});
  CHECK(ev.syslog_lines == ev.lines);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 4);
  CHECK(ev.sessions.at("postfix/smtpd").lost_after_connect == 1);
}

TEST_CASE("several files add up; peaks stay per file order") {
  LogEvidence ev = ReadLogs({"mx-rotated.log.1.gz", "postlog.log", "mx-traditional.log"});
  CHECK(ev.files == 3);
  CHECK(ev.sessions.at("postfix/smtpd").peak == 30);
  CHECK(ev.sessions.at("postfix/smtpd").connections == 7 + 4 + 50);
}

TEST_CASE("unreadable and corrupt logs are errors") {
  LogAnalyzer a;
  CHECK_FALSE(ReadLogFile(LogPath("no-such.log"), &a).ok());
  // A gzip file cut in the middle.
  std::ifstream in(LogPath("mx-rotated.log.1.gz"), std::ios::binary);
  std::string gz((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(gz.size() > 40);
  char tmpl[] = "/tmp/postvet-tune-XXXXXX";
  int fd = mkstemp(tmpl);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, gz.data(), gz.size() / 2) == static_cast<ssize_t>(gz.size() / 2));
  close(fd);
  Status st = ReadLogFile(tmpl, &a);
  unlink(tmpl);
  CHECK_FALSE(st.ok());
}

TEST_CASE("random bytes and mangled Postfix lines never crash the analyzer") {
  std::mt19937 rng(12345);
  std::vector<std::string> seeds = {
      "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
      "Nov 20 10:00:01 mx1 postfix/master[9]: warning: service \"smtp\" (25) has reached its process limit \"100\": x",
      "Nov 20 10:00:02 mx1 postfix/master[9]: warning: process /x/smtpd pid 1 exit status 1",
      "2024-11-21T09:00:00Z mx2 postfix/postscreen[5]: entering STRESS mode with 90 connections",
      "2024-11-21T09:00:00Z mx2 postfix/dnsblog[5]: warning: dnsblog_query: lookup error for DNS query 1.2.3.4.z.example: x",
      "Nov 20 10:00:03 mx1 postfix/smtpd[1]: warning: 1.2.3.4.zen.example: RBL lookup error: x",
  };
  LogAnalyzer a;
  a.BeginFile();
  size_t fed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string line = seeds[rng() % seeds.size()];
    // Cut, flip or splice bytes.
    switch (rng() % 4) {
      case 0: line = line.substr(0, rng() % (line.size() + 1)); break;
      case 1: line[rng() % line.size()] = static_cast<char>(rng() % 256); break;
      case 2: line.insert(rng() % line.size(), std::string(rng() % 8, static_cast<char>(rng() % 256))); break;
      default: break;
    }
    a.AddLine(line);
    ++fed;
  }
  CHECK(a.evidence().lines == fed);
  CHECK(a.evidence().syslog_lines <= fed);
}

TEST_CASE("overlong lines are cut, not kept whole") {
  LogAnalyzer a;
  a.BeginFile();
  std::string line = "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from " + std::string(kMaxLineBytes * 2, 'a');
  a.AddLine(line);
  CHECK(a.evidence().sessions.at("postfix/smtpd").peak == 1);
}

}  // namespace
}  // namespace postvet
