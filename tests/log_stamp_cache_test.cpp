// ParseLogLine() with a StampCache (the stamp, and the start of the line up
// to its host, of the line before) must split every line exactly as it does
// without one: the cache only saves work. Checked over lines that share
// their start with the line before, or share only the stamp, or look like it
// and differ in one byte (in the stamp, host, tag or pid), and over lines
// whose stamp parses and whose host does not (the cache must not keep the
// start of the line before them).
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

void CheckSame(const std::vector<std::string>& lines) {
  StampCache cache;
  size_t parsed = 0;
  for (const std::string& text : lines) {
    INFO(text);
    LogLine cached;
    LogLine fresh;
    bool a = ParseLogLine(text, &cached, &cache);
    bool b = ParseLogLine(text, &fresh, nullptr);
    REQUIRE(a == b);
    if (!a) continue;
    ++parsed;
    CHECK(cached.form == fresh.form);
    CHECK(cached.time == fresh.time);
    CHECK(cached.micros == fresh.micros);
    CHECK(cached.stamp == fresh.stamp);
    CHECK(cached.host == fresh.host);
    CHECK(cached.tag == fresh.tag);
    CHECK(cached.program == fresh.program);
    CHECK(cached.pid == fresh.pid);
    CHECK(cached.message == fresh.message);
  }
  CHECK(parsed > 0);
}

TEST_CASE("the stamp cache gives the same split as none: hand-made lines") {
  CheckSame({
      "Nov 20 10:00:07 mx1 postfix/smtpd[16]: connect from h",
      "Nov 20 10:00:07 mx1 postfix/smtpd[17]: disconnect from h",
      "Nov 20 10:00:07 mx2 postfix/smtpd[17]: connect from h",
      "Nov 20 10:00:09  postfix/smtpd[17]: connect from i",  // new stamp, no host
      "Nov 20 10:00:07 mx2 postfix/smtpd[18]: connect from j",  // the start before it
      "Nov 20 10:00:07 mx2",
      "Nov 20 10:00:07 mx2 ",
      "Nov 20 10:00:07 mx2 p",
      "Nov 20 10:00:07 mx2 postfix/smtpd[18]: x",
      "Nov 20 10:00:07 mx22 postfix/smtpd[18]: x",
      "Nov 20 10:00:07 mx postfix/smtpd[18]: x",
      "Nov 20 10:00:07.5 mx postfix/smtpd[18]: x",
      "Nov 20 10:00:07.5 mx postfix/smtpd[18]: x",
      "Nov 20 10:00:07 mx postfix/smtpd[18]: x",
      "2024-11-20T10:00:08.123456+01:00 mx1 postfix/smtpd[22]: connect from k",
      "2024-11-20T10:00:08.123456+01:00 mx1 postfix/smtpd[23]: disconnect from k",
      "2024-11-20T10:00:08.123456+01:00 a-rather-long-host-name.example.org postfix/smtpd[23]: x",
      "2024-11-20T10:00:08.123456+01:00 a-rather-long-host-name.example.org postfix/smtpd[24]: x",
      "2024-11-20T10:00:08.123456+01:00 " + std::string(70, 'h') + " postfix/smtpd[24]: x",
      "2024-11-20T10:00:08.123456+01:00 " + std::string(70, 'h') + " postfix/smtpd[25]: x",
      "<22>1 2024-11-20T08:00:00Z mx1 postfix/smtpd 610 - - connect from a",
      "2024-11-20T10:00:08.123456+01:00 mx1 postfix/smtpd[26]: x",
  });
}

TEST_CASE("the stamp cache gives the same split as none: lines with a byte changed") {
  const std::vector<std::string> base = {
      "Nov 20 10:00:07 mx1 postfix/smtpd[16]: connect from h[192.0.2.1]",
      "Nov  5 10:00:07 mail.example.org postfix/postscreen[901]: CONNECT from [192.0.2.1]:5",
      "2024-11-20T10:00:08.123456+01:00 mx1 postfix/submission/smtpd[22]: connect from k",
      "Nov 20 10:00:07 mx1 postfix/smtpd[1234567890]: connect from h[192.0.2.1]",
      "Nov 20 10:00:07 mx1 postfix/smtpd[12345]: x",  // too short for the 16-byte pid look
  };
  const std::string alphabet = " :[]/0123456789.aNTZ+-\t";
  std::mt19937 rng(20);
  std::vector<std::string> lines;
  for (int i = 0; i < 20000; ++i) {
    std::string line = base[rng() % base.size()];
    if (rng() % 3 != 0) {  // else unchanged: the same start as a line before
      size_t at = rng() % std::min<size_t>(line.size(), 52);
      line[at] = alphabet[rng() % alphabet.size()];
    }
    lines.push_back(line);
  }
  CheckSame(lines);
}

TEST_CASE("the pid: 1 to 10 digits and a ']', on long lines and short ones") {
  const std::string tail = ": connect from a-client-name[192.0.2.1]";
  struct Case {
    std::string pid;
    long want;  // -2: the line does not parse
  };
  const std::vector<Case> cases = {
      {"[7]", 7},          {"[1234567890]", 1234567890}, {"[0042]", 42},   {"", -1},
      {"[12345678901]", -2}, {"[]", -2},                   {"[12a]", -2},    {"[12 ]", -2},
      {"[1234567890123456]", -2},
  };
  for (const Case& c : cases) {
    for (const std::string& after : {tail, std::string(":")}) {
      std::string text = "Nov 20 10:00:07 mx1 postfix/smtpd" + c.pid + after;
      INFO(text);
      LogLine line;
      bool ok = ParseLogLine(text, &line, nullptr);
      CHECK(ok == (c.want != -2));
      if (ok) {
        CHECK(line.pid == c.want);
        CHECK(line.message == after.substr(after.size() > 1 ? 2 : 1));
      }
    }
  }
}

}  // namespace
}  // namespace postvet::tune
