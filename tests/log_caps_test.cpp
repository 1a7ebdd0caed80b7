// The caps of LogAnalyzer (issue 16): distinct service names, log tags and
// DNS list zones beyond kMaxTracked* are counted, not kept, and the report
// prints a bounded number of them with a summary of the rest.
#include <catch2/catch.hpp>

#include <string>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

std::string LimitLine(size_t i) {
  return "Nov 20 10:00:01 mx postfix/master[1]: warning: service \"s" + std::to_string(i) + "\" (private/s" +
         std::to_string(i) + ") has reached its process limit \"100\": new clients may experience delays";
}

TEST_CASE("service names past the cap are counted, not tracked") {
  LogAnalyzer a;
  a.BeginFile();
  const size_t n = kMaxTrackedServices + 44;
  for (size_t i = 0; i < n; ++i) a.AddLine(LimitLine(i));
  a.AddLine(LimitLine(n - 1));  // a repeat: one more line, not one more name
  a.AddLine(LimitLine(0));      // a tracked one keeps counting
  const LogEvidence& ev = a.evidence();
  CHECK(ev.limit_hits.size() == kMaxTrackedServices);
  CHECK(ev.limit_hits.at("s0").count == 2);
  CHECK(ev.untracked_services.names == 44);
  CHECK(ev.untracked_services.lines == 45);
  CHECK_FALSE(ev.untracked_services.saturated);
}

TEST_CASE("log tags and zones past the cap are counted, not tracked") {
  LogAnalyzer a;
  a.BeginFile();
  for (size_t i = 0; i < kMaxTrackedTags + 10; ++i) {
    a.AddLine("Nov 20 10:00:01 mx postfix/t" + std::to_string(i) + "/smtpd[" + std::to_string(100 + i) +
              "]: connect from unknown[192.0.2.1]");
  }
  for (size_t i = 0; i < kMaxTrackedZones + 5; ++i) {
    a.AddLine("Nov 20 10:00:01 mx postfix/smtpd[9]: warning: 1.2.0.192.z" + std::to_string(i) +
              ".example: RBL lookup error: Host or domain name not found");
  }
  const LogEvidence& ev = a.evidence();
  CHECK(ev.sessions.size() == kMaxTrackedTags);
  CHECK(ev.untracked_tags.names == 10);
  CHECK(ev.dnsbl_errors.size() == kMaxTrackedZones);
  CHECK(ev.untracked_zones.names == 5);
  CHECK(ev.dnsbl_error_total == kMaxTrackedZones + 5);
}

}  // namespace
}  // namespace postvet::tune
