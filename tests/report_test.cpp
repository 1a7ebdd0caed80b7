// Tests of the reporters (src/report/): golden files for every format from
// one fixed set of diagnostics, plus the properties goldens cannot show
// (order independence, fingerprint stability, colour switch, robustness).
// UPDATE_GOLDEN=1 rewrites testdata/golden/report/; review with git diff.
// tests/sarif_schema_test.py validates and parses the same golden files, and
// this test keeps them byte-identical to what Render() produces.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "rules/registry.hpp"
#include "src/base/json_reader.hpp"
#include "src/report/fingerprint.hpp"
#include "src/report/formats.hpp"
#include "src/report/reporter.hpp"
#include "tests/report_fixture.hpp"

namespace postvet {
namespace {

using testing::ReportFixture;

std::string GoldenPath(const std::string& name) {
  const char* dir = std::getenv("POSTVET_SOURCE_DIR");
  REQUIRE(dir != nullptr);  // set by ctest
  return std::string(dir) + "/testdata/golden/report/" + name;
}

void CheckGolden(const std::string& name, const std::string& actual) {
  const std::string path = GoldenPath(name);
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
  }
  std::ifstream in(path, std::ios::binary);
  INFO(path << " is missing or differs; run with UPDATE_GOLDEN=1 and review git diff");
  REQUIRE(in.good());
  std::stringstream expected;
  expected << in.rdbuf();
  CHECK(actual == expected.str());
}

struct GoldenCase {
  Format format;
  bool color;
  const char* suffix;
};

constexpr GoldenCase kGoldens[] = {
    {Format::kText, false, "txt"},         {Format::kText, true, "color.txt"},
    {Format::kGcc, false, "gcc.txt"},      {Format::kJson, false, "json"},
    {Format::kSarif, false, "sarif"},      {Format::kGithub, false, "github.txt"},
    {Format::kGitlab, false, "gitlab.json"}, {Format::kCheckstyle, false, "checkstyle.xml"},
};

TEST_CASE("every format matches its golden file", "[report]") {
  const ReportFixture fixture;
  for (const GoldenCase& c : kGoldens) {
    SECTION(std::string("fixture.") + c.suffix) {
      CheckGolden(std::string("fixture.") + c.suffix,
                  Render(c.format, fixture.diagnostics, fixture.rules, fixture.Options(c.color)));
    }
    SECTION(std::string("empty.") + c.suffix) {
      CheckGolden(std::string("empty.") + c.suffix,
                  Render(c.format, {}, fixture.rules, fixture.Options(c.color)));
    }
  }
}

TEST_CASE("format names round-trip", "[report]") {
  for (Format format : kAllFormats) CHECK(FormatFromName(FormatName(format)) == format);
  CHECK_FALSE(FormatFromName("diff").has_value());
  CHECK_FALSE(FormatFromName("JSON").has_value());
  CHECK_FALSE(FormatFromName("").has_value());
}

TEST_CASE("output does not depend on the order diagnostics come in", "[report]") {
  ReportFixture fixture;
  const ReportOptions options = fixture.Options();
  std::vector<std::string> before;
  for (Format format : kAllFormats) {
    before.push_back(Render(format, fixture.diagnostics, fixture.rules, options));
  }
  std::reverse(fixture.diagnostics.begin(), fixture.diagnostics.end());
  std::rotate(fixture.diagnostics.begin(), fixture.diagnostics.begin() + 3,
              fixture.diagnostics.end());
  for (size_t i = 0; i < std::size(kAllFormats); ++i) {
    INFO(FormatName(kAllFormats[i]));
    CHECK(Render(kAllFormats[i], fixture.diagnostics, fixture.rules, options) == before[i]);
  }
}

TEST_CASE("report order is file, line, column, rule", "[report]") {
  const ReportFixture fixture;
  const std::string gcc = Render(Format::kGcc, fixture.diagnostics, fixture.rules, fixture.Options());
  std::vector<std::string> lines;
  std::istringstream in(gcc);
  for (std::string line; std::getline(in, line);) {
    if (line.find(": note: ") == std::string::npos) lines.push_back(line);
  }
  REQUIRE(lines.size() == fixture.diagnostics.size());
  auto line_of = [&](std::string_view rule) {
    return std::find_if(lines.begin(), lines.end(), [&](const std::string& l) {
      return l.find(fmt::format("[{}]", rule)) != std::string::npos;
    });
  };
  CHECK(line_of("PV207")->rfind("main.cf:3:1:", 0) == 0);
  CHECK(line_of("PV203")->rfind("main.cf:3:29:", 0) == 0);
  CHECK(line_of("PV207") < line_of("PV203"));
  CHECK(lines.front().rfind("/etc/postfix/master.cf:1:", 0) == 0);
  CHECK(lines.back().rfind("main.cf:7:", 0) == 0);
}

TEST_CASE("findings at one position are ordered by rule id", "[report]") {
  const Source source("f", "f", "abc\n");
  std::vector<Diagnostic> diagnostics(3);
  const char* ids[] = {"PV300", "PV020", "PV100"};
  for (size_t i = 0; i < 3; ++i) {
    diagnostics[i].rule_id = ids[i];
    diagnostics[i].location = {&source, 1, 2};
  }
  CHECK(Render(Format::kGcc, diagnostics, {}, ReportOptions{}) ==
        "f:1:2: warning:  [PV020]\nf:1:2: warning:  [PV100]\nf:1:2: warning:  [PV300]\n");
}

TEST_CASE("colour only when asked for", "[report][text]") {
  const ReportFixture fixture;
  const std::string plain = Render(Format::kText, fixture.diagnostics, fixture.rules, fixture.Options(false));
  const std::string color = Render(Format::kText, fixture.diagnostics, fixture.rules, fixture.Options(true));
  CHECK(plain.find('\x1b') == std::string::npos);  // even the ESC in master.cf is escaped
  CHECK(color.find("\x1b[1;31merror") != std::string::npos);
  for (Format format : kAllFormats) {
    if (format == Format::kText) continue;
    INFO(FormatName(format));
    CHECK(Render(format, fixture.diagnostics, fixture.rules, fixture.Options(true)).find('\x1b') ==
          std::string::npos);
  }
}

TEST_CASE("the caret lines up under a range after a tab and wide text", "[report][text]") {
  const Source source("x", "x", "a\tb = \xe6\x97\xa5\xe6\x9c\xac x\n");
  const auto at = static_cast<uint32_t>(source.text().find('x'));
  std::vector<Diagnostic> diagnostics(1);
  diagnostics[0].rule_id = "PV999";
  diagnostics[0].location = {&source, at, at + 1};
  diagnostics[0].message = "m";
  const std::string text = Render(Format::kText, diagnostics, {}, ReportOptions{});
  // Byte column 14; on screen "a" + tab to column 8 + "b = " (4) + two wide
  // characters (4) + " " puts the caret after 17 columns.
  CHECK(text ==
        "x:1:14: warning: m [PV999]\n"
        "    1 | a       b = \xe6\x97\xa5\xe6\x9c\xac x\n"
        "      |                  ^\n"
        "\n"
        "0 errors, 1 warning, 0 infos\n");
}

TEST_CASE("fingerprints survive inserted lines and differ within a report", "[report][fingerprint]") {
  const ReportFixture before;
  const ReportFixture after(/*shift=*/3);
  auto fingerprints = [](const ReportFixture& f) {
    std::vector<const Diagnostic*> sorted;
    for (const Diagnostic& d : f.diagnostics) sorted.push_back(&d);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Diagnostic* a, const Diagnostic* b) { return ReportOrderLess(*a, *b); });
    return report::Fingerprints(sorted, "/srv/mail");
  };
  const std::vector<std::string> a = fingerprints(before);
  CHECK(a == fingerprints(after));
  CHECK(std::set<std::string>(a.begin(), a.end()).size() == a.size());
  // The lines did move, so the reports do differ.
  CHECK(Render(Format::kGcc, before.diagnostics, before.rules, before.Options()) !=
        Render(Format::kGcc, after.diagnostics, after.rules, after.Options()));
  CHECK(Render(Format::kGitlab, before.diagnostics, before.rules, before.Options()).substr(0, 200) ==
        Render(Format::kGitlab, after.diagnostics, after.rules, after.Options()).substr(0, 200));
}

TEST_CASE("FNV-1a 128 known answers", "[report][fingerprint]") {
  // Reference values of the FNV-1a 128-bit function (offset basis for "").
  CHECK(report::Fnv1a128Hex("") == "6c62272e07bb014262b821756295c58d");
  CHECK(report::Fnv1a128Hex("a") == "d228cb696f1a8caf78912b704e4a8964");
}

TEST_CASE("CI paths are relative to the working directory", "[report]") {
  using report::CiPath;
  CHECK(CiPath("/srv/mail/main.cf", "/srv/mail") == "main.cf");
  CHECK(CiPath("/srv/mail/main.cf", "/srv/mail/") == "main.cf");
  CHECK(CiPath("/srv/mailx/main.cf", "/srv/mail") == "/srv/mailx/main.cf");
  CHECK(CiPath("/srv/mail/main.cf", "") == "/srv/mail/main.cf");
  CHECK(CiPath("/etc/main.cf", "/") == "etc/main.cf");
  CHECK(CiPath("./././conf/main.cf", "/srv") == "conf/main.cf");
  CHECK(CiPath("main.cf", "/srv") == "main.cf");
}

TEST_CASE("github escaping of properties and message", "[report][github]") {
  const Source source("a,b:c%.cf", "a,b:c%.cf", "x = 1\ny = 2\n");
  std::vector<Diagnostic> diagnostics(1);
  diagnostics[0].rule_id = "PV106";
  diagnostics[0].severity = Severity::kInfo;
  diagnostics[0].location = {&source, 4, 9};  // "1\ny =": two lines, so no columns
  diagnostics[0].message = "50% off, now: yes\r\nok";
  const std::vector<RuleInfo> rules = {
      {"PV106", "invalid-value", Severity::kError, FixKind::kNone, "s", ""}};
  CHECK(Render(Format::kGithub, diagnostics, rules, ReportOptions{}) ==
        "::notice file=a%2Cb%3Ac%25.cf,line=1,endLine=2,title=PV106 invalid-value::"
        "50%25 off, now: yes%0D%0Aok\n");
}

// tool.driver.rules of a SARIF log rendered with the real registry, by ID.
std::map<std::string, JsonValue> SarifRules(const ReportOptions& options) {
  Result<JsonValue> log = ParseJson(Render(Format::kSarif, {}, AllRuleInfos(), options), "sarif");
  REQUIRE(log.ok());
  const JsonValue* rules = log->Find("runs")->items.at(0).Find("tool")->Find("driver")->Find("rules");
  REQUIRE(rules != nullptr);
  std::map<std::string, JsonValue> out;
  for (const JsonValue& rule : rules->items) out[rule.Find("id")->string] = rule;
  return out;
}

std::vector<std::string> Tags(const JsonValue& rule) {
  std::vector<std::string> tags;
  if (const JsonValue* properties = rule.Find("properties")) {
    for (const JsonValue& tag : properties->Find("tags")->items) tags.push_back(tag.string);
  }
  return tags;
}

std::string SecuritySeverityOf(const JsonValue& rule) {
  const JsonValue* properties = rule.Find("properties");
  const JsonValue* severity = properties != nullptr ? properties->Find("security-severity") : nullptr;
  return severity != nullptr ? severity->string : "(none)";
}

TEST_CASE("sarif rules link their doc page and carry tags and security severity", "[report][sarif]") {
  ReportOptions options;
  options.rule_doc_dir = "/opt/post vet/rules";
  const std::map<std::string, JsonValue> rules = SarifRules(options);
  REQUIRE(rules.size() == AllRuleInfos().size());

  const JsonValue& open_relay = rules.at("PV601");
  CHECK(open_relay.Find("helpUri")->string == "file:///opt/post%20vet/rules/PV601.md");
  CHECK(Tags(open_relay) == std::vector<std::string>{"security"});
  CHECK(SecuritySeverityOf(open_relay) == "9.0");
  CHECK(SecuritySeverityOf(rules.at("PV602")) == "7.0");

  // A security rule outside the security family gets both tags.
  const JsonValue& unlimited = rules.at("PV411");
  CHECK(Tags(unlimited) == std::vector<std::string>{"master", "security"});
  CHECK(SecuritySeverityOf(unlimited) == "5.0");

  const JsonValue& duplicate = rules.at("PV102");
  CHECK(duplicate.Find("helpUri")->string == "file:///opt/post%20vet/rules/PV102.md");
  CHECK(Tags(duplicate) == std::vector<std::string>{"main"});
  CHECK(SecuritySeverityOf(duplicate) == "(none)");
  const std::string help = duplicate.Find("help")->Find("text")->string;
  CHECK(help.find("# PV102 duplicate-parameter") == 0);
  CHECK(help.substr(help.rfind("\n\n") + 2) == "Run `postvet explain PV102` for the full description.");

  // Every rule is tagged with its family, and only security rules have a severity.
  const std::set<std::string> families = {"input", "main",   "dnsbl",    "table",
                                          "master", "tune", "security", "probe"};
  for (const auto& [id, rule] : rules) {
    INFO(id);
    const std::vector<std::string> tags = Tags(rule);
    REQUIRE(!tags.empty());
    CHECK(families.count(tags.front()) == 1);
    const bool security = std::find(tags.begin(), tags.end(), "security") != tags.end();
    CHECK(security == (SecuritySeverityOf(rule) != "(none)"));
  }
}

TEST_CASE("sarif helpUri defaults to the install location", "[report][sarif]") {
  const std::string uri = SarifRules(ReportOptions{}).at("PV203").Find("helpUri")->string;
  CHECK(uri.rfind("file:///", 0) == 0);
  CHECK(uri.size() > 24);
  CHECK(uri.substr(uri.size() - 15) == "/rules/PV203.md");
}

TEST_CASE("bad locations print instead of crashing", "[report]") {
  const Source source("f", "f", "abc");
  std::vector<Diagnostic> diagnostics(3);
  diagnostics[0].rule_id = "PV001";
  diagnostics[0].location = {nullptr, 5, 9};            // no source at all
  diagnostics[1].rule_id = "PV002";
  diagnostics[1].location = {&source, 7, 2};            // past the end, reversed
  diagnostics[1].notes.push_back({{nullptr, 0, 0}, "n"});
  diagnostics[1].fix = Fix{Applicability::kSafe, "d", {Edit{nullptr, 9, 1, "t"}}};
  diagnostics[2].rule_id = "PV003";
  diagnostics[2].location = {&source, 3, 3};            // empty range at EOF, no newline
  for (Format format : kAllFormats) {
    INFO(FormatName(format));
    CHECK_FALSE(Render(format, diagnostics, {}, ReportOptions{}).empty());
  }
  const std::string gcc = Render(Format::kGcc, diagnostics, {}, ReportOptions{});
  // The note without a source is a detail note, printed at its finding's place.
  CHECK(gcc == ":1:1: warning:  [PV001]\nf:1:4: warning:  [PV002]\nf:1:4: note: n\nf:1:4: warning:  [PV003]\n");
  const std::string text = Render(Format::kText, {diagnostics[2]}, {}, ReportOptions{});
  CHECK(text.find("    1 | abc\n      |    ^\n") != std::string::npos);
}

TEST_CASE("random bytes and ranges render in every format", "[report]") {
  std::mt19937 random(7);  // fixed seed: deterministic
  std::uniform_int_distribution<int> byte(0, 255);
  for (int round = 0; round < 300; ++round) {
    std::string bytes;
    for (int n = round % 60; n > 0; --n) {
      const int b = byte(random);
      bytes.push_back(static_cast<char>(b < 40 ? '\n' : b < 60 ? '\t' : b));
    }
    const Source source("r", "r\x1b", bytes);
    std::vector<Diagnostic> diagnostics(3);
    for (Diagnostic& d : diagnostics) {
      std::uniform_int_distribution<uint32_t> offset(0, source.size() + 2);
      d.rule_id = "PV001";
      d.location = {&source, offset(random), offset(random)};
      d.message = bytes.substr(0, 10);
      d.notes.push_back({{&source, offset(random), offset(random)}, bytes});
      d.fix = Fix{Applicability::kUnsafe, bytes, {Edit{&source, offset(random), offset(random), bytes}}};
    }
    for (Format format : kAllFormats) {
      const std::string out = Render(format, diagnostics, {}, ReportOptions{});
      CHECK_FALSE(out.empty());
      if (format != Format::kJson && format != Format::kSarif && format != Format::kGitlab) {
        CHECK(out.find('\x1b') == std::string::npos);
      }
    }
  }
}

TEST_CASE("text summary counts severities and fixes", "[report][text]") {
  const ReportFixture fixture;
  const std::string text = Render(Format::kText, fixture.diagnostics, fixture.rules, fixture.Options());
  CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) ==
        "3 errors, 6 warnings, 1 info (4 fixable with --fix, 2 more with --unsafe-fixes)\n");
  CHECK(Render(Format::kText, {}, {}, ReportOptions{}) == "no findings\n");
}

}  // namespace
}  // namespace postvet
