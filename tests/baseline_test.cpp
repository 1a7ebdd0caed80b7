// Baseline keys, count-aware matching, stale entries, the file format's
// round trip and its error handling; plus the JSON reader and DisplayPath
// that the baseline relies on.
#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "src/report/baseline.hpp"
#include "src/base/display_path.hpp"
#include "src/base/json_reader.hpp"

namespace postvet {
namespace {

Location At(const Source& source, std::string_view needle, int nth = 0) {
  size_t at = source.text().find(needle);
  while (nth-- > 0 && at != std::string_view::npos) at = source.text().find(needle, at + 1);
  REQUIRE(at != std::string_view::npos);
  return {&source, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

Diagnostic Finding(std::string_view rule, Location where, std::string subject) {
  Diagnostic d;
  d.rule_id = rule;
  d.location = where;
  d.message = "message";
  d.subject = std::move(subject);
  return d;
}

// The findings a rule set would make on `main`: two about one zone, one about
// a parameter, one without a subject (keyed on the flagged bytes).
std::vector<Diagnostic> Findings(const Source& main) {
  return {Finding("PV203", At(main, "dnsbl.sorbs.net", 0), "dnsbl.sorbs.net"),
          Finding("PV203", At(main, "dnsbl.sorbs.net", 1), "dnsbl.sorbs.net"),
          Finding("PV102", At(main, "smtpd_banner"), "smtpd_banner"),
          Finding("PV001", At(main, "bad line"), "")};
}

constexpr std::string_view kMain =
    "smtpd_banner = a\n"
    "postscreen_dnsbl_sites = dnsbl.sorbs.net\n"
    "smtpd_client_restrictions = reject_rbl_client dnsbl.sorbs.net\n"
    "bad line\n";

const std::set<std::string> kChecked = {"hosts/mx1/main.cf"};

TEST_CASE("a baseline hides the findings it was made from, even after lines move") {
  Source before("hosts/mx1/main.cf", "hosts/mx1/main.cf", std::string(kMain));
  Baseline baseline = MakeBaseline(Findings(before), "/repo");
  REQUIRE(baseline.entries.size() == 3);  // the two PV203 share a key
  CHECK(baseline.entries[2].rule == "PV203");
  CHECK(baseline.entries[2].count == 2);
  CHECK(baseline.entries[0].subject == "bad line");  // no subject: the flagged bytes

  Source after("hosts/mx1/main.cf", "hosts/mx1/main.cf", "# new comment\n\n" + std::string(kMain));
  BaselineOutcome outcome = ApplyBaseline(baseline, Findings(after), kChecked, "/repo");
  CHECK(outcome.kept.empty());
  CHECK(outcome.hidden == 4);
  CHECK(outcome.stale.empty());
}

TEST_CASE("matching counts: a third copy of a key known twice is new") {
  Source before("hosts/mx1/main.cf", "hosts/mx1/main.cf", std::string(kMain));
  Baseline baseline = MakeBaseline(Findings(before), "/repo");
  Source after("hosts/mx1/main.cf", "hosts/mx1/main.cf",
               std::string(kMain) + "smtpd_recipient_restrictions = reject_rbl_client dnsbl.sorbs.net\n");
  std::vector<Diagnostic> findings = Findings(after);
  findings.push_back(Finding("PV203", At(after, "dnsbl.sorbs.net", 2), "dnsbl.sorbs.net"));
  BaselineOutcome outcome = ApplyBaseline(baseline, findings, kChecked, "/repo");
  REQUIRE(outcome.kept.size() == 1);
  CHECK(outcome.kept[0].rule_id == "PV203");
  // The new one is the last in report order.
  CHECK(outcome.kept[0].location.begin == At(after, "dnsbl.sorbs.net", 2).begin);
  CHECK(outcome.hidden == 4);
}

TEST_CASE("another file, rule or subject is a different key") {
  Source main("hosts/mx1/main.cf", "hosts/mx1/main.cf", std::string(kMain));
  Source other("hosts/mx2/main.cf", "hosts/mx2/main.cf", std::string(kMain));
  Baseline baseline = MakeBaseline({Finding("PV102", At(main, "smtpd_banner"), "smtpd_banner")}, "/repo");
  BaselineOutcome outcome = ApplyBaseline(baseline,
                                          {Finding("PV102", At(other, "smtpd_banner"), "smtpd_banner"),
                                           Finding("PV101", At(main, "smtpd_banner"), "smtpd_banner"),
                                           Finding("PV102", At(main, "smtpd_banner"), "smtpd_banners")},
                                          {"hosts/mx1/main.cf", "hosts/mx2/main.cf"}, "/repo");
  CHECK(outcome.kept.size() == 3);
  CHECK(outcome.hidden == 0);
  REQUIRE(outcome.stale.size() == 1);
  CHECK(outcome.stale[0].file == "hosts/mx1/main.cf");
  CHECK(outcome.stale[0].subject == "smtpd_banner");
}

TEST_CASE("stale entries: what is no longer found, only in the files checked") {
  Source main("hosts/mx1/main.cf", "hosts/mx1/main.cf", std::string(kMain));
  Source other("hosts/mx2/main.cf", "hosts/mx2/main.cf", std::string(kMain));
  std::vector<Diagnostic> today = Findings(main);
  today.push_back(Finding("PV102", At(other, "smtpd_banner"), "smtpd_banner"));
  Baseline baseline = MakeBaseline(today, "/repo");
  // One PV203 fixed in mx1; mx2 not checked at all (a pre-commit run on mx1).
  std::vector<Diagnostic> later = Findings(main);
  later.erase(later.begin() + 1);
  BaselineOutcome outcome = ApplyBaseline(baseline, later, kChecked, "/repo");
  CHECK(outcome.kept.empty());
  REQUIRE(outcome.stale.size() == 1);
  CHECK(outcome.stale[0].rule == "PV203");
  CHECK(outcome.stale[0].count == 1);
}

TEST_CASE("the file key is relative to the working directory") {
  Source absolute("/repo/hosts/mx1/main.cf", "/repo/hosts/mx1/main.cf", std::string(kMain));
  Source dotted("./hosts//mx1/main.cf", "./hosts//mx1/main.cf", std::string(kMain));
  Source outside("/etc/postfix/main.cf", "/etc/postfix/main.cf", std::string(kMain));
  CHECK(BaselineKeyOf(Finding("PV102", At(absolute, "smtpd_banner"), "x"), "/repo").file == "hosts/mx1/main.cf");
  CHECK(BaselineKeyOf(Finding("PV102", At(dotted, "smtpd_banner"), "x"), "/repo").file == "hosts/mx1/main.cf");
  CHECK(BaselineKeyOf(Finding("PV102", At(outside, "smtpd_banner"), "x"), "/repo").file == "/etc/postfix/main.cf");
  Baseline baseline = MakeBaseline({Finding("PV102", At(absolute, "smtpd_banner"), "x")}, "/repo");
  CHECK(ApplyBaseline(baseline, {Finding("PV102", At(dotted, "smtpd_banner"), "x")}, kChecked, "/repo").hidden == 1);
}

TEST_CASE("the file format round-trips, odd bytes included") {
  const std::string odd_subject = "/^Subject: \"caf\xc3\xa9\" \\ \x01 \xff tab\there/";
  Source main("hosts/mx1/main.cf", "hosts/mx1/main.cf", std::string(kMain));
  Source long_line("t.pcre", "t.pcre", std::string(500, 'x') + "\n");
  std::vector<Diagnostic> today = Findings(main);
  today.push_back(Finding("PV305", At(main, "bad line"), odd_subject));
  today.push_back(Finding("PV001", Location{&long_line, 0, 500}, ""));
  Baseline baseline = MakeBaseline(today, "/repo");
  std::string text = SerializeBaseline(baseline);
  CHECK(text.find("\"version\": 1") != std::string::npos);
  CHECK(text.back() == '\n');
  Result<Baseline> back = ParseBaseline(text, "base.json");
  REQUIRE(back.ok());
  REQUIRE(back->entries.size() == baseline.entries.size());
  for (size_t i = 0; i < baseline.entries.size(); ++i) {
    CHECK(back->entries[i].file == baseline.entries[i].file);
    CHECK(back->entries[i].subject == baseline.entries[i].subject);
    CHECK(back->entries[i].count == baseline.entries[i].count);
  }
  CHECK(SerializeBaseline(back.value()) == text);
  // The invalid byte was written as U+FFFD, yet the finding still matches.
  BaselineOutcome outcome = ApplyBaseline(back.value(), today, {"hosts/mx1/main.cf", "t.pcre"}, "/repo");
  CHECK(outcome.kept.empty());
  CHECK(outcome.hidden == today.size());
  // A subject-less finding is keyed on at most kMaxFlaggedKeyBytes bytes.
  CHECK(BaselineKeyOf(today.back(), "/repo").subject.size() == kMaxFlaggedKeyBytes);
}

TEST_CASE("hand-edited baselines: repeated keys add up, count defaults to 1") {
  Result<Baseline> b = ParseBaseline(
      R"({"entries": [{"file": "m.cf", "rule": "PV1", "subject": "a"},
                      {"file": "m.cf", "rule": "PV1", "subject": "a", "count": 2},
                      {"subject": "b", "rule": "PV1", "file": "m.cf", "extra": [1, {"x": null}]}],
          "version": 1})",
      "b.json");
  REQUIRE(b.ok());
  REQUIRE(b->entries.size() == 2);
  CHECK(b->entries[0].count == 3);
  CHECK(b->entries[1].subject == "b");
}

// Found by fuzz_baseline (fuzz/regressions/baseline/): raw invalid UTF-8 in
// a hand-edited file did not match the finding with the same bytes.
TEST_CASE("hand-edited baselines: raw invalid UTF-8 matches as it would have been written") {
  Result<Baseline> b = ParseBaseline(
      "{\"version\": 1, \"entries\": [{\"file\": \"hosts/mx1/main.cf\", \"rule\": \"PV102\", "
      "\"subject\": \"a\xff\"}]}",
      "b.json");
  REQUIRE(b.ok());
  REQUIRE(b->entries.size() == 1);
  CHECK(b->entries[0].subject == "a\xef\xbf\xbd");
  CHECK(ParseBaseline(SerializeBaseline(b.value()), "again.json")->entries[0].subject == b->entries[0].subject);
  Source main("/srv/hosts/mx1/main.cf", "/srv/hosts/mx1/main.cf", "a\xff = 1\n");
  BaselineOutcome out = ApplyBaseline(b.value(), {Finding("PV102", At(main, "a\xff"), "a\xff")}, kChecked, "/srv");
  CHECK(out.kept.empty());
  CHECK(out.hidden == 1);
}

TEST_CASE("bad baseline files are errors that name the file") {
  auto error = [](std::string_view text) {
    Result<Baseline> b = ParseBaseline(text, "b.json");
    REQUIRE_FALSE(b.ok());
    CHECK(b.status().message().rfind("b.json:", 0) == 0);
    return b.status().message();
  };
  CHECK(error("").find("unexpected end") != std::string::npos);
  CHECK(error("{\"version\": 1,\n \"entries\": [}").find("b.json:2:") == 0);
  CHECK(error(R"({"version": 2, "entries": []})").find("version 1 expected") != std::string::npos);
  CHECK(error(R"([1, 2])").find("not a postvet baseline") != std::string::npos);
  CHECK(error(R"({"version": 1, "entries": {}})").find("array") != std::string::npos);
  CHECK(error(R"({"version": 1, "entries": [{"file": "m", "rule": "r"}]})").find("subject") != std::string::npos);
  CHECK(error(R"({"version": 1, "entries": [{"file": "m", "rule": "r", "subject": "s", "count": 0}]})")
            .find("count") != std::string::npos);
  CHECK(error(R"({"version": 1, "entries": [{"file": "m", "rule": "r", "subject": "s", "count": -1}]})")
            .find("count") != std::string::npos);
  CHECK(error(R"({"version": 1, "entries": []} x)").find("after the JSON value") != std::string::npos);
  CHECK(error(std::string(100000, '[')).find("nested too deeply") != std::string::npos);
  CHECK(ReadBaseline("/nonexistent/baseline.json").ok() == false);
}

TEST_CASE("the JSON reader decodes escapes and numbers") {
  Result<JsonValue> v = ParseJson(R"( {"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x", "n": [0, 12, -3, 1.5e2, 18446744073709551615, true, false, null]} )", "t");
  REQUIRE(v.ok());
  CHECK(v->Find("s")->string == "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbdx");
  const std::vector<JsonValue>& n = v->Find("n")->items;
  REQUIRE(n.size() == 8);
  CHECK(n[0].unsigned_integer == uint64_t{0});
  CHECK(n[1].unsigned_integer == uint64_t{12});
  CHECK_FALSE(n[2].unsigned_integer.has_value());
  CHECK(n[2].number == -3);
  CHECK(n[3].number == 150);
  CHECK_FALSE(n[3].unsigned_integer.has_value());
  CHECK(n[5].type == JsonValue::Type::kBool);
  CHECK(n[5].boolean);
  CHECK(n[7].type == JsonValue::Type::kNull);
  CHECK(v->Find("missing") == nullptr);
  for (std::string_view bad : {"01", "1.", "-", "\"\x01\"", "\"\\x\"", "\"\\u12\"", "tru", "{\"a\" 1}", "[1 2]",
                               "\"abc"}) {
    CHECK_FALSE(ParseJson(bad, "t").ok());
  }
}

TEST_CASE("DisplayPath names paths relative to the working directory") {
  CHECK(DisplayPath("hosts/mx1/", "/repo") == "hosts/mx1");
  CHECK(DisplayPath("./hosts//mx1/./main.cf", "/repo") == "hosts/mx1/main.cf");
  CHECK(DisplayPath("/repo/hosts/mx1", "/repo") == "hosts/mx1");
  CHECK(DisplayPath("/repo/hosts/mx1", "/repo/") == "hosts/mx1");
  CHECK(DisplayPath("/repo", "/repo") == "");
  CHECK(DisplayPath(".", "/repo") == "");
  CHECK(DisplayPath("./", "/repo") == "");
  CHECK(DisplayPath("main.cf", "/repo") == "main.cf");
  CHECK(DisplayPath("/repository/main.cf", "/repo") == "/repository/main.cf");
  CHECK(DisplayPath("/etc/postfix/", "/repo") == "/etc/postfix");
  CHECK(DisplayPath("../other/main.cf", "/repo") == "../other/main.cf");
  CHECK(DisplayPath("/", "/repo") == "/");
  CHECK(DisplayPath("/anything", "/") == "anything");
}

TEST_CASE("a big baseline is written in chunks that make up the whole file") {
  Baseline baseline;
  for (int i = 0; i < 3000; ++i) {
    baseline.entries.push_back({"tables/header_checks", "PV305", "/^Subject: .*word" + std::to_string(i) + "/", 1});
  }
  const std::string whole = SerializeBaseline(baseline);
  REQUIRE(whole.size() > 3 * 64 * 1024);
  std::vector<std::string> chunks;
  SerializeBaselineTo(baseline, [&chunks](std::string_view text) { chunks.emplace_back(text); });
  std::string joined;
  for (const std::string& chunk : chunks) {
    CHECK(chunk.size() < 64 * 1024 + 1024);
    joined += chunk;
  }
  CHECK(joined == whole);
  CHECK(chunks.size() >= 3);
}

}  // namespace
}  // namespace postvet
