// Detail notes (docs/messages.md) in every reporter: a finding with a
// located note and two detail notes, rendered by text, gcc, json, SARIF,
// GitHub, GitLab and Checkstyle (split from report_test.cpp, which keeps
// the golden files and the properties of the reporters).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "src/base/json_reader.hpp"
#include "src/report/formats.hpp"
#include "src/report/reporter.hpp"

namespace postvet {
namespace {

// One finding with a located note and two detail notes (docs/messages.md), the
// first detail note listed before the located one.
struct DetailCase {
  Source source{"/w/main.cf", "main.cf", "a = 1\nb = 2\na = 3\n"};
  std::vector<RuleInfo> rules = {
      {"PV102", "duplicate-parameter", Severity::kWarning, FixKind::kSafe, "s", ""}};
  std::vector<Diagnostic> diagnostics;
  ReportOptions options;

  DetailCase() {
    Diagnostic d;
    d.rule_id = "PV102";
    d.location = {&source, 12, 13};  // line 3 "a"
    d.message = "\"a\" is defined again on line 3";
    d.notes = {{Location{}, "Postfix uses only the later value"},
               {Location{&source, 0, 1}, "first defined here"},
               {Location{}, "delete one of them"}};
    d.fix = Fix{Applicability::kSafe, "delete the earlier definition", {Edit{&source, 0, 6, ""}}};
    d.subject = "a";
    diagnostics.push_back(std::move(d));
    options.working_directory = "/w";
  }
  std::string Out(Format format) const { return Render(format, diagnostics, rules, options); }
};

TEST_CASE("text prints detail notes indented after located notes, before the fix", "[report][text]") {
  const DetailCase c;
  CHECK(c.Out(Format::kText) ==
        "main.cf:3:1: warning: \"a\" is defined again on line 3 [PV102]\n"
        "    3 | a = 3\n"
        "      | ^\n"
        "main.cf:1:1: note: first defined here\n"
        "  note: Postfix uses only the later value\n"
        "  note: delete one of them\n"
        "  fix (safe): delete the earlier definition\n"
        "\n"
        "0 errors, 1 warning, 0 infos (1 fixable with --fix)\n");
}

TEST_CASE("gcc prints every note as a note line, detail notes at the finding", "[report][gcc]") {
  const DetailCase c;
  CHECK(c.Out(Format::kGcc) ==
        "main.cf:3:1: warning: \"a\" is defined again on line 3 [PV102]\n"
        "main.cf:1:1: note: first defined here\n"
        "main.cf:3:1: note: Postfix uses only the later value\n"
        "main.cf:3:1: note: delete one of them\n");
}

TEST_CASE("json gives a detail note as a note with only a message, and the fix description", "[report][json]") {
  const DetailCase c;
  Result<JsonValue> log = ParseJson(c.Out(Format::kJson), "json");
  REQUIRE(log.ok());
  const JsonValue& d = log->Find("diagnostics")->items.at(0);
  CHECK(d.Find("message")->string == "\"a\" is defined again on line 3");
  const std::vector<JsonValue>& notes = d.Find("notes")->items;
  REQUIRE(notes.size() == 3);
  CHECK(notes[0].Find("message")->string == "first defined here");
  CHECK(notes[0].Find("file")->string == "main.cf");
  CHECK(notes[0].Find("line")->number == 1);
  for (size_t i : {1U, 2U}) {
    CHECK(notes[i].Find("file") == nullptr);
    CHECK(notes[i].Find("line") == nullptr);
    CHECK(notes[i].Find("column") == nullptr);
  }
  CHECK(notes[1].Find("message")->string == "Postfix uses only the later value");
  CHECK(notes[2].Find("message")->string == "delete one of them");
  CHECK(d.Find("fix")->Find("description")->string == "delete the earlier definition");
}

TEST_CASE("sarif appends detail notes to the message; only located notes are related", "[report][sarif]") {
  const DetailCase c;
  Result<JsonValue> log = ParseJson(c.Out(Format::kSarif), "sarif");
  REQUIRE(log.ok());
  const JsonValue& result = log->Find("runs")->items.at(0).Find("results")->items.at(0);
  CHECK(result.Find("message")->Find("text")->string ==
        "\"a\" is defined again on line 3. Postfix uses only the later value. delete one of them.");
  const std::vector<JsonValue>& related = result.Find("relatedLocations")->items;
  REQUIRE(related.size() == 1);
  CHECK(related[0].Find("id")->number == 1);
  CHECK(related[0].Find("message")->Find("text")->string == "first defined here");
}

TEST_CASE("github appends detail notes to the message line", "[report][github]") {
  const DetailCase c;
  CHECK(c.Out(Format::kGithub) ==
        "::warning file=main.cf,line=3,col=1,endLine=3,endColumn=2,title=PV102 duplicate-parameter::"
        "\"a\" is defined again on line 3. Postfix uses only the later value. delete one of them."
        "%0Amain.cf:1:1: note: first defined here"
        "%0Afix (safe): delete the earlier definition\n");
}

TEST_CASE("gitlab appends detail notes to the description", "[report][gitlab]") {
  const DetailCase c;
  Result<JsonValue> log = ParseJson(c.Out(Format::kGitlab), "gitlab");
  REQUIRE(log.ok());
  CHECK(log->items.at(0).Find("description")->string ==
        "\"a\" is defined again on line 3. Postfix uses only the later value. delete one of them.");
}

TEST_CASE("checkstyle carries the message without notes", "[report][checkstyle]") {
  const DetailCase c;
  const std::string xml = c.Out(Format::kCheckstyle);
  CHECK(xml.find("message=\"&quot;a&quot; is defined again on line 3\" source=\"postvet.PV102\"") !=
        std::string::npos);
  CHECK(xml.find("later value") == std::string::npos);
  CHECK(xml.find("first defined") == std::string::npos);
}

TEST_CASE("a message already ending a sentence gets no second period", "[report]") {
  DetailCase c;
  c.diagnostics[0].message = "ends here.";
  c.diagnostics[0].notes = {{Location{}, "why?"}, {Location{}, ""}, {Location{}, "then this"}};
  Result<JsonValue> log = ParseJson(c.Out(Format::kGitlab), "gitlab");
  REQUIRE(log.ok());
  CHECK(log->items.at(0).Find("description")->string == "ends here. why? then this.");
  c.diagnostics[0].notes.clear();
  log = ParseJson(c.Out(Format::kGitlab), "gitlab");
  REQUIRE(log.ok());
  CHECK(log->items.at(0).Find("description")->string == "ends here.");
}

}  // namespace
}  // namespace postvet
