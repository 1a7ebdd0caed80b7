#include "rules/security_rules.hpp"

namespace postvet {
namespace {

struct SecurityRule {
  std::string_view id;
  std::string_view severity;  // GitHub: 9+ critical, 7-8.9 high, 4-6.9 medium, below 4 low
};

// A rule belongs here when what it finds lets someone outside abuse the
// server, not merely when it loses mail or wastes resources by itself.
// Keep sorted by ID.
constexpr SecurityRule kSecurityRules[] = {
    // Catastrophic regexp: the sender picks the header and body lines, so a
    // crafted message stalls cleanup/smtpd (regexp:) or silently skips the
    // check (pcre: match limit), i.e. hostile input escapes the filter.
    {"PV309", "5.0"},
    // maxproc 0 on a public inet service: a connection flood forks without
    // limit until memory and process slots run out.
    {"PV411", "5.0"},
    // Open relay: any client on the Internet can send mail anywhere through us.
    {"PV601", "9.0"},
    // mynetworks trusting public ranges: those hosts may relay as if local.
    {"PV602", "7.0"},
    // Relay guard before permit_sasl_authenticated: the access-control list
    // of a submission service is mis-ordered. It shuts users out rather than
    // letting outsiders in, so low; listed because every PV6xx rule is about
    // who may relay (the security family).
    {"PV604", "2.0"},
};

}  // namespace

std::string_view SecuritySeverity(std::string_view id) {
  for (const SecurityRule& rule : kSecurityRules) {
    if (rule.id == id) return rule.severity;
  }
  return {};
}

}  // namespace postvet
