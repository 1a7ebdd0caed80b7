// KeepUntilExit: skip the destructor of a big object the process needs to
// its end anyway (the LintContext of a 100,000-rule table holds 100,000
// compiled regexes; freeing them one by one took a third of `check`'s time).
// The object is handed to a list that is never destroyed, so the OS reclaims
// the memory at exit. It stays reachable through that list, so
// LeakSanitizer does not count it as a leak. Use only in the CLI layer, for
// objects that live until the command returns.
#pragma once

#include <memory>
#include <vector>

namespace postvet {

/// Takes ownership of `object` for the rest of the process; returns it.
template <class T>
T* KeepUntilExit(std::unique_ptr<T> object) {
  static auto* const kept = new std::vector<std::shared_ptr<void>>();
  T* raw = object.get();
  kept->push_back(std::shared_ptr<void>(std::move(object)));
  return raw;
}

}  // namespace postvet
