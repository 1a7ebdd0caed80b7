// Tests for src/model/name_suggester: the distance, the typo budget by
// length, tie-breaking and the two work limits.
#include "src/model/name_suggester.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace postvet {
namespace {

TEST_CASE("NameSuggester: typos within a length-dependent budget") {
  NameSuggester s({"myhostname", "mydomain", "smtpd_helo_required", "smtpd_recipient_limit",
                   "smtpd_recipient_restrictions"},
                  {});
  CHECK(s.Nearest("smtpd_helo_requried") == "smtpd_helo_required");  // one swap
  CHECK(s.Nearest("myhostnme") == "myhostname");
  CHECK(s.Nearest("smtpd_recipient_restriction") == "smtpd_recipient_restrictions");
  CHECK(s.Nearest("mydomian") == "mydomain");
  CHECK(s.Nearest("mydomain").empty());  // itself is no suggestion
  CHECK(s.Nearest("foo").empty());       // too short to guess
  CHECK(s.Nearest("completely_different").empty());
  CHECK(s.Nearest("").empty());
  CHECK(s.Nearest("mydomaixyz").empty());  // 3 edits on a 10-byte name: more than 2
}

TEST_CASE("NameSuggester: swapped and dropped letters in master.cf-style names") {
  NameSuggester s({"smtpd_client_restrictions", "smtpd_helo_restrictions", "syslog_name"}, {});
  CHECK(s.Nearest("smtpd_clinet_restrictions") == "smtpd_client_restrictions");
  CHECK(s.Nearest("syslog_nmae") == "syslog_name");
  CHECK(s.Nearest("smtpd_client_restrictions").empty());
}

TEST_CASE("NameSuggester: the config's own names are candidates too") {
  NameSuggester s({"mydomain"}, {"office_networks", "office_networks"});
  CHECK(s.Nearest("ofice_networks") == "office_networks");
}

TEST_CASE("NameSuggester: ties go to the shorter, then the first name") {
  NameSuggester s({"abcdez", "abcdex", "abcdefg"}, {});
  CHECK(s.Nearest("abcdef") == "abcdex");  // abcdefg is also one edit away, but longer
}

TEST_CASE("NameSuggester: at most kMaxSuggestions answers") {
  NameSuggester s({"myhostname"}, {});
  for (size_t i = 0; i < NameSuggester::kMaxSuggestions; ++i) REQUIRE(s.Nearest("myhostnme") == "myhostname");
  CHECK(s.Nearest("myhostnme").empty());
}

TEST_CASE("NameSuggester: only the first kMaxExtraCandidates own names are kept") {
  std::vector<std::string> names;
  for (size_t i = 0; i < NameSuggester::kMaxExtraCandidates; ++i) names.push_back("user_name_" + std::to_string(i));
  names.push_back("the_last_name");
  std::vector<std::string_view> views(names.begin(), names.end());
  CHECK(NameSuggester({}, views).Nearest("the_lsat_name").empty());  // the 10,001st is not a candidate
  views.erase(views.begin());
  CHECK(NameSuggester({}, views).Nearest("the_lsat_name") == "the_last_name");
  CHECK(NameSuggester({}, views).Nearest("usr_name_9999") == "user_name_9999");
}

TEST_CASE("BoundedEditDistance: exact below the bound, above it otherwise") {
  CHECK(BoundedEditDistance("kitten", "sitting", 5) == 3);
  CHECK(BoundedEditDistance("ab", "ba", 3) == 1);  // a swap is one edit
  CHECK(BoundedEditDistance("", "abc", 5) == 3);
  CHECK(BoundedEditDistance("aaaaaaaa", "bbbbbbbb", 2) > 2);
}

}  // namespace
}  // namespace postvet
