// Which resolver the probe asks: the one Postfix itself would use, so that
// the verdicts describe what smtpd and postscreen's dnsblog see.
//
// Postfix daemons use the system resolver (res_query), configured by
// resolv.conf. A daemon that runs chrooted (master.cf column 5 "y") reads
// the resolv.conf inside its chroot, queue_directory/etc/resolv.conf,
// which Debian's postfix scripts copy there. So: --resolver when given;
// else, when smtpd (or postscreen, or dnsblog) runs chrooted and that copy
// exists here, its nameservers, with a note saying so; else /etc/resolv.conf;
// and where a file names no nameserver, 127.0.0.1 as the C library does.
//
// Contract: pure apart from reading the two files under `fs_root` ("" is
// the real root, tests pass a temporary directory). Never fails: a missing
// or unreadable file only changes the note. ParseResolvConf() keeps at
// most 3 nameservers (MAXNS), like the C library.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/probe/resolver.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::probe {

/// The nameservers of resolv.conf text, in order (IPv4 and IPv6 literals;
/// "%scope" suffixes dropped; anything else skipped), at most 3.
std::vector<ServerAddress> ParseResolvConf(std::string_view text);

/// What the configuration says about Postfix's own resolver.
struct ChrootFacts {
  bool chrooted = false;        ///< an smtpd/postscreen/dnsblog service runs chrooted
  std::string service;          ///< "smtp/inet" (for the note)
  uint32_t line = 0;            ///< its master.cf line
  std::string queue_directory;  ///< expanded; "" when unknown
};

/// Reads the master.cf chroot column of the services that look DNS lists
/// up (smtpd, postscreen, dnsblog) and main.cf's queue_directory.
ChrootFacts SmtpdChroot(const LintContext& ctx);

/// The resolver chosen and why.
struct ResolverChoice {
  std::vector<ServerAddress> servers;  ///< never empty
  std::string source;                  ///< "--resolver", or the resolv.conf path read
  std::string note;                    ///< one sentence for the report; "" when nothing to say
};

/// Chooses as the header says; `given` are the --resolver servers.
ResolverChoice ChooseResolver(const std::vector<ServerAddress>& given, const ChrootFacts& facts,
                              const std::string& fs_root = "");

/// "127.0.0.1:53", "[::1]:5353".
std::string ServerText(const ServerAddress& server);
/// The servers as "a, b".
std::string ServersText(const std::vector<ServerAddress>& servers);

/// The operator of a well-known public resolver address ("Google Public
/// DNS"), or nullopt. DNS lists refuse or rate-limit queries through them.
std::optional<std::string_view> PublicResolverName(const ServerAddress& server);

}  // namespace postvet::probe
