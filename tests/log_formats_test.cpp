// The log forms `postvet tune` reads (issue 21): the same small traffic
// (testdata/logs/gen-logs.py, small_traffic(): 4 sessions at once, 1 lost
// after CONNECT, 13 s from 2024-11-20 08:00:00 UTC) written as journalctl
// short-iso, short-precise, json and export, and RFC 5424, must give the
// same evidence; a file in no known form is an error naming its first line.
#include <catch2/catch.hpp>

#include <string>

#include "src/tune/journal_record.hpp"
#include "src/tune/log_evidence.hpp"
#include "tests/test_util.hpp"

namespace postvet::tune {
namespace {

std::string LogPath(const std::string& name) { return testing::SourceDir() + "/testdata/logs/" + name; }

TEST_CASE("every log form gives the same evidence") {
  auto name = GENERATE(as<std::string>{}, "journal-short-iso.log", "journal-short-precise.log", "rfc5424.log",
                       "journal.json", "journal.export");
  INFO(name);
  LogAnalyzer a;
  Status st = ReadLogFile(LogPath(name), &a);
  INFO(st.message());
  REQUIRE(st.ok());
  const LogEvidence& ev = a.evidence();
  REQUIRE(ev.sessions.count("postfix/smtpd") == 1);
  const SessionStats& s = ev.sessions.at("postfix/smtpd");
  CHECK(s.connections == 4);
  CHECK(s.peak == 4);
  CHECK(s.lost_after_connect == 1);
  CHECK(ev.SpanSeconds() == 13);
  CHECK(s.peak_host == "mx1");
  if (name.find("journal.") == 0) {
    CHECK(ev.journal_records);
    CHECK(ev.first_stamp == "2024-11-20T08:00:00Z");
    CHECK(ev.syslog_lines == 10);  // the kernel entry's binary MESSAGE is not read
  }
}

TEST_CASE("short-iso offsets without a colon are read as offsets") {
  std::optional<LogLine> a = ParseLogLine("2024-11-20T09:00:00+0100 mx postfix/smtpd[1]: x");
  std::optional<LogLine> b = ParseLogLine("2024-11-20T08:00:00Z mx postfix/smtpd[1]: x");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->time == b->time);
  CHECK(a->pid == 1);
  CHECK(a->message == "x");
}

TEST_CASE("every month name of a traditional stamp, in order") {
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int64_t last = -1;
  for (const char* m : months) {
    std::optional<LogLine> l = ParseLogLine(std::string(m) + " 15 10:00:00 mx postfix/smtpd[1]: x");
    REQUIRE(l);
    CHECK(l->time > last);
    last = l->time;
  }
  CHECK_FALSE(ParseLogLine("Jum 15 10:00:00 mx postfix/smtpd[1]: x"));
  CHECK_FALSE(ParseLogLine("Mzy 15 10:00:00 mx postfix/smtpd[1]: x"));
}

TEST_CASE("RFC 5424 lines without a pid or with structured data") {
  std::optional<LogLine> l = ParseLogLine("<22>1 2024-11-20T08:00:00Z mx postfix/smtpd - - [a b=\"]\\\"\"][c] hello");
  REQUIRE(l);
  CHECK(l->pid == -1);
  CHECK(l->program == "smtpd");
  CHECK(l->message == "hello");
  CHECK_FALSE(ParseLogLine("<22>2 2024-11-20T08:00:00Z mx postfix/smtpd - - - hello"));
  CHECK_FALSE(ParseLogLine("<x>1 2024-11-20T08:00:00Z mx postfix/smtpd - - - hello"));
}

TEST_CASE("journal JSON: escapes, bare numbers, garbage") {
  JournalRecord r;
  REQUIRE(ParseJournalJson(R"({"__REALTIME_TIMESTAMP":1732089600000000,"SYSLOG_IDENTIFIER":"postfix\/smtpd",)"
                           R"("_PID":"7","MESSAGE":"a\"b\u00e9\ud83d\ude00"})",
                           &r));
  std::optional<LogLine> l = r.View();
  REQUIRE(l);
  CHECK(l->tag == "postfix/smtpd");
  CHECK(l->pid == 7);
  CHECK(l->message == "a\"b\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(l->stamp == "2024-11-20T08:00:00Z");
  // journald writes a value that is not printable UTF-8 as its bytes.
  REQUIRE(ParseJournalJson(R"({"__REALTIME_TIMESTAMP":"1732089600000000","SYSLOG_IDENTIFIER":"postfix/smtpd",)"
                           R"("MESSAGE":[ 99,111,110,110,101,99,116,32,102,114,111,109,32,255 ],"_PID":[49,50]})",
                           &r));
  l = r.View();
  REQUIRE(l);
  CHECK(l->message == "connect from \xFF");
  CHECK(l->pid == 12);
  // Not bytes: a number above 255, or an array of strings (a repeated
  // field); the entry is read without that field.
  REQUIRE(ParseJournalJson(R"({"__REALTIME_TIMESTAMP":"1","SYSLOG_IDENTIFIER":"x","MESSAGE":[256]})", &r));
  CHECK_FALSE(r.View());
  REQUIRE(ParseJournalJson(R"({"__REALTIME_TIMESTAMP":"1","SYSLOG_IDENTIFIER":"x","MESSAGE":["a","b"]})", &r));
  CHECK_FALSE(r.View());
  CHECK_FALSE(ParseJournalJson(R"({"MESSAGE":"no time"})", &r));
  CHECK_FALSE(ParseJournalJson(R"({"__REALTIME_TIMESTAMP":"1", "MESSAGE":"unterminated)", &r));
  CHECK_FALSE(ParseJournalJson("{", &r));
  CHECK(UtcStamp(0) == "1970-01-01T00:00:00Z");
  CHECK(UtcStamp(951782400) == "2000-02-29T00:00:00Z");
}

TEST_CASE("a file in no known form is an error naming its first line") {
  LogAnalyzer a;
  Status st = ReadLogFile(LogPath("unknown-format.log"), &a);
  INFO(st.message());
  REQUIRE_FALSE(st.ok());
  CHECK(st.message().find("unknown-format.log:1: not a mail log in a known form") != std::string::npos);
  CHECK(st.message().find("2024/11/20 08:00:00 mx1 smtpd: connect from") != std::string::npos);
}

TEST_CASE("an empty file, or one with a known line among others, is not an error") {
  LogAnalyzer a;
  a.BeginFile();
  CHECK(a.EndFile("x").ok());
  a.BeginFile();
  a.AddLine("garbage first");
  a.AddLine("Nov 20 10:00:01 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]");
  CHECK(a.EndFile("x").ok());
}

}  // namespace
}  // namespace postvet::tune

namespace postvet::tune {
namespace {

// The tag scan reads 16 bytes at once where it can: tags of every length,
// with '/' anywhere, must split as a byte-by-byte reading does.
TEST_CASE("tags of every length and shape split into tag and program") {
  for (size_t len = 1; len < 40; ++len) {
    for (size_t slash : {size_t{0}, size_t{3}, size_t{8}, size_t{15}, size_t{16}, size_t{20}}) {
      std::string tag(len, 'a');
      for (size_t i = 0; i < len; ++i) tag[i] = static_cast<char>('a' + i % 26);
      if (slash < len) tag[slash] = '/';
      if (len > 10) tag.replace(0, 8, "postfix/");
      for (std::string end : {"[12]: m", ": m"}) {
        std::string text = "Nov 20 10:00:00 mx1 " + tag + end;
        INFO(text);
        std::optional<LogLine> l = ParseLogLine(text);
        REQUIRE(l);
        CHECK(l->tag == tag);
        size_t last = tag.rfind('/');
        CHECK(l->program == (last == std::string::npos ? tag : tag.substr(last + 1)));
        CHECK(l->message == "m");
      }
    }
  }
}

}  // namespace
}  // namespace postvet::tune
