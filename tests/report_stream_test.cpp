// Tests of RenderTo() (src/report/reporter.hpp): a report far larger than
// the chunk size comes out in bounded chunks, and the chunks together are
// byte for byte what Render() returns, in every format.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "src/report/formats.hpp"
#include "src/report/reporter.hpp"
#include "tests/report_fixture.hpp"

namespace postvet {
namespace {

using testing::ReportFixture;

// The fixture's findings `copies` times over: equal findings stay apart in
// report order (stable sort) and in the fingerprints (occurrence numbers).
std::vector<Diagnostic> Many(const ReportFixture& fixture, size_t copies) {
  std::vector<Diagnostic> out;
  out.reserve(fixture.diagnostics.size() * copies);
  for (size_t i = 0; i < copies; ++i) {
    out.insert(out.end(), fixture.diagnostics.begin(), fixture.diagnostics.end());
  }
  return out;
}

TEST_CASE("RenderTo streams every format in bounded chunks, byte-identical to Render") {
  const ReportFixture fixture;
  const std::vector<Diagnostic> many = Many(fixture, 400);
  constexpr size_t kChunk = report::ReportContext::kChunkBytes;
  for (const bool color : {false, true}) {
    const ReportOptions options = fixture.Options(color);
    for (const Format format : kAllFormats) {
      if (color && format != Format::kText) continue;  // only text has colour
      INFO("format " << FormatName(format) << (color ? " (colour)" : ""));
      const std::string whole = Render(format, many, fixture.rules, options);
      REQUIRE(whole.size() > 4 * kChunk);  // else this test shows nothing
      std::vector<std::string> chunks;
      RenderTo(format, many, fixture.rules, options,
               [&chunks](std::string_view text) { chunks.emplace_back(text); });
      std::string joined;
      size_t largest = 0;
      for (const std::string& chunk : chunks) {
        joined += chunk;
        largest = std::max(largest, chunk.size());
      }
      CHECK(joined == whole);
      // Chunks are cut between findings, so one may pass the chunk size by
      // at most one finding's output (a few KiB here).
      CHECK(chunks.size() >= whole.size() / (2 * kChunk));
      CHECK(largest < kChunk + 8 * 1024);
    }
  }
}

TEST_CASE("RenderTo of an empty report writes it whole, once") {
  const ReportFixture fixture;
  const ReportOptions options = fixture.Options();
  for (const Format format : kAllFormats) {
    INFO("format " << FormatName(format));
    std::vector<std::string> chunks;
    RenderTo(format, {}, fixture.rules, options,
             [&chunks](std::string_view text) { chunks.emplace_back(text); });
    REQUIRE(chunks.size() == 1);
    CHECK(chunks[0] == Render(format, {}, fixture.rules, options));
  }
}

}  // namespace
}  // namespace postvet
