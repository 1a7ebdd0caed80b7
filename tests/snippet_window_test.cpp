// The text format's source snippet on long lines: a window of context around
// the range, marked with "…" where the line is cut, the caret under the
// range, and a size that does not grow with the line (issue 16: a 680 KB
// line with 20,000 findings printed gigabytes).
#include <catch2/catch.hpp>

#include <string>

#include "src/report/reporter.hpp"

namespace postvet {
namespace {

std::string TextFor(const Source& source, uint32_t begin, uint32_t end) {
  Diagnostic d;
  d.rule_id = "PV999";
  d.severity = Severity::kWarning;
  d.location = {&source, begin, end};
  d.message = "m";
  ReportOptions options;
  options.tool_version = "0.0.0-test";
  return Render(Format::kText, {d}, {}, options);
}

// The snippet's two lines (source and underline), without the gutter.
std::pair<std::string, std::string> Snippet(const std::string& text) {
  size_t first = text.find('\n') + 1;
  size_t second = text.find('\n', first) + 1;
  size_t third = text.find('\n', second);
  std::string line = text.substr(first, second - 1 - first);
  std::string under = text.substr(second, third - second);
  size_t bar = line.find(" | ");
  return {line.substr(bar + 3), under.substr(bar + 3)};
}

TEST_CASE("a short line is shown whole") {
  Source s("f", "f", "key = a, b, c\n");
  auto [line, under] = Snippet(TextFor(s, 9, 10));
  CHECK(line == "key = a, b, c");
  CHECK(under == "         ^");
}

TEST_CASE("a long line is shown as a window around the range") {
  std::string text = "key = ";
  for (int i = 0; i < 20000; ++i) text += "entry" + std::to_string(i) + ", ";
  Source s("f", "f", text + "\n");
  const uint32_t at = static_cast<uint32_t>(text.find("entry10000,"));
  std::string out = TextFor(s, at, at + 10);
  CHECK(out.size() < 600);
  auto [line, under] = Snippet(out);
  CHECK(line.rfind("\u2026", 0) == 0);                           // cut on the left
  CHECK((line.size() >= 3 && line.substr(line.size() - 3) == "\u2026"));  // and on the right
  // 60 columns of context: the caret is at column 1 (…) + 60.
  CHECK(under == std::string(61, ' ') + "^" + std::string(9, '~'));
  CHECK(line.substr(61 + 2, 10) == "entry10000");  // +2: "…" is 3 bytes, 1 column
}

TEST_CASE("a range near the start keeps the line's start; a long range is cut") {
  std::string text = "key = " + std::string(100000, 'x');
  Source s("f", "f", text + "\n");
  auto [line, under] = Snippet(TextFor(s, 6, static_cast<uint32_t>(text.size())));
  CHECK(line.rfind("key = xxx", 0) == 0);
  CHECK(line.size() < 200);
  CHECK(under.size() < 200);
  CHECK(under.rfind("      ^~~~", 0) == 0);
}

}  // namespace
}  // namespace postvet
