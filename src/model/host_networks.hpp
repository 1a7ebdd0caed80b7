// HostNetworks: the default of mynetworks, computed from this machine's
// interfaces the way Postfix's mynetworks() does (global/mynetworks.c):
// "host" gives each address as /32 or /128, "subnet" the interface's
// network, "class" the classful IPv4 network (IPv6 falls back to subnet).
// Only inet_interfaces = all is modelled; other values keep all addresses.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace postvet {

/// The mynetworks default for `style` (host|subnet|class) and `protocols`
/// (inet_protocols: all|ipv4|ipv6|"ipv4, ipv6"...). nullopt when `style` is
/// not exactly one of the three (Postfix: fatal "bad mynetworks_style value").
std::optional<std::string> DefaultMynetworks(std::string_view style, std::string_view protocols);

}  // namespace postvet
