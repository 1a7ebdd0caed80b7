// ZoneOfQuery() (see log_evidence.hpp): the DNS list zone of a query named
// in a log line.
#include <cctype>
#include <string>
#include <string_view>

#include "src/tune/log_evidence.hpp"

namespace postvet::tune {
namespace {

bool Digit(char c) { return c >= '0' && c <= '9'; }

bool IsNibble(std::string_view label) {
  return label.size() == 1 && std::isxdigit(static_cast<unsigned char>(label[0])) != 0;
}

bool IsOctet(std::string_view label) {
  if (label.empty() || label.size() > 3) return false;
  for (char c : label) {
    if (!Digit(c)) return false;
  }
  return true;
}

}  // namespace

std::string ZoneOfQuery(std::string_view query) {
  while (!query.empty() && query.back() == '.') query.remove_suffix(1);
  // Split into labels.
  size_t labels = 0;
  size_t pos = 0;
  bool all_octets = true;
  bool all_nibbles = true;
  size_t after4 = std::string_view::npos;
  size_t after32 = std::string_view::npos;
  while (pos <= query.size() && labels < 32) {
    size_t dot = query.find('.', pos);
    if (dot == std::string_view::npos) break;
    std::string_view label = query.substr(pos, dot - pos);
    ++labels;
    if (labels <= 4) {
      all_octets = all_octets && IsOctet(label);
      if (labels == 4) after4 = dot + 1;
    }
    all_nibbles = all_nibbles && IsNibble(label);
    if (labels == 32) after32 = dot + 1;
    pos = dot + 1;
  }
  if (all_nibbles && after32 != std::string_view::npos && after32 < query.size()) {
    return std::string(query.substr(after32));
  }
  if (all_octets && after4 != std::string_view::npos && after4 < query.size()) {
    return std::string(query.substr(after4));
  }
  return std::string(query);
}

}  // namespace postvet::tune
