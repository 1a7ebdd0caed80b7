// ReadFileBuffer() (src/base/file_bytes.hpp, what `show` reads main.cf
// with) against ReadFileBytes(): the same bytes for small, empty, binary and
// big (huge-page sized) files, the same messages for what it refuses, and
// writable memory of its own.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "src/base/file_bytes.hpp"
#include "src/base/source.hpp"

using namespace postvet;

namespace {

// A file under /tmp holding `bytes`, removed at the end of the scope.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    char name[] = "/tmp/postvet-file-buffer-XXXXXX";
    int fd = ::mkstemp(name);
    REQUIRE(fd >= 0);
    ::close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void SameAsReadFileBytes(const std::string& bytes) {
  TempFile f(bytes);
  Result<std::string> want = ReadFileBytes(f.path(), "x/main.cf");
  Result<FileBuffer> got = ReadFileBuffer(f.path(), "x/main.cf");
  REQUIRE(want.ok());
  REQUIRE(got.ok());
  CHECK(got->size() == bytes.size());
  CHECK(got->view() == *want);
  if (got->size() > 0) {
    got->data()[0] = 'Z';  // writable
    CHECK(got->view()[0] == 'Z');
  }
}

}  // namespace

TEST_CASE("ReadFileBuffer: the bytes ReadFileBytes reads") {
  SameAsReadFileBytes("");
  SameAsReadFileBytes("a = b\n");
  SameAsReadFileBytes(std::string("a = b\0c\r\n  d", 12));
  SameAsReadFileBytes(std::string(4096, 'x'));  // exactly a page: the extra byte needs one more
  std::mt19937 rng(5);
  std::string big(size_t{9} << 20, ' ');  // past the huge-page size
  for (char& c : big) c = static_cast<char>(rng());
  SameAsReadFileBytes(big);
  // A file larger than fstat() says (procfs reports 0 bytes): the mapping
  // grows while it is read. Only where the kernel lets it be read, and its
  // text stays the same between two reads.
  const char* grows = "/proc/kallsyms";
  Result<std::string> first = ReadFileBytes(grows, "k");
  Result<FileBuffer> got = ReadFileBuffer(grows, "k");
  Result<std::string> second = ReadFileBytes(grows, "k");
  if (first.ok() && second.ok() && *first == *second && first->size() > 8192) {
    REQUIRE(got.ok());
    CHECK(got->view() == *first);
  }
}

TEST_CASE("ReadFileBuffer: refuses what ReadFileBytes refuses, in the same words") {
  for (const char* path : {"/nonexistent-postvet-test/main.cf", "/dev/null", "/"}) {
    INFO(path);
    Result<std::string> want = ReadFileBytes(path, "cfg/main.cf");
    Result<FileBuffer> got = ReadFileBuffer(path, "cfg/main.cf");
    REQUIRE_FALSE(want.ok());
    REQUIRE_FALSE(got.ok());
    CHECK(got.status().message() == want.status().message());
  }
  TempFile sparse("");
  REQUIRE(::truncate(sparse.path().c_str(), static_cast<off_t>(kMaxInputBytes + 1)) == 0);
  Result<FileBuffer> got = ReadFileBuffer(sparse.path(), "big/main.cf");
  REQUIRE_FALSE(got.ok());
  CHECK(got.status().message() == InputTooLarge("big/main.cf").message());
  CHECK(got.status().message().find("file is larger than") != std::string::npos);
}

TEST_CASE("FileBuffer: moves hand over the mapping") {
  TempFile f("k = v\n");
  Result<FileBuffer> r = ReadFileBuffer(f.path(), "m");
  REQUIRE(r.ok());
  FileBuffer a = std::move(*r);
  FileBuffer b;
  b = std::move(a);
  CHECK(b.view() == "k = v\n");
  CHECK(a.size() == 0);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
}
