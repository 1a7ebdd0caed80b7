// Tests for the parameter knowledge tables: the embedded data is well formed,
// agrees with the installed Postfix 3.7 (`postconf -d`, the oracle), and the
// type, version and obsolete-name lookups give the documented answers.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "src/model/param_info.hpp"
#include "src/model/value_check.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

const ParamTable& Table() {
  const Result<ParamTable>& table = BuiltinParamTable();
  if (!table.ok()) FAIL(table.status().message());
  return *table;
}

PostfixVersion V(const char* text) {
  std::optional<PostfixVersion> v = PostfixVersion::Parse(text);
  REQUIRE(v.has_value());
  return *v;
}

std::string Run(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  *status = pclose(pipe);
  return out;
}

// `postconf -c DIR OPTION` over an empty main.cf and master.cf, parsed into
// name -> value. Fails the test when postconf is missing or fails.
std::map<std::string, std::string> PostconfDefaults(const std::string& option) {
  char templ[] = "/tmp/postvet-param-XXXXXX";
  REQUIRE(mkdtemp(templ) != nullptr);
  fs::path dir = templ;
  for (const char* name : {"main.cf", "master.cf"}) {
    std::ofstream(dir / name).close();
    // Backdated, or Postfix re-reads a "hot" file (spec: testing artifact).
    fs::last_write_time(dir / name, fs::file_time_type::clock::now() - std::chrono::hours(1));
  }
  int status = 0;
  std::string out = Run("postconf -c " + dir.string() + " " + option + " 2>/dev/null", &status);
  fs::remove_all(dir);
  REQUIRE(status == 0);
  std::map<std::string, std::string> values;
  std::size_t pos = 0;
  while (pos < out.size()) {
    std::size_t eol = out.find('\n', pos);
    if (eol == std::string::npos) eol = out.size();
    std::string line = out.substr(pos, eol - pos);
    pos = eol + 1;
    std::size_t eq = line.find(" =");
    if (eq == std::string::npos) continue;
    std::string value = line.substr(eq + 2);
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    values[line.substr(0, eq)] = value;
  }
  REQUIRE(values.size() > 500);  // postconf really ran
  return values;
}

TEST_CASE("the embedded tables load and are large enough") {
  const ParamTable& table = Table();
  CHECK(table.params().size() > 850);
  CHECK(table.obsolete().size() > 40);
}

TEST_CASE("every postconf -d name of the installed 3.7 is known in 3.7, and only those") {
  std::map<std::string, std::string> defaults = PostconfDefaults("-d");
  const ParamTable& table = Table();
  for (const auto& [name, value] : defaults) {
    INFO(name);
    REQUIRE(table.Find(name) != nullptr);
    CHECK(table.IsKnownIn(name, V("3.7")));
  }
  for (std::string_view name : table.NamesKnownIn(V("3.7"))) {
    // postconf accepts its legacy names silently but does not list them.
    if (table.Find(name)->notes.find("legacy name") != std::string::npos) continue;
    INFO(name);
    CHECK(defaults.count(std::string(name)) == 1);
  }
}

TEST_CASE("every 3.7 default value passes the check for its declared type") {
  // The oracle: the daemons accept their own defaults, so a wrong type,
  // unit, bound or enum list in the table shows up here.
  std::map<std::string, std::string> expanded = PostconfDefaults("-dx");
  const ParamTable& table = Table();
  for (const auto& [name, value] : expanded) {
    const ParamInfo* info = table.Find(name);
    REQUIRE(info != nullptr);
    // Host-dependent defaults and names postconf derives without a type.
    if (name == "process_id" || name == "mydomain" || name == "myhostname") continue;
    // virtual(8) requires a non-empty value and is not used by default.
    if (name == "virtual_mailbox_base") {
      CHECK(CheckValue(*info, value) ==
            "bad string length 0 < 1: virtual_mailbox_base = ");
      continue;
    }
    INFO(name << " = " << value << " (" << ParamTypeName(info->type) << ")");
    CHECK_FALSE(CheckValue(*info, value).has_value());
  }
}

TEST_CASE("the stress-dependent parameters are exactly those whose default says stress") {
  std::map<std::string, std::string> defaults = PostconfDefaults("-d");
  std::set<std::string> from_postconf;
  for (const auto& [name, value] : defaults) {
    if (name != "stress" && value.find("stress") != std::string::npos) from_postconf.insert(name);
  }
  std::set<std::string> from_table;
  for (const ParamInfo* p : Table().StressDependent()) {
    if (p->name != "smtpd_per_record_deadline") from_table.insert(p->name);
  }
  CHECK(from_table == from_postconf);
  // Spec 8.2's list, including the 2.9-3.6 legacy name.
  for (const char* name :
       {"smtpd_timeout", "smtpd_hard_error_limit", "smtpd_junk_command_limit",
        "address_verify_poll_count", "smtpd_starttls_timeout", "postscreen_greet_wait",
        "postscreen_command_time_limit", "smtpd_per_request_deadline",
        "smtpd_per_record_deadline"}) {
    INFO(name);
    const ParamInfo* p = Table().Find(name);
    REQUIRE(p != nullptr);
    CHECK(p->stress_default);
  }
  CHECK_FALSE(Table().Find("smtpd_soft_error_limit")->stress_default);
}

TEST_CASE("types, units and bounds of well-known parameters") {
  const ParamTable& table = Table();
  auto type_of = [&](const char* name) {
    const ParamInfo* p = table.Find(name);
    REQUIRE(p != nullptr);
    return ParamTypeName(p->type);
  };
  CHECK(type_of("smtpd_timeout") == "time");
  CHECK(table.Find("smtpd_timeout")->time_unit == 's');
  CHECK(table.Find("smtpd_timeout")->min == 1);
  CHECK(type_of("maximal_queue_lifetime") == "time");
  CHECK(table.Find("maximal_queue_lifetime")->time_unit == 'd');
  CHECK(table.Find("maximal_queue_lifetime")->max == 8640000);
  CHECK(table.Find("address_verify_cache_cleanup_interval")->time_unit == 'h');
  CHECK(type_of("default_process_limit") == "int");
  CHECK(table.Find("default_process_limit")->min == 1);
  CHECK_FALSE(table.Find("default_process_limit")->max.has_value());
  CHECK(table.Find("line_length_limit")->min == 512);
  CHECK(type_of("message_size_limit") == "size");
  CHECK(type_of("queue_minfree") == "size");
  CHECK(type_of("biff") == "bool");
  CHECK(type_of("smtpd_hard_error_limit") == "nint");
  CHECK(type_of("smtputf8_enable") == "nbool");
  CHECK(type_of("smtpd_recipient_restrictions") == "list");
  CHECK(type_of("postscreen_dnsbl_sites") == "list");
  CHECK(type_of("mynetworks") == "list");
  CHECK(type_of("postscreen_whitelist_interfaces") == "list");  // as its new name
  CHECK(type_of("alias_maps") == "maps");
  CHECK(type_of("header_checks") == "maps");
  CHECK(type_of("mailbox_command") == "raw");
  CHECK(type_of("smtpd_banner") == "string");
  CHECK(type_of("compatibility_level") == "level");
  CHECK(type_of("inet_protocols") == "enum");
  CHECK(table.Find("inet_protocols")->enum_is_mask);
  CHECK(table.Find("inet_protocols")->enum_values ==
        std::vector<std::string>{"ipv4", "ipv6", "all"});
  CHECK(type_of("mynetworks_style") == "enum");
  CHECK(table.Find("mynetworks_style")->enum_values ==
        std::vector<std::string>{"host", "subnet", "class"});
  CHECK(type_of("smtp_tls_security_level") == "enum");
  CHECK(type_of("postscreen_dnsbl_action") == "enum");
  CHECK(table.Find("myorigin")->min == 1);
  CHECK(table.Find("unverified_sender_reject_code")->min == 200);
  CHECK(table.Find("unverified_sender_reject_code")->max == 599);
}

TEST_CASE("versions parse and compare as major.minor") {
  CHECK(V("3.10") > V("3.9"));
  CHECK(V("3.7.11") == V("3.7"));
  CHECK(V("2.0") < V("2.11"));
  CHECK(V("3.7").ToString() == "3.7");
  CHECK_FALSE(PostfixVersion::Parse("3").has_value());
  CHECK_FALSE(PostfixVersion::Parse("3.").has_value());
  CHECK_FALSE(PostfixVersion::Parse("3.7x").has_value());
  CHECK_FALSE(PostfixVersion::Parse("3.7.1.2").has_value());
  CHECK_FALSE(PostfixVersion::Parse("").has_value());
  CHECK_FALSE(PostfixVersion::Parse("-1.2").has_value());
}

TEST_CASE("availability by version") {
  const ParamTable& table = Table();
  CHECK(table.AvailabilityIn("smtpd_per_request_deadline", V("3.6")) == Availability::kTooNew);
  CHECK(table.AvailabilityIn("smtpd_per_request_deadline", V("3.7")) == Availability::kKnown);
  CHECK(table.Find("smtpd_per_request_deadline")->since == V("3.7"));
  CHECK(table.Find("postscreen_allowlist_interfaces")->since == V("3.6"));
  CHECK(table.AvailabilityIn("postscreen_allowlist_interfaces", V("3.5")) ==
        Availability::kTooNew);
  CHECK(table.Find("smtpd_forbid_unauth_pipelining")->since == V("3.5"));  // stable backport
  CHECK(table.AvailabilityIn("smtpd_relay_restrictions", V("2.9")) == Availability::kTooNew);
  CHECK(table.AvailabilityIn("smtpd_relay_restrictions", V("2.10")) == Availability::kKnown);
  CHECK(table.AvailabilityIn("tls_dane_digest_agility", V("3.3")) == Availability::kKnown);
  CHECK(table.AvailabilityIn("tls_dane_digest_agility", V("3.4")) == Availability::kRemoved);
  CHECK(table.AvailabilityIn("no_such_parameter", V("3.7")) == Availability::kUnknown);
  CHECK(table.AvailabilityIn("MyHostname", V("3.7")) == Availability::kUnknown);
  CHECK(table.IsKnownIn("myhostname", V("2.0")));
  CHECK(table.IsKnownIn("full_name_encoding_charset", V("3.10")));
  CHECK_FALSE(table.IsKnownIn("full_name_encoding_charset", V("3.9")));
  // Renamed names that postconf 3.7 still accepts stay known there.
  CHECK(table.IsKnownIn("smtpd_per_record_deadline", V("3.7")));
  CHECK(table.IsKnownIn("postscreen_whitelist_interfaces", V("3.7")));
}

TEST_CASE("renames and obsolete names") {
  const ParamTable& table = Table();
  const ParamInfo* old_name = table.Find("postscreen_whitelist_interfaces");
  REQUIRE(old_name != nullptr);
  CHECK(old_name->renamed_to == "postscreen_allowlist_interfaces");
  CHECK(old_name->deprecated == V("3.6"));
  CHECK(table.Find("smtpd_per_record_deadline")->renamed_to == "smtpd_per_request_deadline");
  CHECK(table.Find("smtpd_per_record_deadline")->deprecated == V("3.7"));

  const ObsoleteInfo* p = table.FindObsoleteParameter("postscreen_blacklist_action");
  REQUIRE(p != nullptr);
  CHECK(p->rename_fix);
  CHECK(p->replacement == "postscreen_denylist_action");
  CHECK(p->ObsoleteIn(V("3.6")));
  CHECK_FALSE(p->ObsoleteIn(V("3.5")));
  CHECK_FALSE(p->RemovedIn(V("3.10")));

  const ObsoleteInfo* tls = table.FindObsoleteParameter("smtpd_use_tls");
  REQUIRE(tls != nullptr);
  CHECK_FALSE(tls->rename_fix);  // yes means "may": not a plain rename
  CHECK(tls->replacement == "smtpd_tls_security_level");
  CHECK(table.FindObsoleteParameter("SMTPD_USE_TLS") == nullptr);
  CHECK(table.FindObsoleteParameter("smtpd_tls_security_level") == nullptr);

  const ObsoleteInfo* rbl = table.FindObsoleteRestriction("Reject_Maps_RBL");
  REQUIRE(rbl != nullptr);
  CHECK(rbl->kind == ObsoleteInfo::Kind::kRestriction);
  CHECK(rbl->deprecated == V("2.1"));
  CHECK(rbl->RemovedIn(V("3.9")));
  CHECK_FALSE(rbl->RemovedIn(V("3.8")));
  const ObsoleteInfo* helo = table.FindObsoleteRestriction("reject_unknown_hostname");
  REQUIRE(helo != nullptr);
  CHECK(helo->rename_fix);
  CHECK(helo->replacement == "reject_unknown_helo_hostname");
  CHECK(table.FindObsoleteRestriction("check_relay_domains") != nullptr);
  CHECK(table.FindObsoleteRestriction("permit_naked_ip_address") != nullptr);
  CHECK(table.FindObsoleteRestriction("reject_rbl_client") == nullptr);
  CHECK(table.FindObsoleteParameter("maps_rbl_domains") != nullptr);
}

TEST_CASE("malformed tables are refused with the file and line") {
  const std::string header =
      "name\ttype\tunit\tmin\tmax\tenum\tsince\tremoved\tdeprecated\trenamed_to\t"
      "stress_default\tnotes\n";
  const std::string obsolete = "name\tkind\tdeprecated\tremoved\treplacement\tfix\tnotes\n";
  auto parse = [&](const std::string& params) {
    return ParamTable::Parse(params, "p.tsv", obsolete, "o.tsv");
  };
  CHECK(parse(header + "a\tint\t-\t1\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  Result<ParamTable> bad = parse(header + "a\tint\t-\t1\t-\t-\t2.0\t-\t-\t-\t-\n");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "p.tsv:2: expected 12 fields, found 11");
  CHECK_FALSE(parse("name\ttype\n").ok());
  CHECK_FALSE(parse(header + "a\tfloat\t-\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\ttime\tx\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tint\ts\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tint\t-\tone\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tint\t-\t-\t-\t-\t2.x\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tint\t-\t-\t-\t-\t3.0\t2.0\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tenum\t-\t-\t-\tx\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "b\tint\t-\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n"
                             "a\tint\t-\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n").ok());
  CHECK_FALSE(parse(header + "a\tint\t-\t-\t-\t-\t2.0\t-\t3.0\tnew\t-\t-\n").ok());
  CHECK_FALSE(ParamTable::Parse(header + "a\tint\t-\t-\t-\t-\t2.0\t-\t-\t-\t-\t-\n", "p.tsv",
                                obsolete + "zz\tparameter\t2.0\t-\ta\trename\t-\n", "o.tsv")
                   .ok());
}

}  // namespace
}  // namespace postvet
