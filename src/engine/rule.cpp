#include "src/engine/rule.hpp"

#include <algorithm>
#include <cctype>

namespace postvet {

Diagnostic& Sink::Report(Location location, std::string message, std::string subject) {
  Diagnostic& d = out_->emplace_back();
  d.rule_id = info_.id;
  d.severity = info_.severity;
  d.location = location;
  d.message = std::move(message);
  d.subject = std::move(subject);
  return d;
}

const RegisteredRule* FindRule(const std::vector<RegisteredRule>& rules, std::string_view id_or_slug) {
  for (const RegisteredRule& r : rules) {
    bool same_id = r.info.id.size() == id_or_slug.size() &&
                   std::equal(r.info.id.begin(), r.info.id.end(), id_or_slug.begin(), [](char a, char b) {
                     return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
                   });
    if (same_id || r.info.slug == id_or_slug) return &r;
  }
  return nullptr;
}

}  // namespace postvet
