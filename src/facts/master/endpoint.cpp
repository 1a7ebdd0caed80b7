#include "src/facts/master/endpoint.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <strings.h>

#include <cstdlib>
#include <utility>

namespace postvet::master_rules {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// A numeric address in its canonical text; other names lower-cased.
std::string CanonicalHost(std::string_view host) {
  if (host.empty()) return "";
  std::string s(host);
  unsigned char addr[16];
  char buf[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, s.c_str(), addr) == 1 && inet_ntop(AF_INET, addr, buf, sizeof buf) != nullptr) {
    return buf;
  }
  if (inet_pton(AF_INET6, s.c_str(), addr) == 1 && inet_ntop(AF_INET6, addr, buf, sizeof buf) != nullptr) {
    return buf;
  }
  return Lower(host);
}

std::string CanonicalPort(std::string_view port) {
  if (!port.empty() && port.find_first_not_of("0123456789") == std::string_view::npos) {
    if (port.size() > 9) return std::string(port);  // would not fit a port anyway
    return std::to_string(std::strtol(std::string(port).c_str(), nullptr, 10));
  }
  // Mail service names, fixed so that the answer does not depend on the
  // /etc/services of the machine that runs postvet.
  static constexpr std::pair<std::string_view, std::string_view> kWellKnown[] = {
      {"smtp", "25"}, {"submission", "587"}, {"smtps", "465"}, {"submissions", "465"}, {"lmtp", "24"},
  };
  for (const auto& [name, number] : kWellKnown) {
    if (port == name) return std::string(number);
  }
  std::string name(port);
  servent entry{};
  servent* found = nullptr;
  char buf[1024];
  if (getservbyname_r(name.c_str(), "tcp", &entry, buf, sizeof buf, &found) == 0 && found != nullptr) {
    return std::to_string(ntohs(static_cast<uint16_t>(found->s_port)));
  }
  return name;
}

}  // namespace

std::string Endpoint::Canonical() const {
  if (type != ServiceType::kInet || host.empty()) return port_or_path;
  return "[" + host + "]:" + port_or_path;
}

std::string Endpoint::Key() const {
  static constexpr std::string_view kTypes[] = {"inet", "unix", "unix-dgram", "fifo", "pass", "?"};
  return std::string(kTypes[static_cast<size_t>(type)]) + " " + Canonical();
}

std::optional<Endpoint> ServiceEndpoint(const MasterService& service) {
  if (service.type == ServiceType::kUnknown) return std::nullopt;
  Endpoint e;
  e.type = service.type;
  std::string_view name = service.name();
  if (service.type != ServiceType::kInet) {
    bool is_public = service.field(MasterField::kPrivate).text == "n";
    e.port_or_path = std::string(is_public ? "public/" : "private/") + std::string(name);
    return e;
  }
  // host_port(): [host]:port, [ipv6:addr]:port, host:port (at the last
  // colon), :port, or port.
  std::string_view host;
  std::string_view port = name;
  if (!name.empty() && name[0] == '[') {
    size_t close = name.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = name.substr(1, close - 1);
    if (host.size() >= 5 && strncasecmp(host.data(), "ipv6:", 5) == 0) host.remove_prefix(5);
    port = name.substr(close + 1);
    if (!port.empty() && port[0] == ':') port.remove_prefix(1);
  } else if (size_t colon = name.rfind(':'); colon != std::string_view::npos) {
    host = name.substr(0, colon);
    port = name.substr(colon + 1);
  }
  e.host = CanonicalHost(host);
  e.port_or_path = CanonicalPort(port);
  return e;
}

bool InetOverlap(const Endpoint& a, const Endpoint& b) {
  if (a.type != ServiceType::kInet || b.type != ServiceType::kInet) return false;
  if (a.port_or_path != b.port_or_path) return false;
  return a.host.empty() || b.host.empty() || a.host == b.host;
}

}  // namespace postvet::master_rules
