#include "src/probe/which_resolver.hpp"

#include <array>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::probe {
namespace {

constexpr size_t kMaxNameservers = 3;  // MAXNS of <resolv.h>

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text;
  text.resize(64 * 1024);  // resolv.conf is tiny; a larger file is cut, not read whole
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

struct KnownResolver {
  std::string_view ip;
  std::string_view name;
};

// Public resolvers that DNS lists are documented to refuse or rate-limit
// (dnsbl-research.md section 3: Spamhaus answers 127.255.255.254 through
// Cloudflare, Google and others; URIBL refuses OpenDNS and Google).
constexpr std::array<KnownResolver, 16> kPublicResolvers = {{
    {"8.8.8.8", "Google Public DNS"},
    {"8.8.4.4", "Google Public DNS"},
    {"2001:4860:4860::8888", "Google Public DNS"},
    {"2001:4860:4860::8844", "Google Public DNS"},
    {"1.1.1.1", "Cloudflare"},
    {"1.0.0.1", "Cloudflare"},
    {"2606:4700:4700::1111", "Cloudflare"},
    {"2606:4700:4700::1001", "Cloudflare"},
    {"9.9.9.9", "Quad9"},
    {"149.112.112.112", "Quad9"},
    {"208.67.222.222", "OpenDNS"},
    {"208.67.220.220", "OpenDNS"},
    {"64.6.64.6", "Verisign Public DNS"},
    {"94.140.14.14", "AdGuard DNS"},
    {"76.76.2.0", "Control D"},
    {"185.228.168.9", "CleanBrowsing"},
}};

}  // namespace

std::vector<ServerAddress> ParseResolvConf(std::string_view text) {
  std::vector<ServerAddress> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line) && out.size() < kMaxNameservers) {
    std::istringstream words(line);
    std::string keyword, address;
    if (!(words >> keyword) || keyword != "nameserver" || !(words >> address)) continue;
    if (size_t percent = address.find('%'); percent != std::string::npos) address.resize(percent);
    ServerAddress server;
    // A bare literal: no port syntax in resolv.conf.
    if (address.find('[') != std::string::npos) continue;
    if (ParseServerAddress(address, &server) && server.port == 53) out.push_back(server);
  }
  return out;
}

ChrootFacts SmtpdChroot(const LintContext& ctx) {
  ChrootFacts facts;
  for (const MasterService& svc : ctx.master_cf().services) {
    std::string_view command = BaseName(svc.field(MasterField::kCommand).text);
    if (command != "smtpd" && command != "postscreen" && command != "dnsblog") continue;
    // "-" is the default, "n" since Postfix 3.0.
    if (svc.field(MasterField::kChroot).text != "y") continue;
    facts.chrooted = true;
    facts.service = fmt::format("{}/{}", svc.name(), svc.field(MasterField::kType).text);
    facts.line = svc.line;
    break;
  }
  Result<std::string> queue = ctx.Params().ExpandParam("queue_directory");
  if (queue.ok()) facts.queue_directory = queue.value();
  return facts;
}

std::string ServerText(const ServerAddress& server) {
  bool v6 = server.ip.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", server.ip, server.port) : fmt::format("{}:{}", server.ip, server.port);
}

std::string ServersText(const std::vector<ServerAddress>& servers) {
  std::string out;
  for (const ServerAddress& s : servers) out += (out.empty() ? "" : ", ") + ServerText(s);
  return out;
}

std::optional<std::string_view> PublicResolverName(const ServerAddress& server) {
  for (const KnownResolver& k : kPublicResolvers) {
    if (k.ip == server.ip) return k.name;
  }
  return std::nullopt;
}

ResolverChoice ChooseResolver(const std::vector<ServerAddress>& given, const ChrootFacts& facts,
                              const std::string& fs_root) {
  ResolverChoice choice;
  if (!given.empty()) {
    choice.servers = given;
    choice.source = "--resolver";
    return choice;
  }
  const std::string system = "/etc/resolv.conf";
  std::string path = system;
  if (facts.chrooted && !facts.queue_directory.empty() && facts.queue_directory.front() == '/') {
    std::string inside = facts.queue_directory + "/etc/resolv.conf";
    if (std::optional<std::string> text = ReadSmallFile(fs_root + inside)) {
      choice.servers = ParseResolvConf(*text);
      choice.source = inside;
      choice.note = fmt::format("smtpd runs chrooted (master.cf line {}, {}), so Postfix resolves through {}; "
                                "the probe does too",
                                facts.line, facts.service, inside);
    } else {
      choice.note = fmt::format("smtpd runs chrooted (master.cf line {}, {}), but {} is not on this machine; "
                                "the probe uses {} instead",
                                facts.line, facts.service, inside, system);
    }
  }
  if (choice.source.empty()) {
    choice.source = system;
    if (std::optional<std::string> text = ReadSmallFile(fs_root + system)) choice.servers = ParseResolvConf(*text);
  }
  if (choice.servers.empty()) {
    // The C library's default when resolv.conf names no server.
    choice.servers.push_back({"127.0.0.1", 53});
    std::string why = fmt::format("{} names no nameserver, so the resolver is 127.0.0.1 (the C library's default)",
                                  choice.source);
    choice.note = choice.note.empty() ? why : choice.note + "; " + why;
  }
  return choice;
}

}  // namespace postvet::probe
