// journalctl -o export's binary fields (issue 21): a field whose value has
// control characters is written as its name alone on a line, a 64-bit
// little-endian length, the raw bytes and a newline. ReadLogFile() reads
// them (a MESSAGE with a newline in it included); a length larger than
// journald writes, data cut short or no newline after it is an error naming
// the file, never a crash or a huge allocation.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "src/tune/log_evidence.hpp"
#include "tests/log_files_fixture.hpp"

namespace postvet::tune {
namespace {

using log_files::ScratchDir;

std::string Binary(const std::string& name, const std::string& value, uint64_t size) {
  std::string out = name + "\n";
  for (int i = 0; i < 8; ++i) out += static_cast<char>((size >> (8 * i)) & 0xff);
  return out + value + "\n";
}

std::string Binary(const std::string& name, const std::string& value) { return Binary(name, value, value.size()); }

// One smtpd entry at 2024-11-20T08:00:0N, `message` and `host` as given,
// and the blank line that ends it.
std::string Entry(int sec, int pid, const std::string& message, const std::string& host = "_HOSTNAME=mx1\n") {
  return "__CURSOR=s=1;i=" + std::to_string(sec) + "\n__REALTIME_TIMESTAMP=" + std::to_string(1732089600 + sec) +
         "000000\n" + host + "SYSLOG_IDENTIFIER=postfix/smtpd\nSYSLOG_PID=" + std::to_string(pid) + "\n" + message +
         (message.back() == '\n' ? "\n" : "\n\n");
}

struct Read {
  Status status;
  LogEvidence evidence;
};

Read ReadText(const ScratchDir& dir, const std::string& text) {
  LogAnalyzer a;
  Read r;
  r.status = ReadLogFile(dir.Write("journal.export", text), &a);
  r.evidence = a.evidence();
  return r;
}

TEST_CASE("binary export fields are read, newlines and control characters included") {
  ScratchDir dir;
  std::string text = Entry(0, 1, Binary("MESSAGE", "connect from a[192.0.2.1]\n\x01\x02 more\r")) +
                     Entry(1, 2, Binary("MESSAGE", "connect from b[192.0.2.2]\t"), Binary("_HOSTNAME", "mx1")) +
                     Entry(2, 3, "MESSAGE=connect from c[192.0.2.3]") +
                     // A value past kMaxLineBytes: kept cut, the entry still read.
                     Entry(3, 4, Binary("MESSAGE", "lost connection after CONNECT from d[192.0.2.4]" +
                                                       std::string(kMaxLineBytes * 2, '\x01'))) +
                     Entry(4, 5, Binary("MESSAGE", ""));
  Read r = ReadText(dir, text);
  INFO(r.status.message());
  REQUIRE(r.status.ok());
  const SessionStats& s = r.evidence.sessions.at("postfix/smtpd");
  CHECK(s.connections == 3);
  CHECK(s.peak == 3);
  CHECK(s.peak_host == "mx1");
  CHECK(s.lost_after_connect == 1);
  CHECK(r.evidence.syslog_lines == 5);
  CHECK(r.evidence.SpanSeconds() == 4);
}

TEST_CASE("hostile binary export fields are errors naming the file") {
  ScratchDir dir;
  std::string good = Entry(0, 1, "MESSAGE=connect from a[192.0.2.1]");
  struct Case {
    std::string text;
    std::string error;
  };
  const Case cases[] = {
      {good + Entry(1, 2, Binary("MESSAGE", "x", uint64_t{1} << 63)), "larger than journald writes"},
      {good + Entry(1, 2, Binary("MESSAGE", "x", ~uint64_t{0})), "larger than journald writes"},
      {good + Entry(1, 2, Binary("MESSAGE", "short", 1000)), "cut short"},
      {good + "__CURSOR=s\n__REALTIME_TIMESTAMP=1\nMESSAGE\n\x05\x00\x00", "cut short"},
      {good + Entry(1, 2, Binary("MESSAGE", "abcdef", 3)), "no newline after its 3 bytes"},
  };
  for (const Case& c : cases) {
    INFO(c.error);
    Read r = ReadText(dir, c.text);
    REQUIRE_FALSE(r.status.ok());
    CHECK(r.status.message().find("journal.export: journal export field MESSAGE") != std::string::npos);
    CHECK(r.status.message().find(c.error) != std::string::npos);
  }
}

}  // namespace
}  // namespace postvet::tune
