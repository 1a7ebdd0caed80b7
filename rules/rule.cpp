#include "rules/rule.hpp"

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

}  // namespace postvet
