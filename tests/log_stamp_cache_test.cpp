// ParseLogLine() with a StampCache (the stamp, and the start of the line up
// to its host, of the line before) must split every line exactly as it does
// without one: the cache only saves work. Checked over lines that share
// their start with the line before, or share only the stamp, or look like it
// and differ in one byte, and over lines whose stamp parses and whose host
// does not (the cache must not keep the start of the line before them).
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
  };
  const std::string alphabet = " :[]/0123456789.aNTZ+-\t";
  std::mt19937 rng(20);
  std::vector<std::string> lines;
  for (int i = 0; i < 20000; ++i) {
    std::string line = base[rng() % base.size()];
    if (rng() % 3 != 0) {  // else unchanged: the same start as a line before
      size_t at = rng() % std::min<size_t>(line.size(), 40);
      line[at] = alphabet[rng() % alphabet.size()];
    }
    lines.push_back(line);
  }
  CheckSame(lines);
}

}  // namespace
}  // namespace postvet::tune
