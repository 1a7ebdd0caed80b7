// Several logs at once (issue 21): ReadLogFiles() merges them by time, so
// the sessions of one host logged in two files pair up as they happened
// (reading one file after the other does not), sessions of different hosts
// never pair, a rotated set is still one stream read oldest first, and the
// year of traditional stamps is kept per stream.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "src/tune/log_evidence.hpp"
#include "tests/log_files_fixture.hpp"

namespace postvet::tune {
namespace {

using log_files::ScratchDir;

LogEvidence Merged(const std::vector<std::string>& paths) {
  LogAnalyzer a;
  Status st = ReadLogFiles(paths, &a);
  INFO(st.message());
  REQUIRE(st.ok());
  return a.evidence();
}

// One file after the other, as reading them without the merge would.
LogEvidence Concatenated(const std::vector<std::string>& paths) {
  LogAnalyzer a;
  for (const std::string& p : paths) REQUIRE(ReadLogFile(p, &a).ok());
  return a.evidence();
}

// mx1's smtpd sessions, half in each file (say the log of a syslog relay
// and the host's own): 1 and 2 open from :00 and :01 to :10, 3 and 4 from
// :05 to :06, so 4 are open at once.
const std::vector<std::string> kFirst = {
    "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
    "Nov 20 10:00:01 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
    "Nov 20 10:00:10 mx1 postfix/smtpd[1]: disconnect from a[192.0.2.1]",
    "Nov 20 10:00:11 mx1 postfix/smtpd[2]: disconnect from b[192.0.2.2]",
};
const std::vector<std::string> kSecond = {
    "Nov 20 10:00:05 mx1 postfix/smtpd[3]: connect from c[192.0.2.3]",
    "Nov 20 10:00:05.500 mx1 postfix/smtpd[4]: connect from d[192.0.2.4]",
    "Nov 20 10:00:06 mx1 postfix/smtpd[3]: disconnect from c[192.0.2.3]",
    "Nov 20 10:00:06 mx1 postfix/smtpd[4]: disconnect from d[192.0.2.4]",
};

TEST_CASE("two logs of one host interleaved in time: the merge pairs their sessions") {
  ScratchDir dir;
  std::string a = dir.Write("relay.log", ScratchDir::Lines(kFirst));
  std::string b = dir.Write("mail.log", ScratchDir::Lines(kSecond));
  LogEvidence merged = Merged({a, b});
  const SessionStats& s = merged.sessions.at("postfix/smtpd");
  CHECK(s.peak == 4);
  CHECK(s.peak_stamp == "Nov 20 10:00:05.500");
  CHECK(s.connections == 4);
  CHECK(merged.files == 2);
  CHECK(merged.lines == 8);
  CHECK(merged.first_stamp == "Nov 20 10:00:00");
  CHECK(merged.last_stamp == "Nov 20 10:00:11");
  // One after the other, the sessions of the two files never overlap.
  CHECK(Concatenated({a, b}).sessions.at("postfix/smtpd").peak == 2);
  // The order they are given in does not matter.
  CHECK(Merged({b, a}).sessions.at("postfix/smtpd").peak == 4);
}

TEST_CASE("two hosts' logs: sessions of different hosts never pair; the peak is the earliest") {
  ScratchDir dir;
  std::vector<std::string> mx2 = kSecond;
  for (std::string& l : mx2) l.replace(l.find(" mx1 "), 5, " mx2 ");
  std::vector<std::string> late = {
      "Nov 20 11:00:00 mx2 postfix/smtpd[7]: connect from e[192.0.2.5]",
      "Nov 20 11:00:01 mx2 postfix/smtpd[8]: connect from f[192.0.2.6]",
  };
  mx2.insert(mx2.end(), late.begin(), late.end());
  std::string a = dir.Write("mx2.log", ScratchDir::Lines(mx2));
  std::string b = dir.Write("mx1.log", ScratchDir::Lines(kFirst));
  const SessionStats s = Merged({a, b}).sessions.at("postfix/smtpd");
  CHECK(s.peak == 2);
  // mx1 reached 2 at 10:00:01, before mx2 did (10:00:05.500): in time
  // order it is first, although its file was given second.
  CHECK(s.peak_host == "mx1");
  CHECK(s.peak_stamp == "Nov 20 10:00:01");
  const SessionStats c = Concatenated({a, b}).sessions.at("postfix/smtpd");
  CHECK(c.peak == 2);
  CHECK(c.peak_host == "mx2");
}

TEST_CASE("several hosts in one stream, and a master exit in another file") {
  ScratchDir dir;
  std::string a = dir.Write("all.log", ScratchDir::Lines({
                                           "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]",
                                           "Nov 20 10:00:01 mx2 postfix/smtpd[1]: connect from a[192.0.2.1]",
                                           "Nov 20 10:00:03 mx1 postfix/smtpd[2]: connect from b[192.0.2.2]",
                                       }));
  // The master's warning (in a warnings-only file) ends mx1's pid 1 at :02.
  std::string b = dir.Write("mail.warn", ScratchDir::Lines({
                                             "Nov 20 10:00:02 mx1 postfix/master[9]: warning: process "
                                             "/usr/lib/postfix/sbin/smtpd pid 1 killed by signal 9",
                                         }));
  CHECK(Merged({a, b}).sessions.at("postfix/smtpd").peak == 1);
  CHECK(Concatenated({a, b}).sessions.at("postfix/smtpd").peak == 2);
}

TEST_CASE("rotated sets stay one stream each, oldest first, each with its own year") {
  ScratchDir dir;
  // Two hosts' rotated sets across the turn of the year.
  for (std::string host : {"mx1", "mx2"}) {
    dir.Write(host + ".log.1", ScratchDir::Lines({
                                   "Dec 31 23:59:50 " + host + " postfix/smtpd[1]: connect from a[192.0.2.1]",
                               }));
    dir.Write(host + ".log", ScratchDir::Lines({
                                 "Jan  1 00:00:10 " + host + " postfix/smtpd[2]: connect from b[192.0.2.2]",
                             }));
  }
  const std::string& d = dir.path();
  LogEvidence ev = Merged({d + "/mx1.log", d + "/mx2.log", d + "/mx1.log.1", d + "/mx2.log.1"});
  CHECK(ev.files == 4);
  CHECK(ev.SpanSeconds() == 20);
  CHECK(ev.first_stamp == "Dec 31 23:59:50");
  CHECK(ev.last_stamp == "Jan  1 00:00:10");
  CHECK(ev.sessions.at("postfix/smtpd").peak == 2);
  CHECK(GroupLogFiles({"b.log", "a.log.1", "b.log.2.gz", "a.log"}) ==
        std::vector<std::vector<std::string>>{{"b.log.2.gz", "b.log"}, {"a.log.1", "a.log"}});
}

TEST_CASE("an error in one of several logs names that file") {
  ScratchDir dir;
  std::string a = dir.Write("good.log", ScratchDir::Lines(kFirst));
  std::string b = dir.Write("bad.log", "2024/11/20 08:00:00 mx1 smtpd: connect from x\n");
  LogAnalyzer an;
  Status st = ReadLogFiles({a, b}, &an);
  REQUIRE_FALSE(st.ok());
  CHECK(st.message().find("bad.log:1: not a mail log in a known form") != std::string::npos);
  LogAnalyzer missing;
  st = ReadLogFiles({a, dir.Write("y", "") + ".absent"}, &missing);
  REQUIRE_FALSE(st.ok());
  CHECK(st.message().find("y.absent") != std::string::npos);
}

}  // namespace
}  // namespace postvet::tune
