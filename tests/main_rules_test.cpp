// Tests of the main.cf rules PV101-PV107 and their helpers, run through the
// engine on in-memory main.cf (and master.cf) files: which names postconf
// counts as used, positions inside continued values, fixes and when they
// are withheld, target versions, stress, loops through defaults.
#include <catch2/catch.hpp>

#include <algorithm>

#include "rules/registry.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/engine/engine.hpp"
#include "src/fix/edits.hpp"
#include "src/config/lint_context.hpp"

namespace postvet {
namespace {

struct Linted {
  std::unique_ptr<LintContext> ctx;
  std::vector<Diagnostic> diagnostics;

  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) out.push_back(d.message);
    return out;
  }
  /// Each finding's message followed by its notes (docs/messages.md: facts beyond
  /// the defect are in detail notes), separated by " | ".
  std::vector<std::string> Said() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) {
      std::string text = d.message;
      for (const Note& n : d.notes) text += " | " + n.message;
      out.push_back(std::move(text));
    }
    return out;
  }
  /// The bytes each finding underlines.
  std::vector<std::string> Spans() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) {
      out.emplace_back(d.location.source->Slice(d.location.begin, d.location.end));
    }
    return out;
  }
  /// main.cf after applying every fix (unsafe ones too).
  std::string Fixed(size_t file = 0) const {
    const Source& src = *ctx->files().at(file)->source;
    for (const FileFix& f : PlanFixes(diagnostics, FixPolicy{true})) {
      if (f.source == &src) return ApplyEdits(src.text(), f.edits);
    }
    return std::string(src.text());
  }
};

Linted Run(const std::string& rule, const std::string& main_cf, const std::string* master_cf = nullptr,
           const std::string& version = "3.7") {
  Linted out;
  ProjectConfig config;
  config.postfix_version = version;
  out.ctx = std::make_unique<LintContext>("d", config);
  out.ctx->AddFile(Source("d/main.cf", "d/main.cf", main_cf), FileKind::kMainCf);
  if (master_cf != nullptr) out.ctx->AddFile(Source("d/master.cf", "d/master.cf", *master_cf), FileKind::kMasterCf);
  out.diagnostics = Lint(*out.ctx, RuleFilter(config, {rule}, {}));
  return out;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

size_t LocatedNotes(const Diagnostic& d) {
  return static_cast<size_t>(
      std::count_if(d.notes.begin(), d.notes.end(), [](const Note& n) { return n.location.source != nullptr; }));
}

const std::string kStockMaster =
    "smtp      inet  n       -       y       -       -       smtpd\n"
    "relay     unix  -       -       y       -       -       smtp\n"
    "maildrop  unix  -       n       n       -       -       pipe\n"
    "  flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}\n";

TEST_CASE("PV101: unused names as postconf sees them") {
  const std::string master = kStockMaster + "submission inet n - y - - smtpd -o smtpd_timeout=${via_master}s\n";
  Linted l = Run("PV101",
                 "smtpd_helo_requried = yes\n"
                 "office = 192.0.2.0/24\n"            // used below: a user variable
                 "mynetworks = 127.0.0.0/8 $office\n"
                 "via_master = 10\n"                  // used by a master.cf -o value
                 "relay_destination_concurrency_limit = 2\n"  // service-derived
                 "nosuch_destination_concurrency_limit = 2\n"  // no such service
                 "process_name = x\n"                 // read-only: postconf's own warning
                 "virtual_maps = hash:/x\n"           // PV105's
                 "program_directory = /usr/lib\n"     // removed long ago
                 "use_srv_lookup = submission\n",     // too new for 3.7
                 &master);
  std::vector<std::string> spans = l.Spans();
  CHECK(spans == std::vector<std::string>{"smtpd_helo_requried", "nosuch_destination_concurrency_limit",
                                          "program_directory", "use_srv_lookup"});
  std::vector<std::string> m = l.Said();
  REQUIRE(m.size() == 4);
  CHECK(l.Messages()[0] == "\"smtpd_helo_requried\" is not a Postfix 3.7 parameter and nothing uses it as "
                           "$smtpd_helo_requried");
  CHECK(Contains(m[0], "| Postfix ignores this setting (postconf: \"unused parameter\") | did you mean "
                       "\"smtpd_helo_required\"?"));
  CHECK(Contains(m[1], "master.cf service \"nosuch\", but master.cf defines none"));
  CHECK(Contains(m[2], "removed in Postfix 2.1"));
  CHECK(Contains(m[3], "needs Postfix ≥ 3.8 (the target is Postfix 3.7)"));
  for (const Diagnostic& d : l.diagnostics) CHECK_FALSE(d.fix.has_value());
}

TEST_CASE("PV101: the target version decides, and no master.cf means no service guesses") {
  CHECK(Run("PV101", "use_srv_lookup = submission\n", nullptr, "3.10").diagnostics.empty());
  CHECK(Run("PV101", "smtputf8_enable = no\n", nullptr, "3.0").diagnostics.empty());
  Linted old = Run("PV101", "smtputf8_enable = no\n", nullptr, "2.11");
  REQUIRE(old.diagnostics.size() == 1);
  CHECK(old.diagnostics[0].message == "\"smtputf8_enable\" needs Postfix ≥ 3.0 (the target is Postfix 2.11)");
  CHECK(Contains(old.Said()[0], "Postfix 2.11 ignores this setting"));
  // Without master.cf, a name shaped like a service-derived one is not guessed at.
  CHECK(Run("PV101", "dovecot_destination_recipient_limit = 1\n").diagnostics.empty());
  // With one, a service that takes no such setting is named.
  const std::string master = "foo unix - - n - - smtpd\n";
  Linted wrong = Run("PV101", "foo_destination_recipient_limit = 1\n", &master);
  REQUIRE(wrong.diagnostics.size() == 1);
  CHECK(Contains(wrong.Said()[0], "service \"foo\" runs \"smtpd\", which takes no such setting"));
}

TEST_CASE("PV101: where postconf would stop early, any $name use counts") {
  // postconf dies at smtpd_banner (a macro error) before it validates b.
  Linted l = Run("PV101", "a = x\nsmtpd_banner = ${oops\nb = 1\nrelay_domains = $b\n");
  CHECK(l.Spans() == std::vector<std::string>{"a"});
}

TEST_CASE("PV102: each earlier definition, whole logical lines deleted") {
  Linted l = Run("PV102",
                 "# keep this comment\n"
                 "a = 1\n"
                 "  continued\n"
                 "# inside\n"
                 "  more\n"
                 "b = x\n"
                 "a = 2\n"
                 "a = 2\n");
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(Contains(l.diagnostics[0].message, "defined again on line 7"));
  CHECK(Contains(l.diagnostics[1].message, "same value"));
  CHECK(l.diagnostics[0].notes.at(0).message == "overridden by the definition here");
  CHECK(l.Fixed() == "# keep this comment\nb = x\na = 2\n");
  // The last line without LF.
  CHECK(Run("PV102", "a = 1\na = 2").Fixed() == "a = 2");
}

TEST_CASE("PV103: the reference inside the value, through continuation lines") {
  Linted l = Run("PV103",
                 "relay_domains = example.org,\n"
                 "# a comment between continuation lines\n"
                 "\t${undefd}, $$literal\n"
                 "smtpd_banner = ${nosuch?set} ESMTP\n"
                 "smtpd_reject_footer = $raw_is_not_expanded\n"
                 "smtpd_restriction_classes = known_class, missing_class\n"
                 "known_class = permit\n");
  CHECK(l.Spans() == std::vector<std::string>{"undefd", "nosuch", "missing_class"});
  std::vector<std::string> m = l.Said();
  REQUIRE(m.size() == 3);
  CHECK(Contains(m[1], "always false"));
  CHECK(Contains(m[2], "restriction class `missing_class' needs a definition"));
  // Defined in a master.cf -o: postconf calls it defined.
  std::string master = "smtp inet n - y - - smtpd -o undefd=1\n";
  CHECK(Run("PV103", "relay_domains = $undefd\n", &master).diagnostics.empty());
}

TEST_CASE("PV104: stress-dependent defaults replaced by fixed values") {
  Linted l = Run("PV104",
                 "smtpd_timeout = 120s\n"
                 "smtpd_hard_error_limit = 1\n"                           // the overload value already
                 "smtpd_junk_command_limit = ${stress?{1}:{50}}\n"       // adapts
                 "smtpd_starttls_timeout = 300}\n"                       // wrapping would not round-trip
                 "postscreen_greet_wait = $my_wait\n"
                 "my_wait = 4s\n");
  CHECK(l.Spans() == std::vector<std::string>{"120s", "300}", "$my_wait"});
  REQUIRE(l.diagnostics.size() == 3);
  CHECK(l.diagnostics[0].fix.has_value());
  CHECK(l.diagnostics[0].fix->applicability == Applicability::kUnsafe);
  CHECK_FALSE(l.diagnostics[1].fix.has_value());
  CHECK(Contains(l.Fixed(), "smtpd_timeout = ${stress?{10s}:{120s}}\n"));
  CHECK(Contains(l.Fixed(), "postscreen_greet_wait = ${stress?{2s}:{$my_wait}}\n"));
  CHECK(Contains(l.Fixed(), "smtpd_starttls_timeout = 300}\n"));
  // A continued value: only text before and after the value bytes.
  CHECK(Run("PV104", "smtpd_timeout =\n  120s\n").Fixed() == "smtpd_timeout =\n  ${stress?{10s}:{120s}}\n");
}

TEST_CASE("PV105: renames are fixed only where they keep the configuration") {
  Linted l = Run("PV105",
                 "virtual_maps = hash:/x\n"
                 "smtpd_use_tls = yes\n"
                 "postscreen_blacklist_action = drop\n"
                 "postscreen_denylist_action = enforce\n"       // the new name is set too
                 "fallback_relay = [relay.example]\n"
                 "other = $fallback_relay\n"                      // the old name is used
                 "smtpd_restriction_classes = strict\n"
                 "strict = reject_unknown_hostname\n"
                 "smtpd_client_restrictions = permit_mynetworks, reject_unknown_client\n");
  std::vector<std::string> spans = l.Spans();
  CHECK(spans == std::vector<std::string>{"virtual_maps", "smtpd_use_tls", "postscreen_blacklist_action",
                                          "fallback_relay", "reject_unknown_hostname", "reject_unknown_client"});
  std::string fixed = l.Fixed();
  CHECK(Contains(fixed, "virtual_alias_maps = hash:/x\n"));
  CHECK(Contains(fixed, "smtpd_use_tls = yes\n"));
  CHECK(Contains(fixed, "postscreen_blacklist_action = drop\n"));
  CHECK(Contains(fixed, "fallback_relay = [relay.example]\n"));
  CHECK(Contains(fixed, "strict = reject_unknown_helo_hostname\n"));
  CHECK(Contains(fixed, "permit_mynetworks, reject_unknown_client_hostname\n"));
  // A master.cf -o restriction list, and an old target that still had the name.
  std::string master = "submission inet n - y - - smtpd -o smtpd_helo_restrictions=reject_invalid_hostname\n";
  Linted m = Run("PV105", "", &master);
  CHECK(m.Spans() == std::vector<std::string>{"reject_invalid_hostname"});
  CHECK(Run("PV105", "smtpd_client_restrictions = reject_unknown_client\n", nullptr, "2.2").diagnostics.empty());
}

TEST_CASE("PV106: values converted as the daemons do, in their scope") {
  std::string master =
      "smtp inet n - y - - smtpd\n"
      "submission inet n - y - - smtpd -o smtpd_timeout=$sub_timeout -o smtpd_tls_security_level=required\n";
  Linted l = Run("PV106",
                 "smtpd_timeout = 30x\n"
                 "sub_timeout = 1z\n"
                 "smtpd_hard_error_limit = ${stress?{many}:{20}}\n"  // broken under stress only
                 "smtpd_helo_required = maybe\n"
                 "message_size_limit = 10240000\n"
                 "smtpd_reject_footer = $not expanded\n",
                 &master);
  std::vector<std::string> m = l.Said();
  REQUIRE(m.size() == 5);
  CHECK(Contains(m[0], "parameter smtpd_timeout: bad time value or unit: 30x"));
  CHECK(Contains(m[1], "bad numerical configuration: smtpd_hard_error_limit = many"));
  CHECK(Contains(m[1], "under stress"));
  CHECK(Contains(m[2], "bad boolean configuration: smtpd_helo_required = maybe"));
  CHECK(Contains(m[3], "bad time value or unit: 1z"));
  CHECK(Contains(m[3], "of service submission/inet"));
  CHECK(Contains(m[4], "Invalid TLS level"));
  CHECK(l.Spans()[3] == "$sub_timeout");
  CHECK(LocatedNotes(l.diagnostics[3]) == 1);  // where sub_timeout is set
  CHECK(l.diagnostics[3].notes.front().location.source != nullptr);  // located notes first
  CHECK(l.Messages()[0] == "\"30x\" is not a valid value for smtpd_timeout");
}

TEST_CASE("PV107: loops, loops through defaults, tests that are no loops, depth") {
  Linted l = Run("PV107",
                 "a = x $b\n"
                 "b = $c\n"
                 "c = ${a}\n"
                 "user = $a\n"                      // reaches the loop: not a second finding
                 "self = $self\n"
                 "myhostname = mail.$myorigin\n");  // myorigin defaults to $myhostname
  CHECK(l.Spans() == std::vector<std::string>{"b", "self", "myorigin"});
  std::vector<std::string> m = l.Said();
  REQUIRE(m.size() == 3);
  CHECK(l.Messages()[0] == "expansion loop a -> $b -> $c -> $a");
  CHECK(LocatedNotes(l.diagnostics[0]) == 2);
  CHECK(Contains(m[1], "refers to itself"));
  CHECK(Contains(m[2], "myorigin is not set in main.cf"));

  CHECK(Run("PV107", "mydomain = ${myhostname?example.org}\nmyhostname = mail.$mydomain\n").diagnostics.empty());
  CHECK(Run("PV107", "a = ${stress?{$a}:{x}}\n").diagnostics.empty());  // the branch taken ends

  std::string chain;
  for (int i = 0; i < 150; ++i) chain += "p" + std::to_string(i) + " = $p" + std::to_string(i + 1) + "\n";
  Linted deep = Run("PV107", chain);
  REQUIRE(deep.diagnostics.size() == 1);
  CHECK(deep.Spans()[0] == "p1");
  CHECK(Contains(deep.diagnostics[0].message, "deeper than Postfix allows"));
}

// 3^10 = 59,049 entries: past kMaxListEntries.
std::string FanOut(int levels, const std::string& list) {
  std::string text = "a0 = reject_rbl_client zen.spamhaus.org\n";
  for (int i = 1; i <= levels; ++i) {
    text += "a" + std::to_string(i) + " = $a" + std::to_string(i - 1) + ",$a" + std::to_string(i - 1) + ", ${a" +
            std::to_string(i - 1) + "}\n";
  }
  return text + list + " = $a" + std::to_string(levels) + "\n";
}

TEST_CASE("PV108: a list multiplied past the bounds; PV601 gives no verdict on it") {
  const std::string big = FanOut(10, "smtpd_recipient_restrictions");
  Linted l = Run("PV108", big);
  REQUIRE(l.diagnostics.size() == 1);
  const Diagnostic& d = l.diagnostics[0];
  LineCol at = d.location.source->Locate(d.location.begin);
  CHECK(at.line == 12);
  CHECK(at.column == 32);
  CHECK(l.Spans() == std::vector<std::string>{"$a10"});
  CHECK(d.message == "the `$name` references in smtpd_recipient_restrictions multiply the list past 20000 entries");
  CHECK(l.Said()[0] == d.message +
                           " | postvet stopped expanding after 20000; Postfix expands all of it in every process that "
                           "uses it | rules that need the whole list are not applied to it");
  // Not one reject_unauth_destination among the first 20,000 entries, but
  // the rest is unknown: PV601 must not claim smtpd refuses to start.
  CHECK(Run("PV601", big).diagnostics.empty());
  // 3^8 = 6,561 entries fit: no PV108, and PV601 does judge the whole list.
  const std::string small = FanOut(8, "smtpd_recipient_restrictions");
  CHECK(Run("PV108", small).diagnostics.empty());
  CHECK(Run("PV601", small).diagnostics.size() == 1);
  // Parameters postvet does not walk as lists are not its business.
  CHECK(Run("PV108", FanOut(10, "smtpd_banner")).diagnostics.empty());
}

}  // namespace
}  // namespace postvet
