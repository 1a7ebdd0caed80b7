// PV602 broad-mynetworks: mynetworks trusts far more than the operator's own
// machines. Clients in mynetworks pass permit_mynetworks, which in the
// default relay restrictions means they may relay anywhere: 0.0.0.0/0, ::/0
// or a public range wider than /16 (IPv4) or /32 (IPv6) makes the server an
// open relay for that part of the Internet. Without an explicit mynetworks,
// mynetworks_style = subnet (the default below compatibility level 2) or
// class trusts every machine on the server's own networks, which on a
// hosted server means other customers; reported when the server listens on
// more than loopback.
#include <arpa/inet.h>

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/param_context.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

struct Cidr {
  bool v6 = false;
  std::array<unsigned char, 16> addr{};
  int prefix = 0;
};

// Parses `a.b.c.d/n`, `[v6]/n`, `v6/n` and plain addresses (full length).
std::optional<Cidr> ParseCidr(std::string_view text) {
  std::string_view addr = text;
  std::string_view len;
  if (size_t slash = text.rfind('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    len = text.substr(slash + 1);
  }
  if (addr.size() >= 2 && addr.front() == '[' && addr.back() == ']') addr = addr.substr(1, addr.size() - 2);
  Cidr c;
  std::string a(addr);
  if (::inet_pton(AF_INET, a.c_str(), c.addr.data()) == 1) {
    c.prefix = 32;
  } else if (::inet_pton(AF_INET6, a.c_str(), c.addr.data()) == 1) {
    c.v6 = true;
    c.prefix = 128;
  } else {
    return std::nullopt;
  }
  if (!len.empty()) {
    int n = 0;
    auto [p, ec] = std::from_chars(len.data(), len.data() + len.size(), n);
    if (ec != std::errc() || p != len.data() + len.size() || n < 0 || n > c.prefix) return std::nullopt;
    c.prefix = n;
  }
  return c;
}

// Private, loopback, link-local, CGNAT and documentation space: wide
// prefixes there are the operator's own business.
bool IsPrivate(const Cidr& c) {
  const auto& a = c.addr;
  if (!c.v6) {
    return a[0] == 10 || a[0] == 127 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 169 && a[1] == 254) || (a[0] == 100 && (a[1] & 0xc0) == 64);
  }
  bool loopback = c.prefix == 128 && a[15] == 1 && std::all_of(a.begin(), a.end() - 1, [](unsigned char b) { return b == 0; });
  return loopback || (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

class BroadMynetworks : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV602",
            .slug = "broad-mynetworks",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "mynetworks contains 0.0.0.0/0, ::/0 or a public range wider than /16, or mynetworks_style = "
                       "subnet/class on a public interface",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    const InputFile* main = ctx.main_file();
    if (main == nullptr) return;
    if (ctx.main_cf().Find("mynetworks") != nullptr) {
      for (const ListEntry& e : ExpandList(ctx, "mynetworks")) {
        std::string_view text = e.text;
        while (!text.empty() && text.front() == '!') text.remove_prefix(1);  // an exclusion narrows
        if (text.size() != e.text.size()) continue;
        std::optional<Cidr> c = ParseCidr(text);
        if (!c || e.where.source == nullptr) continue;
        if (c->prefix == 0) {
          Diagnostic& d = sink.Report(e.where, fmt::format("mynetworks contains {}", e.text), e.text);
          d.notes.push_back({{}, "every client on the Internet is trusted and may relay through this server"});
        } else if (!IsPrivate(*c) && c->prefix < (c->v6 ? 32 : 16)) {
          Diagnostic& d = sink.Report(
              e.where,
              fmt::format("mynetworks trusts the public range {} ({} addresses or more)", e.text,
                          c->v6 ? "2^96" : fmt::format("{}", 1ULL << (32 - c->prefix))),
              e.text);
          d.notes.push_back({{}, "clients there may relay through this server"});
        }
      }
      return;
    }
    // No explicit mynetworks: the style decides.
    ParamContext pc = ctx.Params();
    Result<std::string> style = pc.ExpandParam("mynetworks_style");
    Result<std::string> interfaces = pc.ExpandParam("inet_interfaces");
    if (!style.ok() || !interfaces.ok()) return;
    if (*style != "subnet" && *style != "class") return;
    std::string_view ifs = *interfaces;
    bool loopback_only = ifs == "loopback-only" || ifs == "localhost" || ifs == "127.0.0.1" ||
                         ifs == "127.0.0.1, [::1]" || ifs == "127.0.0.1 [::1]";
    if (loopback_only) return;
    const MainCfDefinition* d = ctx.main_cf().Find("mynetworks_style");
    Location where = d != nullptr ? Location{main->source.get(), d->value_begin, d->value_end}
                                  : Location{main->source.get(), 0, 0};
    Diagnostic& diag = sink.Report(where,
                                   fmt::format("mynetworks is not set and mynetworks_style is {}{}", *style,
                                               d != nullptr ? "" : " (the default below compatibility_level 2)"),
                                   "mynetworks_style");
    diag.notes.push_back(
        {{}, "every machine on this server's networks is trusted (on a hosted server: other customers)"});
    diag.notes.push_back({{}, "set mynetworks explicitly"});
  }
};

}  // namespace

std::unique_ptr<Rule> NewBroadMynetworksRule() { return std::make_unique<BroadMynetworks>(); }

}  // namespace postvet
