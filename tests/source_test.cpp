// Source (src/base/source.hpp): offsets to lines and columns, and reading a
// file as the loader does (regular files only, errors naming the file); the
// file readers over it (src/base/file_reader.hpp).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "src/base/file_reader.hpp"
#include "src/base/source.hpp"

namespace postvet {
namespace {

using Files = std::map<std::string, std::string>;

TEST_CASE("offsets map to 1-based lines and byte columns") {
  Source s("p", "shown", "ab\ncde\n\nf");
  CHECK(s.display() == "shown");
  CHECK(s.path() == "p");
  CHECK(s.size() == 9);
  auto at = [&](uint32_t offset) {
    LineCol lc = s.Locate(offset);
    return std::to_string(lc.line) + ":" + std::to_string(lc.column);
  };
  CHECK(at(0) == "1:1");
  CHECK(at(2) == "1:3");  // the LF belongs to its line
  CHECK(at(3) == "2:1");
  CHECK(at(7) == "3:1");
  CHECK(at(8) == "4:1");
  CHECK(at(9) == "4:2");  // offset == size() is allowed
  CHECK(s.LineStart(0) == 0);
  CHECK(s.LineStart(2) == 3);
  CHECK(s.LineStart(4) == 8);
  CHECK(s.LineStart(5) == 9);  // past the last line
  CHECK(s.LineAt(4) == "cde");
  CHECK(s.LineAt(7).empty());
  CHECK(s.LineAt(8) == "f");
  CHECK(s.Slice(3, 6) == "cde");
}

TEST_CASE("an empty source has one empty line") {
  Source s("e", "e", "");
  CHECK(s.Locate(0).line == 1);
  CHECK(s.Locate(0).column == 1);
  CHECK(s.LineAt(0).empty());
}

TEST_CASE("reading refuses what is not a regular file, naming the file") {
  Result<Source> missing = ReadSource("/nonexistent-postvet-test/main.cf", "cfg/main.cf");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message() == "cfg/main.cf: cannot open: No such file or directory");

  Result<Source> device = ReadSource("/dev/null", "null");
  REQUIRE_FALSE(device.ok());
  CHECK(device.status().message().rfind("null: cannot read: ", 0) == 0);
  CHECK(device.status().message().find("not a regular file") != std::string::npos);

  Result<Source> dir = ReadSource("/", "root");
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.status().message().rfind("root: cannot read: ", 0) == 0);
}

TEST_CASE("the memory reader answers as the disk reader does for a missing file") {
  MemoryReader memory(Files{{"/m/main.cf", "a = 1\n"}});
  CHECK(memory.Exists("/m/main.cf"));
  CHECK_FALSE(memory.Exists("/m/master.cf"));
  Result<Source> read = memory.Read("/m/main.cf", "m/main.cf");
  REQUIRE(read.ok());
  CHECK(read->text() == "a = 1\n");
  CHECK(read->display() == "m/main.cf");
  CHECK(read->path() == "/m/main.cf");

  Result<Source> from_memory = memory.Read("/nonexistent-postvet-test/x", "x");
  Result<Source> from_disk = Disk().Read("/nonexistent-postvet-test/x", "x");
  REQUIRE_FALSE(from_memory.ok());
  REQUIRE_FALSE(from_disk.ok());
  CHECK(from_memory.status().message() == from_disk.status().message());
  CHECK_FALSE(Disk().Exists("/nonexistent-postvet-test/x"));
  CHECK(Disk().Exists("/"));
}

}  // namespace
}  // namespace postvet
