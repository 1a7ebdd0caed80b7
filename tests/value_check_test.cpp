// Tests for CheckValue and the conversions behind it: fixed cases from the
// format spec (2.5, section 11 cases 30 and 31), and an oracle comparison
// with the installed Postfix: postmap(1) runs mail_params_init(), which
// converts and checks every global parameter exactly like the daemons, so
// its fatal message (or silence) is the expected CheckValue() result.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include <sys/wait.h>

#include "src/model/param_info.hpp"
#include "src/model/value_check.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

const ParamInfo& Param(const char* name) {
  const Result<ParamTable>& table = BuiltinParamTable();
  if (!table.ok()) FAIL(table.status().message());
  const ParamInfo* p = table->Find(name);
  if (p == nullptr) FAIL(std::string("no parameter ") + name);
  return *p;
}

std::optional<std::string> Check(const char* name, std::string_view value) {
  return CheckValue(Param(name), value);
}

TEST_CASE("strtol-style numbers") {
  CHECK(ConvertInt("50") == 50);
  CHECK(ConvertInt("+50") == 50);
  CHECK(ConvertInt("-5") == -5);
  CHECK(ConvertInt(" 7") == 7);  // strtol skips leading white space
  CHECK_FALSE(ConvertInt("7 ").has_value());
  CHECK_FALSE(ConvertInt("").has_value());
  CHECK_FALSE(ConvertInt("10abc").has_value());
  CHECK_FALSE(ConvertInt("0x10").has_value());
  CHECK_FALSE(ConvertInt("+").has_value());
  CHECK(ConvertInt("2147483647") == 2147483647);
  CHECK_FALSE(ConvertInt("2147483648").has_value());
  CHECK(ConvertLong("2147483648") == 2147483648L);
  CHECK(ConvertLong("-9223372036854775808").has_value());
  CHECK_FALSE(ConvertLong("9223372036854775808").has_value());
  CHECK_FALSE(ConvertLong("99999999999999999999").has_value());
  CHECK(ConvertInt(std::string_view("12\0x", 4)) == 12);  // a NUL ends a C string
}

TEST_CASE("booleans") {
  CHECK(ConvertBool("yes") == true);
  CHECK(ConvertBool("YES") == true);
  CHECK(ConvertBool("No") == false);
  CHECK_FALSE(ConvertBool("maybe").has_value());
  CHECK_FALSE(ConvertBool("yes ").has_value());
  CHECK_FALSE(ConvertBool("1").has_value());
  CHECK(Check("biff", "maybe") == "bad boolean configuration: biff = maybe");
  CHECK_FALSE(Check("smtputf8_enable", "Yes").has_value());
}

TEST_CASE("time values: one unit letter, only the first one looked at") {
  CHECK(ConvertTime("1h30m", 's') == 3600);  // spec case 30
  CHECK(ConvertTime("10ss", 's') == 10);
  CHECK(ConvertTime("10", 'd') == 864000);
  CHECK(ConvertTime("10", 's') == 10);
  CHECK(ConvertTime("2w", 's') == 1209600);
  CHECK(ConvertTime("s", 's') == 0);  // no digits: strtol gives 0, then the unit
  CHECK_FALSE(ConvertTime("10 s", 's').has_value());
  CHECK_FALSE(ConvertTime("10x", 's').has_value());
  CHECK_FALSE(ConvertTime("-1", 's').has_value());
  CHECK_FALSE(ConvertTime("", 's').has_value());
  CHECK_FALSE(ConvertTime("10S", 's').has_value());  // units are lower case only
  CHECK(ConvertTime("3549w", 's').has_value());
  CHECK_FALSE(ConvertTime("3550w", 's').has_value());  // overflows after scaling
  CHECK_FALSE(ConvertTime("2147483648", 's').has_value());
  CHECK_FALSE(Check("ipc_timeout", "1h30m").has_value());
  CHECK(Check("ipc_timeout", "10 s") == "parameter ipc_timeout: bad time value or unit: 10 s");
  CHECK(Check("smtpd_timeout", "0") == "invalid smtpd_timeout: 0 (min 1)");
  CHECK(Check("maximal_queue_lifetime", "101d") ==
        "invalid maximal_queue_lifetime: 8726400 (max 8640000)");
  CHECK_FALSE(Check("maximal_queue_lifetime", "100").has_value());  // unit d from the default
}

TEST_CASE("integers with bounds") {
  CHECK(Check("default_process_limit", "0") ==
        "invalid default_process_limit parameter value 0 < 1");  // spec case 31
  CHECK(Check("default_process_limit", "-5") ==
        "invalid default_process_limit parameter value -5 < 1");
  CHECK(Check("default_process_limit", "10abc") ==
        "bad numerical configuration: default_process_limit = 10abc");
  CHECK(Check("default_process_limit", "99999999999") ==
        "bad numerical configuration: default_process_limit = 99999999999");
  CHECK_FALSE(Check("default_process_limit", "5000").has_value());
  CHECK_FALSE(Check("default_process_limit", "+50").has_value());
  CHECK(Check("unverified_sender_reject_code", "600") ==
        "invalid unverified_sender_reject_code parameter value 600 > 599");
  CHECK(Check("smtpd_hard_error_limit", "x") ==
        "bad numerical configuration: smtpd_hard_error_limit = x");
  CHECK_FALSE(Check("message_size_limit", "99999999999").has_value());  // a long
}

TEST_CASE("strings, enums and compatibility levels") {
  CHECK(Check("myorigin", "") == "bad string length 0 < 1: myorigin = ");
  CHECK(Check("smtpd_expansion_filter", "") ==
        "bad string length (0 < 1): smtpd_expansion_filter = ");
  CHECK_FALSE(Check("smtpd_proxy_filter", "").has_value());
  CHECK(Check("smtpd_banner", "") == "bad string length 0 < 1: smtpd_banner = ");
  CHECK_FALSE(Check("inet_protocols", "ipv4, ipv6").has_value());
  CHECK(Check("inet_protocols", "IPv4") ==
        "unknown inet_protocols value \"IPv4\" in \"IPv4\"");
  CHECK(Check("mynetworks_style", "host subnet") ==
        "bad mynetworks_style value: host subnet; specify exactly one value");
  CHECK_FALSE(Check("mynetworks_style", "host host").has_value());
  CHECK_FALSE(Check("smtpd_tls_security_level", "MAY").has_value());
  CHECK_FALSE(Check("smtpd_tls_security_level", "").has_value());
  CHECK(Check("smtpd_tls_security_level", "dane") == "Invalid TLS level \"dane\"");
  CHECK_FALSE(Check("smtp_tls_security_level", "dane-only").has_value());
  CHECK(Check("smtp_dns_support_level", "dns") == "invalid smtp_dns_support_level: \"dns\"");
  CHECK_FALSE(Check("postscreen_dnsbl_action", "Enforce").has_value());
  CHECK(Check("postscreen_dnsbl_action", "reject") ==
        "bad postscreen_dnsbl_action value: reject");
  CHECK_FALSE(Check("compatibility_level", "3.6").has_value());
  CHECK_FALSE(Check("compatibility_level", "2").has_value());
  CHECK_FALSE(Check("compatibility_level", "3.6.1").has_value());
  CHECK(Check("compatibility_level", "3.x") == "malformed compatibility level syntax: \"3.x\"");
  CHECK_FALSE(IsCompatLevel("3."));
  CHECK_FALSE(IsCompatLevel("3.6.1.2"));
  CHECK_FALSE(IsCompatLevel("3.1024"));
  CHECK_FALSE(IsCompatLevel("-1"));
}

// postmap's fatal message for main.cf holding `line`, or nullopt.
std::optional<std::string> PostmapVerdict(const fs::path& dir, const std::string& line) {
  std::ofstream(dir / "main.cf") << line << "\n";
  fs::last_write_time(dir / "main.cf", fs::file_time_type::clock::now() - std::chrono::hours(1));
  std::string command = "postmap -c " + dir.string() + " -q x texthash:" +
                        (dir / "empty").string() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int status = pclose(pipe);
  // Exit 1 = "not found" (no fatal) or fatal; anything else means no postmap.
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 1);
  const std::string kFatal = "postmap: fatal: ";
  std::size_t at = out.find(kFatal);
  if (at == std::string::npos) return std::nullopt;
  std::size_t eol = out.find('\n', at);
  return out.substr(at + kFatal.size(), eol - at - kFatal.size());
}

TEST_CASE("CheckValue agrees with postmap on global parameters (oracle)") {
  char templ[] = "/tmp/postvet-value-XXXXXX";
  REQUIRE(mkdtemp(templ) != nullptr);
  fs::path dir = templ;
  std::ofstream(dir / "master.cf").close();
  std::ofstream(dir / "empty").close();
  fs::last_write_time(dir / "master.cf", fs::file_time_type::clock::now() - std::chrono::hours(1));
  struct Case {
    const char* name;
    const char* value;
  };
  const Case cases[] = {
      {"default_process_limit", "0"},    {"default_process_limit", "-5"},
      {"default_process_limit", "+50"},  {"default_process_limit", "10abc"},
      {"default_process_limit", "99999999999"}, {"default_process_limit", "5000"},
      {"line_length_limit", "100"},      {"line_length_limit", "2048"},
      {"hash_queue_depth", "0"},         {"fork_attempts", "x"},
      {"ipc_timeout", "1h30m"},          {"ipc_timeout", "10 s"},
      {"ipc_timeout", "10x"},            {"ipc_timeout", "10ss"},
      {"ipc_timeout", "0"},              {"ipc_timeout", "s"},
      {"ipc_timeout", "-1"},             {"ipc_timeout", "3549w"},
      {"ipc_timeout", "3550w"},          {"ipc_timeout", "100"},
      {"max_idle", "2d"},                {"application_event_drain_time", "0s"},
      {"message_size_limit", "99999999999"},
      {"message_size_limit", "99999999999999999999"},
      {"message_size_limit", "10M"},     {"queue_minfree", "-1"},
      {"soft_bounce", "maybe"},          {"soft_bounce", "YES"},
      {"disable_dns_lookups", "no"},     {"smtputf8_enable", "perhaps"},
      {"myorigin", ""},                  {"mail_name", ""},
      {"inet_protocols", "ipv5"},        {"inet_protocols", "IPV4"},
      {"inet_protocols", "ipv4, ipv6"},  {"inet_protocols", "all"},
      {"mynetworks_style", "Host"},      {"mynetworks_style", "host subnet"},
      {"mynetworks_style", "host host"}, {"mynetworks_style", "class"},
      {"compatibility_level", "3.x"},    {"compatibility_level", ""},
      {"compatibility_level", "3.6.1"},  {"compatibility_level", "3.6.1.2"},
      {"compatibility_level", "3.7"},
  };
  for (const Case& c : cases) {
    std::string line = std::string(c.name) + " = " + c.value;
    INFO(line);
    CHECK(Check(c.name, c.value) == PostmapVerdict(dir, line));
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace postvet
