// DNSBL entry and reply-filter parsing. Hand-written cases pin the syntax
// Postfix documents; the oracle cases load Postfix's own libpostfix-util
// (ip_match_parse, ip_match_execute, valid_hostname) and require that we
// accept, reject and match exactly as it does. They fail, not skip, when
// Postfix is missing.
#include <dlfcn.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "src/facts/dnsbl/reply_filter.hpp"

namespace postvet::dnsbl {
namespace {

std::array<uint8_t, 4> A(uint8_t a, uint8_t b, uint8_t c, uint8_t d) { return {a, b, c, d}; }

ReplyFilter MustParse(std::string_view text) {
  Result<ReplyFilter> f = ParseReplyFilter(text);
  INFO(text << ": " << (f.ok() ? "" : f.status().message()));
  REQUIRE(f.ok());
  return *f;
}

TEST_CASE("reply filters in the documented forms") {
  ReplyFilter single = MustParse("127.0.0.2");
  CHECK(single.Matches(A(127, 0, 0, 2)));
  CHECK_FALSE(single.Matches(A(127, 0, 0, 3)));
  CHECK(single.Count() == 1);
  CHECK(single.ToString() == "127.0.0.2");

  ReplyFilter range = MustParse("127.0.0.[2..11]");
  CHECK(range.Matches(A(127, 0, 0, 2)));
  CHECK(range.Matches(A(127, 0, 0, 11)));
  CHECK_FALSE(range.Matches(A(127, 0, 0, 1)));
  CHECK_FALSE(range.Matches(A(127, 0, 0, 12)));
  CHECK_FALSE(range.Matches(A(127, 255, 255, 254)));
  CHECK(range.Count() == 10);
  CHECK(range.ToString() == "127.0.0.[2..11]");

  ReplyFilter list = MustParse("127.0.0.[2;4;5]");
  CHECK(list.Matches(A(127, 0, 0, 4)));
  CHECK_FALSE(list.Matches(A(127, 0, 0, 3)));
  CHECK(list.ToString() == "127.0.0.[2;4..5]");

  ReplyFilter two = MustParse("127.0.[0..255].[2..11]");
  CHECK(two.Matches(A(127, 0, 200, 5)));
  CHECK_FALSE(two.Matches(A(127, 1, 200, 5)));
  CHECK(two.Count() == 2560);

  ReplyFilter mixed = MustParse("127.0.0.[2;6..8;10]");
  CHECK(mixed.octets[3].Count() == 5);
  // Leading zeros are plain decimal; a one-value list equals the number.
  CHECK(MustParse("127.0.0.0002") == single);
  CHECK(MustParse("127.0.0.[2]") == single);
  CHECK(MustParse("127.0.0.[2..2]") == single);
  // One pair of [] around the whole pattern is dropped, as ip_match does.
  CHECK(MustParse("[127.0.0.2]") == single);
  CHECK(MustParse("[127.0.0.[2..11]]") == range);
}

TEST_CASE("malformed reply filters are refused with a position") {
  struct Case {
    const char* text;
    std::size_t offset;
    const char* needle;
  };
  const Case cases[] = {
      {"127.0.0.[2..", 12, "after \"..\""},
      {"127.0.0.[2", 10, "\";\" or \"]\""},
      {"127.0.0.[2,4]", 10, "not \",\""},
      {"127.0.0.256", 8, "larger than 255"},
      {"127.0.0.[5..2]", 12, "backwards"},
      {"127.0.0.[1..300]", 12, "0..255"},
      {"127.0.0.[]", 9, "0..255"},
      {"127.0.0.[2;]", 11, "0..255"},
      {"127.0.0", 7, "need \".\""},
      {"127.0.0.", 8, "octet 4"},
      {"127.0.0.2.1", 9, "after the fourth octet"},
      {"127.0.0.2 ", 9, "after the fourth octet"},
      {"127.0.0.3[6..9]", 9, "after the fourth octet"},
      {"127.0.[0.0].2", 9, "range is written"},
      {"", 0, "empty"},
      {"[]", 1, "empty"},
      {"[127.0.0.2", 0, "never closed"},
      {"x.0.0.2", 0, "octet 1"},
      {"127.0.0.[2...3]", 12, "0..255"},
  };
  for (const Case& c : cases) {
    std::size_t offset = 999;
    Result<ReplyFilter> f = ParseReplyFilter(c.text, &offset);
    INFO(c.text);
    REQUIRE_FALSE(f.ok());
    CHECK(f.status().message().find(c.needle) != std::string::npos);
    CHECK(offset == c.offset);
  }
}

TEST_CASE("filter set relations") {
  ReplyFilter zen = MustParse("127.0.0.[2..11]");
  CHECK(zen.Covers(MustParse("127.0.0.[4..7]")));
  CHECK(zen.Covers(MustParse("127.0.0.2")));
  CHECK_FALSE(zen.Covers(MustParse("127.0.0.[2..12]")));
  CHECK_FALSE(MustParse("127.0.0.2").Covers(zen));
  CHECK(ReplyFilter::Any().Covers(zen));
  CHECK(ReplyFilter::Any().IsAny());
  CHECK_FALSE(zen.IsAny());
  CHECK(zen.Overlaps(MustParse("127.0.0.[11..20]")));
  CHECK_FALSE(zen.Overlaps(MustParse("127.255.255.[1..255]")));
  CHECK(ReplyFilter::Exact(127, 0, 0, 2) == MustParse("127.0.0.2"));
  CHECK(MustParse("127.0.[0..255].[1..3]").ToString() == "127.0.[0..255].[1..3]");
}

DnsblEntry MustEntry(std::string_view text, EntrySyntax syntax) {
  Result<DnsblEntry> e = ParseDnsblEntry(text, syntax);
  INFO(text << ": " << (e.ok() ? "" : e.status().message()));
  REQUIRE(e.ok());
  return *e;
}

TEST_CASE("postscreen entries: zone, filter and weight") {
  DnsblEntry plain = MustEntry("zen.spamhaus.org", EntrySyntax::kPostscreen);
  CHECK(plain.zone == "zen.spamhaus.org");
  CHECK_FALSE(plain.filter.has_value());
  CHECK(plain.EffectiveFilter().IsAny());
  CHECK(plain.weight == 1);
  CHECK_FALSE(plain.has_weight);

  DnsblEntry weighted = MustEntry("zen.spamhaus.org*3", EntrySyntax::kPostscreen);
  CHECK(weighted.zone == "zen.spamhaus.org");
  CHECK(weighted.weight == 3);
  CHECK(weighted.has_weight);
  CHECK(weighted.weight_text == "3");

  DnsblEntry both = MustEntry("list.dnswl.org=127.0.[0..255].[1..3]*-5", EntrySyntax::kPostscreen);
  CHECK(both.zone == "list.dnswl.org");
  CHECK(both.filter_text == "127.0.[0..255].[1..3]");
  REQUIRE(both.filter.has_value());
  CHECK(both.filter->Matches(A(127, 0, 10, 2)));
  CHECK(both.weight == -5);

  CHECK(MustEntry("zone.example=127.0.0.2*-5", EntrySyntax::kPostscreen).weight == -5);
  CHECK(MustEntry("zone.example*+2", EntrySyntax::kPostscreen).weight == 2);
  CHECK(MustEntry("Zen.Spamhaus.ORG", EntrySyntax::kPostscreen).zone == "Zen.Spamhaus.ORG");
}

TEST_CASE("smtpd entries: zone and filter, no weight") {
  DnsblEntry e = MustEntry("zen.spamhaus.org=127.0.0.[2..11]", EntrySyntax::kSmtpd);
  CHECK(e.zone == "zen.spamhaus.org");
  CHECK(e.filter->Count() == 10);
  CHECK_FALSE(e.has_weight);
  // A final dot only changes smtpd's query name spelling; it still works.
  CHECK(MustEntry("zen.spamhaus.org.", EntrySyntax::kSmtpd).zone == "zen.spamhaus.org.");
}

TEST_CASE("malformed entries are refused") {
  struct Case {
    const char* text;
    EntrySyntax syntax;
    std::size_t offset;
    const char* needle;
  };
  const Case cases[] = {
      {"zone.example=127.0.0.[2..", EntrySyntax::kPostscreen, 25, "reply filter"},
      {"zone.example=127.0.0.[2..", EntrySyntax::kSmtpd, 25, "reply filter"},
      {"zone.example*x", EntrySyntax::kPostscreen, 13, "weight"},
      {"zone.example*", EntrySyntax::kPostscreen, 13, "weight"},
      {"zone.example*3x", EntrySyntax::kPostscreen, 13, "weight"},
      {"zone.example*1.5", EntrySyntax::kPostscreen, 13, "weight"},
      {"zone.example*99999999999", EntrySyntax::kPostscreen, 13, "weight"},
      {"zone.example*2=127.0.0.2", EntrySyntax::kPostscreen, 13, "zone=filter*weight"},
      {"zone.example*3", EntrySyntax::kSmtpd, 12, "postscreen_dnsbl_sites"},
      {"zone.example=127.0.0.2*3", EntrySyntax::kSmtpd, 22, "postscreen_dnsbl_sites"},
      {"zone.example=", EntrySyntax::kSmtpd, 13, "empty"},
      {"=127.0.0.2", EntrySyntax::kPostscreen, 0, "missing DNSBL domain"},
      {"", EntrySyntax::kSmtpd, 0, "empty"},
      {"zone.example.", EntrySyntax::kPostscreen, 0, "final"},
      {"zone..example", EntrySyntax::kSmtpd, 0, "domain name"},
      {"-zone.example", EntrySyntax::kPostscreen, 0, "domain name"},
      {"127.0.0.2", EntrySyntax::kPostscreen, 0, "domain name"},
      {"zone.example==127.0.0.2", EntrySyntax::kSmtpd, 13, "reply filter"},
  };
  for (const Case& c : cases) {
    std::size_t offset = 999;
    Result<DnsblEntry> e = ParseDnsblEntry(c.text, c.syntax, &offset);
    INFO(c.text);
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message().find(c.needle) != std::string::npos);
    CHECK(offset == c.offset);
  }
}

TEST_CASE("host name rules") {
  CHECK(IsValidHostname("zen.spamhaus.org"));
  CHECK(IsValidHostname("dnsbl-1.uceprotect.net"));
  CHECK(IsValidHostname("a--b.example"));
  CHECK(IsValidHostname("under_score.example"));
  CHECK(IsValidHostname(std::string(63, 'a') + ".example"));
  CHECK_FALSE(IsValidHostname(std::string(64, 'a') + ".example"));
  CHECK_FALSE(IsValidHostname(""));
  CHECK_FALSE(IsValidHostname("trailing.dot."));
  CHECK_FALSE(IsValidHostname(".leading"));
  CHECK_FALSE(IsValidHostname("a-.example"));
  CHECK_FALSE(IsValidHostname("1.2.3.4"));
  CHECK_FALSE(IsValidHostname("star*.example"));
}

// ---- Oracle: Postfix's own parser from libpostfix-util.so ----

class PostfixUtil {
 public:
  PostfixUtil() {
    handle_ = dlopen("/usr/lib/postfix/libpostfix-util.so", RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) return;
    vstring_alloc_ = reinterpret_cast<void* (*)(long)>(dlsym(handle_, "vstring_alloc"));
    parse_ = reinterpret_cast<char* (*)(void*, char*)>(dlsym(handle_, "ip_match_parse"));
    save_ = reinterpret_cast<char* (*)(const void*)>(dlsym(handle_, "ip_match_save"));
    execute_ = reinterpret_cast<int (*)(const char*, const char*)>(dlsym(handle_, "ip_match_execute"));
    valid_hostname_ = reinterpret_cast<int (*)(const char*, int)>(dlsym(handle_, "valid_hostname"));
    myfree_ = reinterpret_cast<void (*)(void*)>(dlsym(handle_, "myfree"));
    if (vstring_alloc_ != nullptr) codes_ = vstring_alloc_(100);
  }
  bool ok() const {
    return handle_ != nullptr && parse_ != nullptr && save_ != nullptr && execute_ != nullptr &&
           valid_hostname_ != nullptr && myfree_ != nullptr && codes_ != nullptr;
  }
  using Codes = std::shared_ptr<char>;
  /// Postfix's byte code for `pattern`, or null when it refuses it.
  Codes Parse(const std::string& pattern) {
    std::vector<char> buf(pattern.begin(), pattern.end());
    buf.push_back('\0');
    if (parse_(codes_, buf.data()) != nullptr) return nullptr;
    // ip_match_save() allocates with mymalloc(), so myfree() must release it.
    return Codes(save_(codes_), [free = myfree_](char* p) { free(p); });
  }
  bool Matches(const Codes& codes, const std::array<uint8_t, 4>& addr) {
    return execute_(codes.get(), reinterpret_cast<const char*>(addr.data())) != 0;
  }
  bool ValidHostname(const std::string& name) { return valid_hostname_(name.c_str(), 0) != 0; }

 private:
  void* handle_ = nullptr;
  void* (*vstring_alloc_)(long) = nullptr;
  char* (*parse_)(void*, char*) = nullptr;
  char* (*save_)(const void*) = nullptr;
  int (*execute_)(const char*, const char*) = nullptr;
  int (*valid_hostname_)(const char*, int) = nullptr;
  void (*myfree_)(void*) = nullptr;
  void* codes_ = nullptr;
};

PostfixUtil& Oracle() {
  static PostfixUtil util;
  return util;
}

void CompareWithPostfix(const std::string& pattern) {
  INFO("pattern: \"" << pattern << "\"");
  PostfixUtil::Codes theirs = Oracle().Parse(pattern);
  Result<ReplyFilter> ours = ParseReplyFilter(pattern);
  REQUIRE(ours.ok() == (theirs != nullptr));
  if (!theirs) return;
  // Same matches: vary each octet over 0..255 around a few base answers.
  const std::array<std::array<uint8_t, 4>, 3> bases = {A(127, 0, 0, 2), A(127, 0, 1, 255), A(10, 20, 30, 40)};
  for (const auto& base : bases) {
    for (std::size_t pos = 0; pos < 4; ++pos) {
      for (unsigned v = 0; v < 256; ++v) {
        std::array<uint8_t, 4> addr = base;
        addr[pos] = static_cast<uint8_t>(v);
        if (ours->Matches(addr) != Oracle().Matches(theirs, addr)) {
          FAIL("differs at " << int{addr[0]} << "." << int{addr[1]} << "." << int{addr[2]} << "."
                             << int{addr[3]});
        }
      }
    }
  }
}

TEST_CASE("reply filters agree with Postfix's ip_match_parse") {
  REQUIRE(Oracle().ok());  // Postfix must be installed: this is the oracle
  const char* patterns[] = {
      "127.0.0.2", "127.0.0.[2..11]", "127.0.0.[2;4;5]", "127.0.[0..255].[2..11]",
      "127.0.0.[2..", "[127.0.0.2]", "[127.0.0.2]]", "[[127.0.0.2]]", "[127.0.0.[2]]",
      "127.0.0.[2,4]", "127.0.0.0002", "127.0.0.256", "127.0.0.[5..2]", "127.0.0.[2;]",
      "127.0.0.[]", " 127.0.0.2", "127.0.0.2 ", "127.0.0.[1..300]", "127.0.0.[[2]]",
      "127.0.0.[2..2]", "127.0.0.[2..3..4]", "127.0.0.[2...3]", "127.0.0.[2;6..8;10]",
      "[127.0.0.2", "127.0.0.2]", "", "[]", "[", "]", "127.0.0", "127.0.0.2.1",
      "127.0.0.3[6..9]", "1.2.[3.4].5", "127.255.255.[1..255]", "127.0.1.[2..99]",
      "0.0.0.0", "255.255.255.255", "[0..255].[0..255].[0..255].[0..255]",
      "127.0.0.99999999999999999999", "127.0.0.[0..999999999999]", "127.0.0.[;2]",
      "127.0.0.[2;;3]", "127.0.0.[2 ;3]", "127.0.0.-2", "127.0.0.+2", "127.0.0.[2..+3]",
      "127.0.0.2;", "127..0.2", ".127.0.0.2",
  };
  for (const char* p : patterns) CompareWithPostfix(p);
}

TEST_CASE("random reply filters agree with Postfix") {
  REQUIRE(Oracle().ok());
  std::mt19937 rng(20260821);
  const std::string alphabet = "0123456789..[];,x 2551";
  const std::vector<std::string> pieces = {"127", "0", "2", "11", "255", "256", ".", ".", "..", "[", "]", ";", ""};
  for (int i = 0; i < 4000; ++i) {
    std::string p;
    std::size_t n = rng() % 14;
    for (std::size_t k = 0; k < n; ++k) {
      if (rng() % 3 == 0) {
        p += alphabet[rng() % alphabet.size()];
      } else {
        p += pieces[rng() % pieces.size()];
      }
    }
    CompareWithPostfix(p);
  }
}

TEST_CASE("host names agree with Postfix's valid_hostname") {
  REQUIRE(Oracle().ok());
  const std::vector<std::string> names = {
      "zen.spamhaus.org", "a", "1", "1.2.3.4", "1a", "a-b.c", "a--b.c", "-a.b", "a-.b", "a.-b",
      "a..b", ".a", "a.", "", "_a._b", "a_b", "a*b.c", "KEY123.zen.dq.spamhaus.net",
      std::string(63, 'x') + ".y", std::string(64, 'x') + ".y", std::string(250, 'a'),
      "a.b.c.d.e.f.g", "a b", "a\tb", "xn--bcher-kva.example", "2.0.0.127.zen.spamhaus.org",
  };
  for (const std::string& n : names) {
    INFO("name: \"" << n << "\"");
    CHECK(IsValidHostname(n) == Oracle().ValidHostname(n));
  }
  // 300 labels of 1 byte: longer than 255 bytes.
  std::string long_name;
  for (int i = 0; i < 150; ++i) long_name += "a.";
  long_name += "b";
  CHECK(IsValidHostname(long_name) == Oracle().ValidHostname(long_name));
  std::mt19937 rng(7);
  const std::string alphabet = "ab1-._*";
  for (int i = 0; i < 3000; ++i) {
    std::string n;
    std::size_t len = rng() % 12;
    for (std::size_t k = 0; k < len; ++k) n += alphabet[rng() % alphabet.size()];
    INFO("name: \"" << n << "\"");
    CHECK(IsValidHostname(n) == Oracle().ValidHostname(n));
  }
}

}  // namespace
}  // namespace postvet::dnsbl
