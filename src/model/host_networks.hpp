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
/// (inet_protocols: all, ipv4, ipv6). Like Postfix, every entry is followed
/// by a space. Returns false with Postfix's fatal message in `error` for a
/// bad inet_protocols or mynetworks_style value.
bool DefaultMynetworks(std::string_view style, std::string_view protocols, std::string* out,
                       std::string* error);

}  // namespace postvet
