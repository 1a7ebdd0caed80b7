// Unit tests of src/probe/which_resolver.hpp: resolv.conf parsing, the
// chroot facts read from master.cf and main.cf, and the choice of resolver
// (--resolver, the chroot's resolv.conf with a note, /etc/resolv.conf, the
// C library's 127.0.0.1) over a temporary file-system root.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "src/config/lint_context.hpp"
#include "src/probe/which_resolver.hpp"

namespace postvet::probe {
namespace {

namespace fs = std::filesystem;

struct TempRoot {
  fs::path dir;
  TempRoot() {
    dir = fs::temp_directory_path() / ("postvet-which-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir);
  }
  ~TempRoot() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void Write(const std::string& path, const std::string& text) const {
    fs::path p = dir / path.substr(1);
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
};

std::unique_ptr<LintContext> Config(const std::string& main_cf, const std::string& master_cf) {
  auto ctx = std::make_unique<LintContext>("d", ProjectConfig{});
  ctx->AddFile(Source("d/main.cf", "d/main.cf", main_cf), FileKind::kMainCf);
  ctx->AddFile(Source("d/master.cf", "d/master.cf", master_cf), FileKind::kMasterCf);
  return ctx;
}

TEST_CASE("resolv.conf: nameservers in order, at most three, scopes dropped") {
  std::vector<ServerAddress> s = ParseResolvConf(
      "# comment\nsearch example.org\nnameserver 10.0.0.1\n  nameserver   ::1\nnameserver fe80::1%eth0\n"
      "nameserver not-an-ip\nnameserver 10.0.0.4\noptions timeout:1\n");
  REQUIRE(s.size() == 3);
  CHECK((s[0].ip == "10.0.0.1" && s[0].port == 53));
  CHECK(s[1].ip == "::1");
  CHECK(s[2].ip == "fe80::1");
  CHECK(ParseResolvConf("").empty());
  CHECK(ParseResolvConf("nameserver\nnameserver 10.0.0.1:99\n").empty());
}

TEST_CASE("chroot facts: smtpd's chroot column and queue_directory") {
  auto chrooted = Config("queue_directory = /srv/pf\n",
                         "pickup    unix  n       -       y       60      1       pickup\n"
                         "smtp      inet  n       -       y       -       -       smtpd\n");
  ChrootFacts f = SmtpdChroot(*chrooted);
  CHECK(f.chrooted);
  CHECK(f.service == "smtp/inet");
  CHECK(f.line == 2);
  CHECK(f.queue_directory == "/srv/pf");

  // "-" is Postfix 3's default, n; and a chrooted pickup does not count.
  auto plain = Config("", "pickup    unix  n       -       y       60      1       pickup\n"
                          "smtp      inet  n       -       -       -       -       smtpd\n");
  ChrootFacts g = SmtpdChroot(*plain);
  CHECK_FALSE(g.chrooted);
  CHECK(g.queue_directory == "/var/spool/postfix");
}

TEST_CASE("resolver choice: --resolver, the chroot's resolv.conf, /etc/resolv.conf, 127.0.0.1") {
  TempRoot root;
  root.Write("/etc/resolv.conf", "nameserver 192.0.2.53\n");
  root.Write("/srv/pf/etc/resolv.conf", "nameserver 198.51.100.53\n");
  ChrootFacts chrooted{true, "smtp/inet", 12, "/srv/pf"};

  ResolverChoice given = ChooseResolver({{"127.0.0.1", 5353}}, chrooted, root.dir.string());
  CHECK(ServersText(given.servers) == "127.0.0.1:5353");
  CHECK(given.source == "--resolver");
  CHECK(given.note.empty());

  ResolverChoice inside = ChooseResolver({}, chrooted, root.dir.string());
  CHECK(ServersText(inside.servers) == "198.51.100.53:53");
  CHECK(inside.source == "/srv/pf/etc/resolv.conf");
  CHECK_THAT(inside.note, Catch::Contains("chrooted") && Catch::Contains("line 12") &&
                              Catch::Contains("/srv/pf/etc/resolv.conf"));

  ResolverChoice system = ChooseResolver({}, ChrootFacts{}, root.dir.string());
  CHECK(ServersText(system.servers) == "192.0.2.53:53");
  CHECK(system.source == "/etc/resolv.conf");
  CHECK(system.note.empty());

  // Chrooted, but the chroot's copy is not on this machine: the system's, said so.
  ResolverChoice missing = ChooseResolver({}, ChrootFacts{true, "smtp/inet", 3, "/var/spool/none"}, root.dir.string());
  CHECK(ServersText(missing.servers) == "192.0.2.53:53");
  CHECK_THAT(missing.note, Catch::Contains("not on this machine"));

  // No nameserver line: the C library asks 127.0.0.1.
  TempRoot empty;
  empty.Write("/etc/resolv.conf", "search example.org\n");
  ResolverChoice fallback = ChooseResolver({}, ChrootFacts{}, empty.dir.string());
  CHECK(ServersText(fallback.servers) == "127.0.0.1:53");
  CHECK_THAT(fallback.note, Catch::Contains("names no nameserver"));
}

TEST_CASE("public resolvers are known by address") {
  CHECK(PublicResolverName({"8.8.8.8", 53}) == std::optional<std::string_view>("Google Public DNS"));
  CHECK(PublicResolverName({"2606:4700:4700::1111", 53}).has_value());
  CHECK_FALSE(PublicResolverName({"127.0.0.1", 53}).has_value());
  CHECK(ServerText({"::1", 5353}) == "[::1]:5353");
}

}  // namespace
}  // namespace postvet::probe
