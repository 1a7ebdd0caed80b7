// The grammars are total and lossless: every file parses, the tree's
// top-level nodes cover every byte in order, children nest inside parents,
// and echoing the tree gives the input back. Checked on crafted edge cases
// and on every corpus file under every grammar.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "grammar/cst_builder.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

Cst ParseAs(const Source& s, int kind) {
  switch (kind) {
    case 0: return ParseMainCf(s);
    case 1: return ParseMasterCf(s);
    case 2: return ParseTable(s, TableType::kRegexp);
    default: return ParseTable(s, TableType::kPcre);
  }
}

void CheckWellFormed(const Cst& cst) {
  const auto& nodes = cst.nodes();
  REQUIRE(!nodes.empty());
  REQUIRE(nodes[0].kind == NodeKind::kFile);
  REQUIRE(nodes[0].subtree_size == nodes.size());
  // Top level covers [0, size) contiguously.
  uint32_t pos = 0;
  for (uint32_t c : cst.Children(0)) {
    REQUIRE(cst.node(c).begin == pos);
    pos = cst.node(c).end;
  }
  REQUIRE(pos == cst.source().size());
  // Every child lies inside its parent, after its previous sibling.
  for (uint32_t i = 0; i < nodes.size(); ++i) {
    uint32_t prev_end = nodes[i].begin;
    for (uint32_t c : cst.Children(i)) {
      REQUIRE(cst.node(c).begin >= prev_end);
      REQUIRE(cst.node(c).end <= nodes[i].end);
      REQUIRE(cst.node(c).begin < cst.node(c).end);
      prev_end = cst.node(c).end;
    }
  }
  REQUIRE(cst.Echo() == cst.source().text());
}

std::vector<NodeKind> TopKinds(const Cst& cst) {
  std::vector<NodeKind> kinds;
  for (uint32_t c : cst.Children(0)) kinds.push_back(cst.node(c).kind);
  return kinds;
}

TEST_CASE("edge cases parse losslessly under every grammar") {
  const char* cases[] = {
      "",
      "\n",
      "a = b",
      "a = b\n  # c\n\n\tcont\n",
      "  lead = x\nb = c\n",
      "a = b\r\n",
      "a\rb = c\r",
      "\xEF\xBB\xBFmyhostname = h\n",
      "# only a comment",
      "   \n\t\n",
      "smtp inet n - y - - smtpd\n  -o { a = b,\n  # inside\n   c }\n",
      "smtp inet n - y - - smtpd -o {unclosed\n",
      "if /^Subject:/\n/a/ REJECT x\n  more\nendif\n",
      "/unterminated\n!!/x/i OK\n%c%d% OK\n_x_ OK\n1/x/ OK\n",
      "/a/!/b/ REJECT\n/x\\/y/ OK $1\n",
  };
  for (const char* text : cases) {
    for (int kind = 0; kind < 4; ++kind) {
      Source s = testing::MakeSource(text);
      CheckWellFormed(ParseAs(s, kind));
    }
  }
  // Embedded NUL keeps its bytes.
  std::string nul("x = a\0b\n", 8);
  Source s = testing::MakeSource(nul);
  CheckWellFormed(ParseMainCf(s));
}

TEST_CASE("main.cf logical lines follow readllines") {
  Source s = testing::MakeSource("a = b\n  # c\n\n\td\nmyhost\n name = x\n  \nk=v\n");
  Cst cst = ParseMainCf(s);
  CheckWellFormed(cst);
  auto kids = cst.Children(0);
  REQUIRE(TopKinds(cst) == std::vector<NodeKind>{NodeKind::kParameter, NodeKind::kBadLine,
                                                 NodeKind::kBlankLine, NodeKind::kParameter});
  uint32_t value = cst.FindChild(kids[0], NodeKind::kValue);
  REQUIRE(value != Cst::kNone);
  CHECK(cst.Text(value) == "b\td");  // comment and blank lines inside are dropped
  CHECK(cst.Text(cst.FindChild(kids[3], NodeKind::kValue)) == "v");
}

TEST_CASE("main.cf: name, '=' across a continuation, trailing space") {
  Source s = testing::MakeSource("myhostname\n  = foo  \n");
  Cst cst = ParseMainCf(s);
  auto kids = cst.Children(0);
  REQUIRE(TopKinds(cst) == std::vector<NodeKind>{NodeKind::kParameter});
  CHECK(cst.Raw(cst.FindChild(kids[0], NodeKind::kName)) == "myhostname");
  CHECK(cst.Raw(cst.FindChild(kids[0], NodeKind::kValue)) == "foo");
}

TEST_CASE("main.cf: leading whitespace at file start is a bad_leading line") {
  Source s = testing::MakeSource("  myhostname = a\n  more\nmydomain = b\n");
  Cst cst = ParseMainCf(s);
  REQUIRE(TopKinds(cst) == std::vector<NodeKind>{NodeKind::kBadLeading, NodeKind::kParameter});
}

TEST_CASE("master.cf: fields, arguments and multi-line brace groups") {
  Source s = testing::MakeSource(
      "smtp inet n - y - - smtpd\n  -o { a = b,\n  # c\n   d } -o x=y\nshort unix - -\n");
  Cst cst = ParseMasterCf(s);
  CheckWellFormed(cst);
  REQUIRE(TopKinds(cst) == std::vector<NodeKind>{NodeKind::kService, NodeKind::kBadLine});
  uint32_t svc = cst.Children(0)[0];
  int fields = 0;
  std::vector<std::string> args;
  for (uint32_t c : cst.Children(svc)) {
    if (cst.node(c).kind == NodeKind::kField) ++fields;
    if (cst.node(c).kind == NodeKind::kArgument) args.push_back(cst.Text(c));
  }
  CHECK(fields == 8);
  CHECK(args == std::vector<std::string>{"-o", "{ a = b,   d }", "-o", "x=y"});
}

TEST_CASE("tables: rule parts, if/endif, bad lines") {
  Source s = testing::MakeSource("if /^Subject:/\n!/a b/i REJECT  spam  \nENDIF\nfoo bar\n/open\n");
  Cst cst = ParseTable(s, TableType::kRegexp);
  CheckWellFormed(cst);
  REQUIRE(TopKinds(cst) == std::vector<NodeKind>{NodeKind::kIf, NodeKind::kRule, NodeKind::kEndif,
                                                 NodeKind::kBadLine, NodeKind::kBadLine});
  uint32_t rule = cst.Children(0)[1];
  CHECK(cst.Raw(cst.FindChild(rule, NodeKind::kNegation)) == "!");
  CHECK(cst.Raw(cst.FindChild(rule, NodeKind::kPattern)) == "/a b/");
  CHECK(cst.Raw(cst.FindChild(rule, NodeKind::kFlags)) == "i");
  CHECK(cst.Raw(cst.FindChild(rule, NodeKind::kResult)) == "REJECT  spam");
}

TEST_CASE("deep brace nesting does not recurse") {
  std::string deep = "a unix - - n - - pipe argv=" + std::string(200000, '{') + std::string(200000, '}') + "\n";
  Source s = testing::MakeSource(deep);
  Cst cst = ParseMasterCf(s);
  CheckWellFormed(cst);
}

TEST_CASE("every corpus file round-trips under every grammar", "[shared]") {
  if (!testing::CorpusPresent()) return;
  namespace fs = std::filesystem;
  int files = 0;
  for (const char* sub : {"main.cf", "master.cf", "checks", "templated"}) {
    fs::path dir = fs::path(testing::CorpusDir()) / sub;
    REQUIRE(fs::is_directory(dir));
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      Source s = testing::MakeSource(ss.str(), entry.path().string());
      for (int kind = 0; kind < 4; ++kind) {
        INFO(entry.path().string() << " as grammar " << kind);
        CheckWellFormed(ParseAs(s, kind));
      }
      ++files;
    }
  }
  CHECK(files >= 100);
}

}  // namespace
}  // namespace postvet
