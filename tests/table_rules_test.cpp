// Tests of the PV3xx table rules and their helpers: the header-name proof
// behind PV301, action parsing as cleanup/smtp/milter do it, and each rule
// run through the engine on in-memory tables with the users the loader
// would record.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/registry.hpp"
#include "src/facts/table/actions.hpp"
#include "src/facts/table/header_pattern.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"
#include "tests/table_fixture.hpp"
#include "tests/message_shape.hpp"

namespace postvet {
namespace {

using testing::LoadedTable;

// The primary pattern of the first entry of a one-line table.
std::optional<std::string> Implied(const std::string& line, TableType type) {
  LoadedTable t(line + " OK\n", type);
  const TableEntry& e = t.table().entries().at(0);
  REQUIRE(e.pattern.has_value());
  std::optional<std::string_view> name = ImpliedHeaderName(*e.pattern, t.table().dialect());
  return name ? std::optional<std::string>(std::string(*name)) : std::nullopt;
}

bool Anchored(const std::string& line, TableType type) {
  LoadedTable t(line + " OK\n", type);
  const TableEntry& e = t.table().entries().at(0);
  REQUIRE(e.pattern.has_value());
  return AnchoredAtHeaderName(*e.pattern, t.table().dialect());
}

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;
};

// Lints one table used by `users`, with only `rule` selected.
Linted LintTable(const std::string& text, FileKind kind, std::vector<std::string> users, const std::string& rule,
                 ProjectConfig config = ProjectConfig{}) {
  Linted out;
  out.ctx = std::make_unique<LintContext>("d", config);
  InputFile& f = out.ctx->AddFile(Source("d/t", "d/t", text), kind);
  f.used_by = std::move(users);
  RuleFilter filter(config, {rule}, {});
  out.diagnostics = Lint(*out.ctx, filter);
  for (const Diagnostic& d : out.diagnostics) CheckMessageShape(d);
  return out;
}

std::vector<std::string> Messages(const Linted& l) {
  std::vector<std::string> out;
  for (const Diagnostic& d : l.diagnostics) out.push_back(d.message);
  return out;
}

// Per finding, its detail notes (no place) joined by " | ".
std::vector<std::string> Details(const Linted& l) {
  std::vector<std::string> out;
  for (const Diagnostic& d : l.diagnostics) {
    std::string text;
    for (const Note& n : d.notes) {
      if (n.location.source == nullptr) text += (text.empty() ? "" : " | ") + n.message;
    }
    out.push_back(text);
  }
  return out;
}

// The table text after applying every fix once.
std::string Fixed(const Linted& l) {
  const Source& src = *l.ctx->files().front()->source;
  std::vector<FileFix> fixes = PlanFixes(l.diagnostics, FixPolicy{});
  if (fixes.empty()) return std::string(src.text());
  return ApplyEdits(src.text(), fixes.front().edits);
}

TEST_CASE("ImpliedHeaderName proves only what holds") {
  for (TableType type : {TableType::kRegexp, TableType::kPcre}) {
    CHECK(Implied("/^Subject:.*viagra/", type) == "Subject");
    CHECK(Implied("/^subject: x/i", type) == "subject");
    CHECK(Implied("/^X-Spam-Flag: YES/", type) == "X-Spam-Flag");
    CHECK(Implied("%^Subject:(a|b)%", type) == "Subject");
    CHECK(Implied("/^Subject:.*[|]x/", type) == "Subject");
    CHECK(Implied("/^Subject:[[:alpha:]|]/", type) == "Subject");
    CHECK(Implied("/^Subject:.*\\|/", type) == "Subject");
    // Not provable.
    CHECK_FALSE(Implied("!/^Subject:.*viagra/", type));
    CHECK_FALSE(Implied("/^Subject:.*a|foo/", type));
    CHECK_FALSE(Implied("/^Subject:.*x/m", type));
    CHECK_FALSE(Implied("/^Subject:.*x/x", type));
    CHECK_FALSE(Implied("/^Subject:?x/", type));
    CHECK_FALSE(Implied("/^Subject:*x/", type));
    CHECK_FALSE(Implied("/^Subject/", type));
    CHECK_FALSE(Implied("/Subject:/", type));
    CHECK_FALSE(Implied("/^.Subject:/", type));
    CHECK_FALSE(Implied("/^Sub.ject:/", type));
    CHECK_FALSE(Implied("/^(Subject|From):/", type));
    CHECK_FALSE(Implied("/^Subject:[[.|.]]x|y/", type));
  }
  // !! cancels out.
  CHECK(Implied("!!/^Subject: a/", TableType::kRegexp) == "Subject");
  // A regexp second pattern does not change what the first one requires.
  CHECK(Implied("/^Subject:/!/ham/", TableType::kRegexp) == "Subject");
  // PCRE2 constructs the scanner models, and those it refuses.
  CHECK(Implied("/^Subject:\\Q|\\E x/", TableType::kPcre) == "Subject");
  CHECK(Implied("/^Subject:(?#|)x/", TableType::kPcre) == "Subject");
  CHECK(Implied("/^Subject:[\\]|]x/", TableType::kPcre) == "Subject");
  CHECK(Implied("/^Subject:(?i:a|b)/", TableType::kPcre) == "Subject");
  CHECK_FALSE(Implied("/^Subject:(?x) a # |b/", TableType::kPcre));
  CHECK_FALSE(Implied("/^Subject:\\Q(\\E|x/", TableType::kPcre));
  // In POSIX brackets a backslash is literal, so [\]|] ends at the first ].
  CHECK_FALSE(Implied("/^Subject:[\\]|x]/", TableType::kRegexp));
}

TEST_CASE("HasTopLevelAlternation") {
  CHECK(HasTopLevelAlternation("a|b", 0, RegexDialect::kPosix) == true);
  CHECK(HasTopLevelAlternation("(a|b)c", 0, RegexDialect::kPosix) == false);
  CHECK(HasTopLevelAlternation("[]|]", 0, RegexDialect::kPosix) == false);
  CHECK(HasTopLevelAlternation("[^]|]", 0, RegexDialect::kPcre) == false);
  CHECK(HasTopLevelAlternation("\\(|x", 0, RegexDialect::kPosix) == true);
  CHECK_FALSE(HasTopLevelAlternation("(a", 0, RegexDialect::kPosix).has_value());
  CHECK_FALSE(HasTopLevelAlternation("a)", 0, RegexDialect::kPcre).has_value());
  CHECK_FALSE(HasTopLevelAlternation("[abc", 0, RegexDialect::kPcre).has_value());
}

TEST_CASE("AnchoredAtHeaderName") {
  for (TableType type : {TableType::kRegexp, TableType::kPcre}) {
    CHECK(Anchored("/^Subject:/", type));
    CHECK(Anchored("/^(From|To):/", type));
    CHECK(Anchored("/^X-/", type));
    CHECK(Anchored("/^[Ss]ubject/", type));
    CHECK_FALSE(Anchored("/viagra/", type));
    CHECK_FALSE(Anchored("/^.*viagra/", type));
    CHECK_FALSE(Anchored("/^[^:]+:.*x/", type));
    CHECK_FALSE(Anchored("/^Subject:.*a|b/", type));
  }
  CHECK(Anchored("/^\\s*(Received: from)/", TableType::kPcre));
  CHECK(Anchored("/^[[:space:]]*X-Mailer/", TableType::kRegexp));
  CHECK_FALSE(Anchored("/^\\s*.*x/", TableType::kPcre));
  CHECK(Anchored("/Subject:/A", TableType::kPcre));
  CHECK(Anchored("/(?i)^subject:/", TableType::kPcre));
  CHECK(Anchored("/\\ASubject:/", TableType::kPcre));
}

TEST_CASE("actions: split, parse, support and arguments as Postfix does") {
  LoadedTable t("/a/ reject   5.7.1 go away\n/(b)/ $1 text\n/c/ REDIRECT ${1}@x\n/(d)/ BCC $1\n/e/ WARN $$5\n",
                TableType::kPcre);
  const auto& e = t.table().entries();
  ActionText a = SplitAction(e[0]);
  CHECK(a.word == "reject");
  CHECK(a.text == "5.7.1 go away");
  CHECK(ParseAction(a.word) == CheckAction::kReject);
  CHECK(SplitAction(e[1]).word_dynamic);
  CHECK(SplitAction(e[3]).text_dynamic);
  CHECK(SplitAction(e[4]).text == "$5");

  CHECK(ParseAction("REJECTED") == CheckAction::kUnknown);
  CHECK(ParseAction("Dunno") == CheckAction::kDunno);
  CHECK(ParseAction("DELAY") == CheckAction::kUnknown);
  CHECK(Supports(ChecksProgram::kCleanup, CheckAction::kPass));
  CHECK_FALSE(Supports(ChecksProgram::kSmtp, CheckAction::kReject));
  CHECK(Supports(ChecksProgram::kSmtp, CheckAction::kPrepend));
  CHECK_FALSE(Supports(ChecksProgram::kMilter, CheckAction::kPass));
  CHECK_FALSE(Supports(ChecksProgram::kMilter, CheckAction::kPrepend));
  CHECK(Supports(ChecksProgram::kMilter, CheckAction::kBcc));
  CHECK(NearestAction("REJEKT") == std::optional<std::string_view>("REJECT"));
  CHECK_FALSE(NearestAction("frobnicate"));

  CHECK(IsHeaderText("X-Tag: a"));
  CHECK(IsHeaderText("X-Tag :a"));
  CHECK(IsHeaderText("X-Tag:"));
  CHECK_FALSE(IsHeaderText(" X-Tag: a"));
  CHECK_FALSE(IsHeaderText("X Tag: a"));
  CHECK_FALSE(IsHeaderText(": a"));
  CHECK_FALSE(IsHeaderText("spam"));
  CHECK_FALSE(IsHeaderText("Caf\xc3\xa9: a"));

  CHECK(ArgumentProblem(CheckAction::kRedirect, "postmaster", true, "header_checks") ==
        "bad REDIRECT target \"postmaster\" in header_checks map -- need user@domain");
  CHECK(ArgumentProblem(CheckAction::kFilter, "", true, "body_checks") ==
        "missing FILTER command argument in body_checks map");
  CHECK(ArgumentProblem(CheckAction::kFilter, "x", true, "body_checks") ==
        "bad FILTER command x in body_checks -- need transport:destination");
  CHECK(ArgumentProblem(CheckAction::kPrepend, "spam", false, "body_checks") == std::nullopt);
  CHECK(ArgumentProblem(CheckAction::kReplace, "spam", true, "smtp_header_checks") ==
        "bad REPLACE header text \"spam\" in smtp_header_checks map -- need \"headername: headervalue\"");
  CHECK_FALSE(ArgumentProblem(CheckAction::kBcc, "a@b", true, "header_checks"));
}

TEST_CASE("table users: master.cf overrides, access tables, file-name guesses") {
  InputFile f;
  f.used_by = {"header_checks", "smtp/unix/smtp_header_checks", "smtpd_client_restrictions"};
  std::vector<TableUse> uses = TableUses(f);
  REQUIRE(uses.size() == 3);
  CHECK(uses[1].name == "smtp_header_checks");
  CHECK(uses[1].program == ChecksProgram::kSmtp);
  CHECK(uses[2].program == ChecksProgram::kOther);
  CHECK(ChecksUses(f).size() == 2);
  CHECK(JoinUseNames(ChecksUses(f)) == "header_checks and smtp/unix/smtp_header_checks");

  InputFile lone;
  lone.source = std::make_unique<Source>("x/outgoing_smtp_header_checks.pcre", "x/outgoing_smtp_header_checks.pcre", "");
  std::vector<TableUse> guessed = TableUses(lone);
  REQUIRE(guessed.size() == 1);
  CHECK(guessed[0].name == "smtp_header_checks");
  CHECK(guessed[0].guessed);
  InputFile other;
  other.source = std::make_unique<Source>("x/helo_access.pcre", "x/helo_access.pcre", "");
  CHECK(TableUses(other).empty());
}

TEST_CASE("PV301 groups runs and keeps every rule byte for byte") {
  std::string text =
      "# filters\n"
      "/^Subject:.*viagra/   REJECT one\n"
      "/^subject: .*cialis/i REJECT two\n"
      "# between\n"
      "/^SUBJECT:(a|b)/      REJECT three\n"
      "  continued\n"
      "/^From:.*x/ WARN four\n"
      "/^From:.*y/ WARN five\n"
      "/^From:.*z/ WARN six";
  Linted l = LintTable(text, FileKind::kRegexpTable, {"header_checks"}, "PV301");
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.diagnostics[0].message ==
        "3 rules in a row (lines 2-5) can match only Subject: header lines but are not grouped under if /^Subject:/");
  CHECK(Details(l)[0] == "header_checks tries each of them on every header line; inside if /^Subject:/ ... endif "
                         "every other header line costs one test instead of 3");
  CHECK(l.diagnostics[0].subject == "if /^Subject:/");
  CHECK(l.diagnostics[1].subject == "if /^From:/");
  CHECK(Fixed(l) ==
        "# filters\n"
        "if /^Subject:/\n"
        "/^Subject:.*viagra/   REJECT one\n"
        "/^subject: .*cialis/i REJECT two\n"
        "# between\n"
        "/^SUBJECT:(a|b)/      REJECT three\n"
        "  continued\n"
        "endif\n"
        "if /^From:/\n"
        "/^From:.*x/ WARN four\n"
        "/^From:.*y/ WARN five\n"
        "/^From:.*z/ WARN six\n"
        "endif\n");
}

TEST_CASE("PV301 threshold, scopes, directives and who uses the table") {
  std::string run = "/^To: a/ OK 1\n/^To: b/ OK 2\n/^To: c/ OK 3\n";
  CHECK(LintTable(run, FileKind::kPcreTable, {"smtp_header_checks"}, "PV301").diagnostics.size() == 1);
  ProjectConfig four;
  four.header_group_threshold = 4;
  CHECK(LintTable(run, FileKind::kPcreTable, {"header_checks"}, "PV301", four).diagnostics.empty());
  // Not for body checks or access tables.
  CHECK(LintTable(run, FileKind::kPcreTable, {"body_checks"}, "PV301").diagnostics.empty());
  CHECK(LintTable(run, FileKind::kPcreTable, {"check_recipient_access"}, "PV301").diagnostics.empty());
  // Already inside a header if; an inactive rule breaks the run.
  CHECK(LintTable("if /^To:/\n" + run + "endif\n", FileKind::kPcreTable, {"header_checks"}, "PV301")
            .diagnostics.empty());
  CHECK(LintTable("/^To: a/ OK 1\n/^To: (b/ OK 2\n/^To: c/ OK 3\n/^To: d/ OK 4\n", FileKind::kPcreTable,
                  {"header_checks"}, "PV301")
            .diagnostics.empty());
  // A directive above the first rule stays above it; CRLF files get CRLF.
  Linted d = LintTable("# postvet: disable=PV303\r\n/^To: a/ X 1\r\n/^To: b/ OK 2\r\n/^To: c/ OK 3\r\n",
                       FileKind::kRegexpTable, {"header_checks"}, "PV301");
  REQUIRE(d.diagnostics.size() == 1);
  CHECK(Fixed(d) == "if /^To:/\r\n# postvet: disable=PV303\r\n/^To: a/ X 1\r\n/^To: b/ OK 2\r\n/^To: c/ OK 3\r\nendif\r\n");
}

TEST_CASE("PV302 compile errors, unknown flags and dropped ifs") {
  Linted l = LintTable("/a(b/ REJECT x\n/x/q OK\nif /[z-a]/\n/y/ OK\nendif\n", FileKind::kRegexpTable,
                       {"smtpd_command_filter"}, "PV302");
  std::vector<std::string> m = Messages(l);
  std::vector<std::string> details = Details(l);
  REQUIRE(m.size() == 3);
  CHECK(m[0] == "/a(b/ does not compile with the C library's regcomp() (regexp: table)");
  CHECK(details[0] == "Postfix skips this rule (used by smtpd_command_filter)");
  CHECK(m[1] == "unknown flag \"q\" after /x/");
  CHECK(details[1] == "Postfix skips this rule (used by smtpd_command_filter); regexp tables know only i, m and x");
  CHECK(details[2].find("Postfix drops this if") != std::string::npos);
  CHECK(details[2].find("Postfix ignores that endif") != std::string::npos);
  // Postfix's own words stay in the located note.
  REQUIRE(l.diagnostics[0].notes.size() == 2);
  CHECK(l.diagnostics[0].notes[0].message.find("Postfix: regexp map d/t, line 1:") == 0);
  // PCRE syntax is fine in a pcre table.
  CHECK(LintTable("/(?<!x)y/ OK\n", FileKind::kPcreTable, {}, "PV302").diagnostics.empty());
  CHECK(LintTable("/(?<!x)y/ OK\n", FileKind::kRegexpTable, {}, "PV302").diagnostics.size() == 1);
}

TEST_CASE("PV303 per program, and never for other tables") {
  std::string text = "/a/ REJECT x\n/b/ prepend X-A: b\n/c/ PASS\n/d/ REJEKT\n/(e)/ $1\n/f/ strip\n";
  std::vector<std::string> cleanup = Messages(LintTable(text, FileKind::kPcreTable, {"header_checks"}, "PV303"));
  REQUIRE(cleanup.size() == 1);
  CHECK(cleanup[0] == "\"REJEKT\" is not an action of header_checks");
  CHECK(Details(LintTable(text, FileKind::kPcreTable, {"header_checks"}, "PV303"))[0] ==
        "cleanup(8) logs \"unknown command in header_checks map: REJEKT\" when a line matches and lets it pass "
        "unchanged | did you mean REJECT?");
  Linted smtp = LintTable(text, FileKind::kPcreTable, {"smtp/unix/smtp_header_checks"}, "PV303");
  REQUIRE(smtp.diagnostics.size() == 3);  // REJECT, PASS, REJEKT
  CHECK(Messages(smtp)[0] == "REJECT is not supported by smtp/unix/smtp_header_checks");
  CHECK(Details(smtp)[0].find("unsupported command in smtp_header_checks map: REJECT x") != std::string::npos);
  CHECK(Details(smtp)[0].find("smtp(8) understands WARN, INFO,") == 0);
  Linted milter = LintTable(text, FileKind::kPcreTable, {"milter_header_checks"}, "PV303");
  REQUIRE(milter.diagnostics.size() == 3);  // PREPEND, PASS, REJEKT
  CHECK(Details(milter)[0].find("prepend action is not implemented") != std::string::npos);
  CHECK(LintTable(text, FileKind::kPcreTable, {"check_client_access"}, "PV303").diagnostics.empty());
}

TEST_CASE("PV304 unbalanced and shifted endifs") {
  Linted l = LintTable("if /a/\nif /(/\n/x/ OK\nendif\n/y/ OK\nendif\nif /b/\n/z/ OK\n", FileKind::kRegexpTable, {},
                       "PV304");
  std::vector<std::string> m = Messages(l);
  std::vector<std::string> details = Details(l);
  REQUIRE(m.size() == 3);
  CHECK(m[0] == "this endif was written to close the if on line 2, which Postfix dropped");
  CHECK(details[0] == "Postfix uses it to close the if on line 1 instead, so the rules after line 4 no longer "
                      "depend on the test on line 1");
  CHECK(m[1] == "endif without a matching if");
  CHECK(details[1].find("already closed at line 4") != std::string::npos);
  CHECK(m[2] == "if /b/ has no endif");
  CHECK(details[2].find("Postfix warns \"IF has no matching ENDIF\"") == 0);
  CHECK(LintTable("if /a/\nif !/b/\n/x/ OK\nENDIF\nendif\n", FileKind::kPcreTable, {}, "PV304").diagnostics.empty());
}

TEST_CASE("PV305 duplicates: flags after toggling, delimiters, scopes") {
  std::string text =
      "/^a/ OK 1\n"
      "%^a%ii OK 2\n"        // same: flags cancel out, other delimiter
      "/^a/i OK 3\n"         // different flags
      "!/^a/ OK 4\n"         // negated
      "if /x/\n"
      "/^a/ OK 5\n"          // earlier one is in an outer scope: dead
      "/^b/ OK 6\n"
      "endif\n"
      "/^b/ OK 7\n"          // earlier one was inside an if: alive
      "/^c/!/d/ OK 8\n"
      "/^c/ OK 9\n"          // second pattern differs
      "/^c/!/d/ OK 10\n"
      "  more\n";
  Linted l = LintTable(text, FileKind::kRegexpTable, {}, "PV305");
  std::vector<uint32_t> lines;
  for (const Diagnostic& d : l.diagnostics) lines.push_back(d.location.source->Locate(d.location.begin).line);
  CHECK(lines == std::vector<uint32_t>{2, 6, 12});
  CHECK(Messages(l)[0] == "%^a%ii already appears on line 1 with the same flags");
  CHECK(Details(l)[0].find("this rule can never match (its result \"OK 2\" is never returned)") != std::string::npos);
  CHECK(Fixed(l) == "/^a/ OK 1\n/^a/i OK 3\n!/^a/ OK 4\nif /x/\n/^b/ OK 6\nendif\n/^b/ OK 7\n/^c/!/d/ OK 8\n/^c/ OK 9\n");
}

TEST_CASE("PV306 on main.cf and master.cf") {
  LintContext ctx("d", ProjectConfig{});
  ctx.AddFile(Source("d/main.cf", "d/main.cf",
                     "header_checks = regexp:/etc/postfix/h, proxy:btree:/etc/postfix/x\n"
                     "mine = lmdb:/etc/postfix/b\nbody_checks = ${mine}\n"
                     "smtpd_client_restrictions = check_client_access hash:/etc/postfix/a\n"),
              FileKind::kMainCf);
  ctx.AddFile(Source("d/master.cf", "d/master.cf",
                     "smtp unix - - n - - smtp\n  -o smtp_body_checks=texthash:/etc/postfix/c\n"),
              FileKind::kMasterCf);
  std::vector<Diagnostic> d = Lint(ctx, RuleFilter(ProjectConfig{}, {"PV306"}, {}));
  REQUIRE(d.size() == 3);
  auto at = [](const Diagnostic& x) { return std::string(x.location.source->Slice(x.location.begin, x.location.end)); };
  CHECK(at(d[0]) == "proxy:btree:/etc/postfix/x");
  CHECK(at(d[1]) == "${mine}");
  CHECK(at(d[2]) == "texthash:/etc/postfix/c");
  CHECK(d[2].message == "smtp/unix/smtp_body_checks names texthash:/etc/postfix/c, an indexed texthash: table");
  REQUIRE(d[2].notes.size() == 2);
  CHECK(d[2].notes[0].location.source == nullptr);
  CHECK(d[2].notes[0].message.find("every body line as one exact key") != std::string::npos);
  CHECK(d[2].notes[1].message == "checks need regexp: or pcre:");
}

TEST_CASE("PV307 and PV308 only for check tables") {
  std::string text = "/viagra/ REDIRECT postmaster\nif /^Subject:/\n/casino/ PREPEND spam\nendif\n";
  CHECK(LintTable(text, FileKind::kPcreTable, {"header_checks"}, "PV307").diagnostics.size() == 1);
  CHECK(LintTable(text, FileKind::kPcreTable, {"body_checks"}, "PV307").diagnostics.empty());
  CHECK(LintTable(text, FileKind::kPcreTable, {"check_sender_access"}, "PV307").diagnostics.empty());
  Linted missing = LintTable(text, FileKind::kPcreTable, {"header_checks"}, "PV308");
  REQUIRE(missing.diagnostics.size() == 2);
  CHECK(Messages(missing)[0] == "REDIRECT needs user@domain but has \"postmaster\" in header_checks");
  CHECK(Details(missing)[0] == "Postfix logs \"bad REDIRECT target \"postmaster\" in header_checks map -- need "
                               "user@domain\" for every matching line and skips the action");
  Linted unanchored = LintTable(text, FileKind::kPcreTable, {"header_checks"}, "PV307");
  REQUIRE(unanchored.diagnostics.size() == 1);
  CHECK(Messages(unanchored)[0] == "/viagra/ is not anchored at a header name");
  // In body checks PREPEND needs no header label.
  CHECK(LintTable(text, FileKind::kPcreTable, {"body_checks"}, "PV308").diagnostics.size() == 1);
  // REDIRECT is not an smtp_header_checks action: that is PV303, not PV308.
  CHECK(LintTable(text, FileKind::kPcreTable, {"smtp_header_checks"}, "PV308").diagnostics.size() == 1);
  CHECK(LintTable(text, FileKind::kPcreTable, {"check_sender_access"}, "PV308").diagnostics.empty());
}

}  // namespace
}  // namespace postvet
