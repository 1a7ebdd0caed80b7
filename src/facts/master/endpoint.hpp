// Endpoint: how master(8) identifies a master.cf service (master_conf.c,
// master_ent.c; format spec 5.4): its type plus a canonical endpoint name.
// inet services are `port` or `[host]:port` after address and service-name
// resolution, so `smtp` and `25` are the same service; the other types are a
// socket path under private/ or public/ (the private column; `-` means
// private), so `foo unix y` and `foo unix n` are different services.
// Used by PV407 (duplicates) and PV409 (who listens where).
//
// Contract: resolution is local and deterministic: numeric addresses are
// normalised (inet_pton/inet_ntop), host names are compared by their
// lower-cased text (no DNS), ports are numbers, a small table of mail
// service names (smtp 25, submission 587, smtps/submissions 465, lmtp 24),
// or getservbyname(name, "tcp"); an unresolvable name stays as written.
#pragma once

#include <optional>
#include <string>

#include "src/model/master_cf.hpp"

namespace postvet::master_rules {

struct Endpoint {
  ServiceType type = ServiceType::kUnknown;
  /// inet: canonical host, empty when the service listens on all of
  /// inet_interfaces. Others: empty.
  std::string host;
  /// inet: the port as a decimal number (or the name when unresolvable).
  /// Others: the socket path, "private/name" or "public/name".
  std::string port_or_path;

  /// master(8)'s canonical name as its warnings print it: "25",
  /// "[192.0.2.1]:25", "private/smtpd".
  std::string Canonical() const;
  /// Type and canonical name: equal keys are the same service for master(8).
  std::string Key() const;
};

/// The endpoint of `service`, or nullopt for types Postfix rejects.
std::optional<Endpoint> ServiceEndpoint(const MasterService& service);

/// Two inet endpoints that would listen on the same port of the same
/// address: the same port, and the same host or either on all interfaces.
bool InetOverlap(const Endpoint& a, const Endpoint& b);

}  // namespace postvet::master_rules
