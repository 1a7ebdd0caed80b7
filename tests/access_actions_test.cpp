// The generated Postfix action data (rules/data/postfix-actions.tsv via
// src/facts/table/action_data.hpp), the access(5) reading of a result
// (src/facts/table/access_action.hpp), and the loader recording which
// check_*_access restriction names a table (InputFile::used_as).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "src/base/file_reader.hpp"
#include "src/config/lint_context.hpp"
#include "src/config/loader.hpp"
#include "src/facts/table/access_action.hpp"
#include "src/facts/table/action_data.hpp"
#include "src/facts/table/actions.hpp"
#include "src/facts/table/table_common.hpp"

namespace postvet {
namespace {

ActionText Split(const std::string& word, const std::string& text = "") {
  ActionText out;
  out.word = word;
  out.text = text;
  return out;
}

const restriction::RestrictionTable& Restrictions() {
  return restriction::RestrictionTableFor(TargetVersion::kDefault);
}

AccessVerdict Verdict(const std::string& word, const std::string& text = "",
                      const std::vector<std::string>& classes = {}) {
  return ClassifyAccess(Split(word, text), classes, Restrictions()).verdict;
}

TEST_CASE("the generated data knows every header action postvet names") {
  for (int i = 0; i < static_cast<int>(CheckAction::kUnknown); ++i) {
    std::string_view name = ActionName(static_cast<CheckAction>(i));
    INFO(name);
    const ActionWord* row = FindActionWord(ActionTable::kHeader, name);
    REQUIRE(row != nullptr);
    CHECK(row->programs != 0);
  }
  // DELAY is in the sources, compiled out.
  REQUIRE(FindActionWord(ActionTable::kHeader, "delay") != nullptr);
  CHECK(FindActionWord(ActionTable::kHeader, "delay")->programs == 0);
  CHECK(FindActionWord(ActionTable::kAccess, "DELAY")->programs == 0);
}

TEST_CASE("which program carries out which header action, from the data") {
  CHECK(SupportedList(ChecksProgram::kCleanup) ==
        "REJECT, WARN, INFO, FILTER, PASS, DISCARD, HOLD, PREPEND, REPLACE, REDIRECT, BCC, STRIP, IGNORE, DUNNO, OK");
  CHECK(SupportedList(ChecksProgram::kSmtp) == "WARN, INFO, PREPEND, REPLACE, STRIP, IGNORE, DUNNO, OK");
  CHECK(SupportedList(ChecksProgram::kMilter) ==
        "REJECT, WARN, INFO, FILTER, DISCARD, HOLD, REPLACE, REDIRECT, BCC, STRIP, IGNORE, DUNNO, OK");
  CHECK(SupportedList(ChecksProgram::kOther).empty());
}

TEST_CASE("access actions and restriction names come from smtpd_check.c") {
  for (const char* w : {"OK", "RELAY", "REJECT", "DEFER", "DEFER_IF_PERMIT", "DEFER_IF_REJECT", "DUNNO", "HOLD",
                        "DISCARD", "FILTER", "REDIRECT", "BCC", "PREPEND", "WARN", "INFO", "HANGUP"}) {
    INFO(w);
    REQUIRE(FindActionWord(ActionTable::kAccess, w) != nullptr);
    CHECK(FindActionWord(ActionTable::kAccess, w)->programs == kProgramSmtpd);
  }
  for (const char* w : {"PASS", "REPLACE", "STRIP", "IGNORE"}) {
    CHECK(FindActionWord(ActionTable::kAccess, w) == nullptr);
  }
  const restriction::RestrictionTable& restrictions = Restrictions();
  for (const char* w : {"permit", "reject", "permit_mynetworks", "reject_unauth_destination", "check_client_access",
                        "check_policy_service", "reject_sender_login_mismatch", "warn_if_reject"}) {
    INFO(w);
    CHECK(restrictions.Find(w) != nullptr);
  }
  CHECK(restrictions.Find("Permit_MyNetworks") != nullptr);
}

TEST_CASE("an access result is read in check_table_result()'s order") {
  CHECK(Verdict("reject", "go away") == AccessVerdict::kAction);
  CHECK(Verdict("DELAY", "1h") == AccessVerdict::kCompiledOut);
  CHECK(Verdict("550") == AccessVerdict::kAllNumeric);
  CHECK(Verdict("1700000000") == AccessVerdict::kAllNumeric);
  AccessAction code = ClassifyAccess(Split("521", "go away"), {}, Restrictions());
  CHECK(code.verdict == AccessVerdict::kReplyCode);
  CHECK(code.code == 521);
  CHECK(Verdict("250", "welcome") == AccessVerdict::kUnknownRestriction);
  CHECK(Verdict("5500", "x") == AccessVerdict::kUnknownRestriction);
  CHECK(Verdict("REJECTT") == AccessVerdict::kUnknownRestriction);
  CHECK(Verdict("check_sender_access", "pcre:/x") == AccessVerdict::kLookupTable);
  CHECK(Verdict("permit_mynetworks,", "reject") == AccessVerdict::kRestriction);
  CHECK(Verdict("greylist", "", {"greylist"}) == AccessVerdict::kRestriction);
  CHECK(Verdict("Greylist", "", {"greylist"}) == AccessVerdict::kUnknownRestriction);
  CHECK(Verdict("") == AccessVerdict::kEmpty);
  ActionText dynamic = Split("", "");
  dynamic.word_dynamic = true;
  CHECK(ClassifyAccess(dynamic, {}, Restrictions()).verdict == AccessVerdict::kDynamic);
}

TEST_CASE("the enhanced status code dsn_split() takes from a text") {
  CHECK(LeadingDsn("4.7.1 try later") == std::optional<std::string_view>("4.7.1"));
  CHECK(LeadingDsn("5.1.10") == std::optional<std::string_view>("5.1.10"));
  CHECK(!LeadingDsn("550 5.7.1 x"));
  CHECK(!LeadingDsn("3.7.1 x"));
  CHECK(!LeadingDsn("5.7.1x"));
  CHECK(!LeadingDsn("5.7"));
}

TEST_CASE("the loader records the check_*_access restriction naming a table") {
  const std::string dir = "/nonexistent-postvet-access/cfg";
  MemoryReader reader(std::map<std::string, std::string>{
      {dir + "/main.cf",
       "smtpd_recipient_restrictions = check_client_access pcre:/etc/postfix/access,\n"
       "  check_sender_access regexp:/etc/postfix/sender, reject_unauth_destination\n"
       "header_checks = pcre:/etc/postfix/access\n"},
      {dir + "/access", "/x/ OK\n"},
      {dir + "/sender", "/y/ REJECT\n"},
  });
  LoadOptions options;
  options.reader = &reader;
  auto ctx = LoadConfigDir(dir, "cfg", ProjectConfig{}, options);
  REQUIRE(ctx.ok());
  std::map<std::string, const InputFile*> tables;
  for (const auto& f : (*ctx)->files()) tables[f->source->display()] = f.get();
  REQUIRE(tables.count("cfg/access") == 1);
  const InputFile& access = *tables["cfg/access"];
  REQUIRE(access.used_as.size() == 2);
  CHECK(access.used_as[0] == "check_client_access");
  CHECK(access.used_as[1].empty());
  std::vector<TableUse> uses = AccessUses(access);
  REQUIRE(uses.size() == 1);
  CHECK(uses[0].param == "smtpd_recipient_restrictions");
  CHECK(ChecksUses(access).size() == 1);
  CHECK(AccessUses(*tables["cfg/sender"]).at(0).restriction == "check_sender_access");
}

TEST_CASE("a lone table named like an access table is judged as one") {
  InputFile f;
  f.source = std::make_unique<Source>("helo_access.pcre", "helo_access.pcre", "/x/ OK\n");
  REQUIRE(AccessUses(f).size() == 1);
  CHECK(AccessUses(f)[0].guessed);
  InputFile g;
  g.source = std::make_unique<Source>("myaccess.pcre", "myaccess.pcre", "/x/ OK\n");
  CHECK(AccessUses(g).empty());
  InputFile h;
  h.source = std::make_unique<Source>("smtp_header_checks.pcre", "smtp_header_checks.pcre", "/x/ OK\n");
  CHECK(AccessUses(h).empty());
}

}  // namespace
}  // namespace postvet
