// Small helpers shared by the DNS list tests (dnsbl_uses_test.cpp,
// dnsbl_rules_test.cpp): the text a location covers, and substring search.
#pragma once

#include <string>

#include "src/base/location.hpp"
#include "src/base/source.hpp"

namespace postvet::dnsbl_test {

inline std::string Text(const Location& at) {
  return at.source == nullptr ? "<none>" : std::string(at.source->Slice(at.begin, at.end));
}

inline bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace postvet::dnsbl_test
