// "Did you mean ...?" for unknown parameter names (PV101, PV406).
//
// A NameSuggester holds the names a typo could have meant and answers with
// the closest one by optimal-string-alignment distance (insert, delete,
// substitute, swap two adjacent bytes). Like clang's -fspell-checking-limit,
// it bounds its own work so that a config with hundreds of thousands of
// unknown names still lints in linear time:
//  - at most kMaxSuggestions queries are answered; later ones return empty;
//  - of the candidates, all built-in Postfix names are kept, but at most
//    kMaxExtraCandidates of the config's own names (in the order given).
// Both limits make the result depend only on the input, never on timing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace postvet {

class NameSuggester {
 public:
  static constexpr size_t kMaxSuggestions = 100;
  static constexpr size_t kMaxExtraCandidates = 10000;

  /// `builtin`: Postfix's own names; `extra`: names the config defines or
  /// uses. Views must outlive the suggester. Duplicates are harmless.
  NameSuggester(std::vector<std::string_view> builtin, const std::vector<std::string_view>& extra);

  /// The closest candidate other than `name` itself when close enough to be
  /// a typo: none for names under 4 bytes, at most 1 edit up to 5 bytes, 2
  /// up to 11, else 3. Ties go to the shorter, then the alphabetically first
  /// candidate. Empty when none qualifies or the query budget is spent.
  std::string Nearest(std::string_view name);

 private:
  std::vector<std::string_view> candidates_;  // sorted by (size, bytes), unique
  size_t queries_left_ = kMaxSuggestions;
};

/// The optimal-string-alignment distance between `a` and `b`, or any value
/// above `bound` once it is certain to exceed `bound`.
size_t BoundedEditDistance(std::string_view a, std::string_view b, size_t bound);

}  // namespace postvet
