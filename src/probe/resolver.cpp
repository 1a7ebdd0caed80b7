#include "src/probe/resolver.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace postvet::probe {

std::string_view DnsStatusName(DnsStatus status) {
  switch (status) {
    case DnsStatus::kAnswer: return "answer";
    case DnsStatus::kNoData: return "NODATA";
    case DnsStatus::kNxDomain: return "NXDOMAIN";
    case DnsStatus::kServFail: return "SERVFAIL";
    case DnsStatus::kRefused: return "REFUSED";
    case DnsStatus::kMalformed: return "malformed answer";
    case DnsStatus::kTimeout: return "timeout";
    case DnsStatus::kDeadline: return "cut off by the deadline";
    case DnsStatus::kError: return "error";
  }
  return "?";
}

namespace {

bool IsIpLiteral(const std::string& ip) {
  unsigned char buf[16];
  return inet_pton(AF_INET, ip.c_str(), buf) == 1 || inet_pton(AF_INET6, ip.c_str(), buf) == 1;
}

bool ParsePort(std::string_view text, uint16_t* port) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) return false;
  *port = static_cast<uint16_t>(value);
  return true;
}

}  // namespace

bool ParseServerAddress(std::string_view text, ServerAddress* out) {
  ServerAddress parsed;
  if (text.starts_with('[')) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return false;
    parsed.ip = std::string(text.substr(1, close - 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest[0] != ':' || !ParsePort(rest.substr(1), &parsed.port)) return false;
    }
  } else if (text.find(':') != text.rfind(':')) {
    parsed.ip = std::string(text);  // a bare IPv6 literal: its colons are not a port
  } else if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    parsed.ip = std::string(text.substr(0, colon));
    if (!ParsePort(text.substr(colon + 1), &parsed.port)) return false;
  } else {
    parsed.ip = std::string(text);
  }
  if (!IsIpLiteral(parsed.ip)) return false;
  *out = std::move(parsed);
  return true;
}

}  // namespace postvet::probe
