#include "src/model/host_networks.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <set>
#include <vector>

#include "src/model/postfix_strings.hpp"

namespace postvet {
namespace {

int LeadingOnes(const unsigned char* bytes, size_t n) {
  int bits = 0;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = bytes[i];
    if (c == 0xff) {
      bits += 8;
      continue;
    }
    while (c & 0x80) {
      ++bits;
      c = static_cast<unsigned char>(c << 1);
    }
    break;
  }
  return bits;
}

void MaskBytes(unsigned char* bytes, size_t n, int prefix) {
  for (size_t i = 0; i < n; ++i) {
    int keep = prefix - static_cast<int>(i) * 8;
    if (keep >= 8) continue;
    if (keep <= 0) {
      bytes[i] = 0;
    } else {
      bytes[i] = static_cast<unsigned char>(bytes[i] & (0xff << (8 - keep)));
    }
  }
}

}  // namespace

bool DefaultMynetworks(std::string_view style, std::string_view protocols, std::string* out,
                       std::string* error) {
  // inet_proto_init(): name_mask() over "all", "ipv4", "ipv6".
  bool v4 = false;
  bool v6 = false;
  for (std::string_view p : SplitTokensQuoted(protocols, ", \t\r\n")) {
    if (p == "all") {
      v4 = v6 = true;
    } else if (p == "ipv4") {
      v4 = true;
    } else if (p == "ipv6") {
      v6 = true;
    } else {
      *error = "unknown inet_protocols value \"" + std::string(p) + "\" in \"" + std::string(protocols) + "\"";
      return false;
    }
  }
  out->clear();
  if (!v4 && !v6) return true;  // all protocols disabled: empty
  std::string_view mode;
  int styles = 0;
  for (std::string_view w : SplitTokensQuoted(style, ", \t\r\n")) {
    if (w != "host" && w != "subnet" && w != "class") {
      *error = "unknown mynetworks mask style value \"" + std::string(w) + "\" in \"" + std::string(style) + "\"";
      return false;
    }
    if (mode != w) ++styles;
    mode = w;
  }
  if (styles != 1) {
    *error = "bad mynetworks_style value: " + std::string(style) + "; specify exactly one value";
    return false;
  }
  std::vector<std::string> v4_nets;
  std::vector<std::string> v6_nets;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return true;
  for (ifaddrs* ifa = list; ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr || ifa->ifa_netmask == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (ifa->ifa_addr->sa_family == AF_INET && v4) {
      sockaddr_in addr;
      sockaddr_in mask;
      std::memcpy(&addr, ifa->ifa_addr, sizeof(addr));
      std::memcpy(&mask, ifa->ifa_netmask, sizeof(mask));
      auto* a = reinterpret_cast<unsigned char*>(&addr.sin_addr);
      int prefix = 32;
      if (mode == "subnet") prefix = LeadingOnes(reinterpret_cast<unsigned char*>(&mask.sin_addr), 4);
      if (mode == "class") prefix = a[0] < 128 ? 8 : a[0] < 192 ? 16 : a[0] < 224 ? 24 : 4;
      MaskBytes(a, 4, prefix);
      inet_ntop(AF_INET, &addr.sin_addr, text, sizeof(text));
      v4_nets.push_back(std::string(text) + "/" + std::to_string(prefix));
    } else if (ifa->ifa_addr->sa_family == AF_INET6 && v6) {
      sockaddr_in6 addr;
      sockaddr_in6 mask;
      std::memcpy(&addr, ifa->ifa_addr, sizeof(addr));
      std::memcpy(&mask, ifa->ifa_netmask, sizeof(mask));
      int prefix = 128;
      if (mode != "host") prefix = LeadingOnes(reinterpret_cast<unsigned char*>(&mask.sin6_addr), 16);
      MaskBytes(reinterpret_cast<unsigned char*>(&addr.sin6_addr), 16, prefix);
      inet_ntop(AF_INET6, &addr.sin6_addr, text, sizeof(text));
      v6_nets.push_back("[" + std::string(text) + "]/" + std::to_string(prefix));
    }
  }
  freeifaddrs(list);
  std::set<std::string> seen;
  for (const auto* nets : {&v4_nets, &v6_nets}) {
    for (const std::string& n : *nets) {
      if (seen.insert(n).second) *out += n + " ";
    }
  }
  return true;
}

}  // namespace postvet
