// ParseTableLines(), the table tree linting keeps (issue 20): it is
// ParseTable()'s tree without the tokens inside a logical line, node for
// node, and the table model built from it is the same. Checked on crafted
// tables and on every corpus table.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/model/regexp_table.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

bool IsToken(NodeKind k) {
  return k == NodeKind::kEol || k == NodeKind::kSpace || k == NodeKind::kNegation || k == NodeKind::kPattern ||
         k == NodeKind::kFlags || k == NodeKind::kResult || k == NodeKind::kExtraText;
}

using Shape = std::vector<std::tuple<NodeKind, uint32_t, uint32_t>>;

// The nodes in pre-order as (kind, begin, end), tokens left out.
Shape Lines(const Cst& cst) {
  Shape out;
  for (const Node& n : cst.nodes()) {
    if (!IsToken(n.kind)) out.emplace_back(n.kind, n.begin, n.end);
  }
  return out;
}

// Subtree sizes agree with the ranges: node i's subtree is exactly the
// nodes after it that lie inside it.
void CheckNesting(const Cst& cst) {
  const auto& nodes = cst.nodes();
  REQUIRE(nodes[0].subtree_size == nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    uint32_t inside = 1;
    while (i + inside < nodes.size() && nodes[i + inside].begin < nodes[i].end) {
      REQUIRE(nodes[i + inside].end <= nodes[i].end);
      ++inside;
    }
    REQUIRE(nodes[i].subtree_size == inside);
  }
}

void CheckSameTable(const std::string& text, TableType type) {
  INFO(text.substr(0, 200) << " as " << (type == TableType::kRegexp ? "regexp" : "pcre"));
  Source s = testing::MakeSource(text);
  const Cst full = ParseTable(s, type);
  const Cst lines = ParseTableLines(s, type);
  for (const Node& n : lines.nodes()) REQUIRE_FALSE(IsToken(n.kind));
  REQUIRE(Lines(lines) == Lines(full));
  CheckNesting(lines);
  CHECK(lines.Children(0).size() == full.Children(0).size());
  // Allocated once at the size ParseTableLines() reserves (one node per
  // physical line and a few more): had the bound been short, the vector
  // would have grown past it.
  CHECK(lines.nodes().capacity() == static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) + 4);
  const RegexpTable a = RegexpTable::Build(full, type, Residency::kOnDemand);
  const RegexpTable b = RegexpTable::Build(lines, type, Residency::kOnDemand);
  REQUIRE(a.entries().size() == b.entries().size());
  for (size_t i = 0; i < a.entries().size(); ++i) {
    const TableEntry& x = a.entries()[i];
    const TableEntry& y = b.entries()[i];
    CHECK(x.kind == y.kind);
    CHECK(x.active == y.active);
    CHECK(x.line == y.line);
    CHECK(x.range.begin == y.range.begin);
    CHECK(x.range.end == y.range.end);
    CHECK(x.result == y.result);
    CHECK(x.parent == y.parent);
    CHECK(x.partner == y.partner);
    REQUIRE(x.pattern.has_value() == y.pattern.has_value());
    if (x.pattern) CHECK(x.pattern->body == y.pattern->body);
  }
  REQUIRE(a.warnings().size() == b.warnings().size());
  for (size_t i = 0; i < a.warnings().size(); ++i) {
    CHECK(FormatTableWarning(a.warnings()[i], type, "t") == FormatTableWarning(b.warnings()[i], type, "t"));
  }
}

TEST_CASE("a table's lines-only tree is its full tree without the tokens, and loads the same") {
  const char* cases[] = {
      "",
      "\n",
      "# only a comment",
      "  lead /x/ OK\n/a/ REJECT\n",
      "if /^Subject:/\n/a/ REJECT x\n  more\nendif extra\n",
      "/unterminated\n!!/x/i OK\n%c%d% OK\n_x_ OK\n1/x/ OK\n",
      "/a/!/b/ REJECT\n/x\\/y/ OK $1\n/(a)/ $1 and $2\n",
      "/a\n  # dropped comment\n\n  b/ REJECT x\n  and more\n/c/ OK",
      "IF /x/\n\t/y/ DUNNO\nENDIF\nendif\nif /[/\n/z/ OK\n",
      "/a/ OK\r\n/b/q OK\n !/c/ OK\n",
  };
  for (const char* text : cases) {
    for (TableType type : {TableType::kRegexp, TableType::kPcre}) CheckSameTable(text, type);
  }
}

TEST_CASE("a big table's lines-only tree is allocated once, one node a line") {
  // Lines of 50 bytes: more nodes than a guess from the byte count (1 per
  // 32 bytes) allows for short lines, far fewer than it reserves for long
  // ones; either way the tree is exactly one node a line plus the file.
  std::string text;
  for (int i = 0; i < 2000; ++i) text += fmt::format("/^Subject: .*word{:05}\\b/ REJECT rule {:05}\n", i, i);
  std::string short_lines;
  for (int i = 0; i < 2000; ++i) short_lines += (i % 3 == 0 ? "\n" : i % 3 == 1 ? "#\n" : "/a/ B\n");
  for (const std::string* t : {&text, &short_lines}) {
    Source s = testing::MakeSource(*t);
    const Cst lines = ParseTableLines(s, TableType::kRegexp);
    CHECK(lines.nodes().size() == 2001);
    CHECK(lines.nodes().capacity() == 2004);
    // The root's children are counted before they are listed: one
    // allocation of exactly their number.
    const std::vector<uint32_t> top = lines.Children(0);
    CHECK(top.size() == 2000);
    CHECK(top.capacity() == 2000);
  }
}

TEST_CASE("a rule's lines-only tree keeps its joins and the lines they drop") {
  Source s = testing::MakeSource("/a/ REJECT x\n# c\n  more\n");
  const Cst lines = ParseTableLines(s, TableType::kRegexp);
  REQUIRE(lines.Children(0).size() == 1);
  const uint32_t rule = lines.Children(0)[0];
  CHECK(lines.node(rule).kind == NodeKind::kRule);
  const uint32_t join = lines.FindChild(rule, NodeKind::kJoin);
  REQUIRE(join != Cst::kNone);
  CHECK(lines.FindChild(join, NodeKind::kCommentLine) != Cst::kNone);
  CHECK(lines.nodes().size() < ParseTable(s, TableType::kRegexp).nodes().size());
}

TEST_CASE("every corpus table has the same lines-only tree and model", "[shared]") {
  if (!testing::CorpusPresent()) return;
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(testing::CorpusDir()) / "checks")) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    for (TableType type : {TableType::kRegexp, TableType::kPcre}) CheckSameTable(ss.str(), type);
    ++files;
  }
  CHECK(files >= 10);
}

}  // namespace
}  // namespace postvet
