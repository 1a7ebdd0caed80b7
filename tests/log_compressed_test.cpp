// Compressed mail logs (issue 21): gzip, xz and zstd data, made here from
// testdata/logs/mx-traditional.log, is told by its bytes (the names say
// nothing), read in pieces (members, streams and frames one after another)
// and gives the evidence of the plain file; data cut short or corrupt is an
// error naming the file, never a crash.
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>

#include "src/tune/log_evidence.hpp"
#include "tests/log_files_fixture.hpp"
#include "tests/tune_fixture.hpp"

namespace postvet::tune {
namespace {

using log_files::ScratchDir;

std::string Plain() {
  std::ifstream in(tune_fixture::LogPath("mx-traditional.log"), std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string Gzip(const std::string& text) {
  z_stream zs{};
  REQUIRE(::deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(::deflateBound(&zs, static_cast<uLong>(text.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(::deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  ::deflateEnd(&zs);
  return out;
}

std::string Xz(const std::string& text) {
  std::string out(::lzma_stream_buffer_bound(text.size()), '\0');
  size_t pos = 0;
  REQUIRE(::lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                                    text.size(), reinterpret_cast<uint8_t*>(out.data()), &pos, out.size()) == LZMA_OK);
  out.resize(pos);
  return out;
}

std::string Zstd(const std::string& text) {
  std::string out(::ZSTD_compressBound(text.size()), '\0');
  size_t n = ::ZSTD_compress(out.data(), out.size(), text.data(), text.size(), 3);
  REQUIRE(::ZSTD_isError(n) == 0);
  out.resize(n);
  return out;
}

struct Read {
  Status status;
  LogEvidence evidence;
};

Read ReadPath(const std::string& path) {
  LogAnalyzer a;
  Read r;
  r.status = ReadLogFile(path, &a);
  r.evidence = a.evidence();
  return r;
}

void SameEvidence(const LogEvidence& a, const LogEvidence& b) {
  CHECK(a.lines == b.lines);
  CHECK(a.syslog_lines == b.syslog_lines);
  CHECK(a.sessions.at("postfix/smtpd").peak == b.sessions.at("postfix/smtpd").peak);
  CHECK(a.sessions.at("postfix/smtpd").connections == b.sessions.at("postfix/smtpd").connections);
  CHECK(a.dnsbl_error_total == b.dnsbl_error_total);
  CHECK(a.first_stamp == b.first_stamp);
  CHECK(a.last_stamp == b.last_stamp);
}

TEST_CASE("gzip, xz and zstd logs are told by their bytes and read like the plain one") {
  const std::string plain = Plain();
  REQUIRE(plain.size() > 1000);
  Read expected = ReadPath(tune_fixture::LogPath("mx-traditional.log"));
  REQUIRE(expected.status.ok());
  CHECK(expected.evidence.sessions.at("postfix/smtpd").peak == 30);
  ScratchDir dir;
  // Halves compressed on their own and concatenated: gzip members, xz
  // streams, zstd frames one after the other.
  const std::string first = plain.substr(0, plain.size() / 2);
  const std::string second = plain.substr(plain.size() / 2);
  for (auto [name, compress] : {std::pair{"gzip", &Gzip}, std::pair{"xz", &Xz}, std::pair{"zstd", &Zstd}}) {
    INFO(name);
    std::string whole = compress(plain);
    Read r = ReadPath(dir.Write(std::string(name) + "-named.log", whole));
    INFO(r.status.message());
    REQUIRE(r.status.ok());
    SameEvidence(r.evidence, expected.evidence);
    Read pieces = ReadPath(dir.Write(std::string(name) + ".pieces", compress(first) + compress(second)));
    INFO(pieces.status.message());
    REQUIRE(pieces.status.ok());
    SameEvidence(pieces.evidence, expected.evidence);
  }
}

TEST_CASE("compressed data cut short or corrupt is an error naming the file") {
  const std::string plain = Plain();
  ScratchDir dir;
  for (auto [name, compress] : {std::pair{"gzip", &Gzip}, std::pair{"xz", &Xz}, std::pair{"zstd", &Zstd}}) {
    INFO(name);
    std::string data = compress(plain);
    for (size_t cut : {data.size() / 2, data.size() - 1, size_t{6}}) {
      std::string path = dir.Write(std::string(name) + "-cut-" + std::to_string(cut), data.substr(0, cut));
      Status st = ReadPath(path).status;
      INFO(cut);
      REQUIRE_FALSE(st.ok());
      CHECK(st.message().find(path + ": cannot read: ") == 0);
    }
    std::string corrupt = data;
    for (size_t i = 20; i < 40 && i < corrupt.size(); ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
    std::string path = dir.Write(std::string(name) + "-corrupt", corrupt);
    Status st = ReadPath(path).status;
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find(path + ": cannot read: ") == 0);
    CHECK(st.message().find("corrupt") != std::string::npos);
  }
}

TEST_CASE("a plain file with a compressor's first byte only is read as plain") {
  ScratchDir dir;
  std::string line = "Nov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]\n";
  Read r = ReadPath(dir.Write("odd.log", "\x28\n" + line));
  INFO(r.status.message());
  REQUIRE(r.status.ok());
  CHECK(r.evidence.sessions.at("postfix/smtpd").connections == 1);
}

// Fuzz finding (fuzz/regressions/log_line): a last line without LF that
// starts in the buffer after other lines. Reading on moved it to the
// buffer's front, and the reader handed out the old place.
TEST_CASE("a last line without LF after other lines is read whole, plain or compressed") {
  ScratchDir dir;
  const std::string text =
      "this line is not syslog at all\nNov 20 10:00:00 mx1 postfix/smtpd[1]: connect from a[192.0.2.1]";
  for (auto [name, compress] : {std::pair{"plain", +[](const std::string& s) { return s; }},
                                std::pair{"gzip", &Gzip}, std::pair{"xz", &Xz}, std::pair{"zstd", &Zstd}}) {
    INFO(name);
    Read r = ReadPath(dir.Write(std::string(name) + "-no-lf.log", compress(text)));
    INFO(r.status.message());
    REQUIRE(r.status.ok());
    CHECK(r.evidence.lines == 2);
    CHECK(r.evidence.syslog_lines == 1);
    CHECK(r.evidence.sessions.at("postfix/smtpd").connections == 1);
  }
}

}  // namespace
}  // namespace postvet::tune
