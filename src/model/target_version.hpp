// TargetVersion: the Postfix release one configuration is checked against,
// as a value the configuration carries (LintContext::target()) rather than
// a global: its series (--postfix-version / postfix_version, 3.7 when
// unset or unparsable) and the built-in parameter table that goes with it.
//
// Contract: only the Postfix 3.7 table is embedded, so every series uses
// it for defaults today; the series itself decides what rules say about
// availability (the parameter table in src/model/param_info). A second
// table is added in For() alone: rules and tools read target().defaults().
#pragma once

#include <string_view>

#include "src/model/defaults.hpp"
#include "src/model/param_info.hpp"

namespace postvet {

class TargetVersion {
 public:
  /// The target for a `postfix_version` setting ("3.7", "3.4.13"); 3.7 when
  /// the text does not parse (the CLI and .postvet.cf reject such text).
  static TargetVersion For(std::string_view postfix_version);

  /// The release series ("3.7").
  PostfixVersion version() const { return version_; }
  /// The built-in parameter table used for this series.
  const Defaults& defaults() const { return *defaults_; }

 private:
  TargetVersion(PostfixVersion version, const Defaults& defaults) : version_(version), defaults_(&defaults) {}
  PostfixVersion version_;
  const Defaults* defaults_;
};

}  // namespace postvet
