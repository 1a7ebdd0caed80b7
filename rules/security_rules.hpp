// Which rules are security rules, and how severe their findings are for
// GitHub code scanning (SARIF properties.security-severity). The registry
// copies the value into RuleInfo::security_severity; the SARIF reporter tags
// these rules "security". One table (security_rules.cpp), decided from each
// rule's doc page.
#pragma once

#include <string_view>

namespace postvet {

/// "9.0" style severity of rule `id` when it is a security rule, else "".
std::string_view SecuritySeverity(std::string_view id);

}  // namespace postvet
