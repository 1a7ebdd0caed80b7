// DeprecatedParams: the parameter names a Postfix release's postconf warns
// about as deprecated (postconf_unused.c pcf_depr_param_info, Postfix 3.9
// and later), with the suggestion it prints, from the generated table
// rules/data/postfix-deprecated-params.tsv (gen-deprecated-params.py).
//
// Contract: For(series) is the table of that series (empty before 3.9; a
// series newer than the table's newest uses the newest). Warning() gives
// postconf's text for one main.cf or master.cf -o setting: "FILE: support
// for parameter "N" will be removed; instead, ALT" for a name postconf
// knows, "FILE: support for parameter N has been removed; instead, ALT"
// (in place of "unused parameter") for one it does not.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "src/model/param_info.hpp"

namespace postvet {

class DeprecatedParams {
 public:
  static const DeprecatedParams& For(PostfixVersion series);

  /// The suggestion for `name`, if the series deprecates it.
  std::optional<std::string_view> Alternative(std::string_view name) const;
  /// postconf's warning for `name` set in `file` (see above), or nullopt.
  std::optional<std::string> Warning(std::string_view file, std::string_view name, bool known) const;

 private:
  std::map<std::string_view, std::string_view, std::less<>> alternatives_;
};

}  // namespace postvet
