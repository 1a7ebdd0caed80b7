// The registration warnings `postconf -c DIR -M` (-F, -P) gives besides its
// listing: postconf reads DIR/main.cf too and registers every name, so the
// "undefined parameter", "read-only parameter assignment" and master.cf
// "unused parameter" warnings of master_warnings.hpp appear with -M as with
// -n (main.cf's own "unused parameter" list does not). Called from
// show_master.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "src/model/target_version.hpp"

namespace postvet {

/// What to print around the listing of `master_path`.
struct MasterListingWarnings {
  std::vector<std::string> before;  ///< registration warnings (before stdout)
  std::vector<std::string> after;   ///< master.cf "unused parameter" warnings
  /// A database client file postconf dies on (show_dbms_warnings.hpp).
  std::optional<std::string> fatal;
  /// The Postfix release the listing is judged against, and the note that
  /// says so when it was guessed from compatibility_level (else empty).
  std::optional<TargetVersion> target;
  std::string note;
};

/// Computes them with DIR/main.cf (DIR: `master_path`'s directory) in view;
/// a missing or unreadable main.cf counts as empty. Empty when the
/// registration would be fatal (the listing reports that).
/// `version`: --postfix-version (empty: TargetVersion::Choose's guess).
MasterListingWarnings ComputeMasterListingWarnings(const std::string& master_path, const std::string& version = "");

}  // namespace postvet
