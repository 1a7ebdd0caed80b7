// Fix application: edits own only their bytes, overlapping fixes are
// refused whole, writes are atomic and keep the mode, the unified diff
// applies with patch(1) and git apply and quotes file names as git does,
// FixTransaction keeps links and refuses what it must not write, the
// directory lock excludes a second holder, and the summary line counts.
// (tests/fix_integrity_test.py covers races, signals and other users.)
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "src/fix/dir_lock.hpp"
#include "src/fix/edits.hpp"
#include "src/fix/summary.hpp"
#include "src/fix/transaction.hpp"
#include "src/fix/unified_diff.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

Diagnostic WithFix(const Source& s, uint32_t b, uint32_t e, std::string text, Applicability a = Applicability::kSafe) {
  Diagnostic d;
  d.rule_id = "PV102";
  d.location = {&s, b, e};
  d.fix = Fix{a, "test", {Edit{&s, b, e, std::move(text)}}};
  return d;
}

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST_CASE("edits replace exactly their bytes; overlaps are refused") {
  Source s = testing::MakeSource("a = 1\nb = 2\nc = 3\n");
  std::vector<Diagnostic> diags = {WithFix(s, 0, 6, ""), WithFix(s, 4, 8, "X"), WithFix(s, 12, 18, "c = 4\n"),
                                   WithFix(s, 6, 12, "", Applicability::kUnsafe)};
  std::vector<FileFix> plan = PlanFixes(diags, FixPolicy{});
  REQUIRE(plan.size() == 1);
  CHECK(plan[0].applied.size() == 2);
  CHECK(plan[0].refused.size() == 1);
  CHECK(ApplyEdits(s.text(), plan[0].edits) == "b = 2\nc = 4\n");
  plan = PlanFixes(diags, FixPolicy{true});
  CHECK(ApplyEdits(s.text(), plan[0].edits) == "c = 4\n");
}

TEST_CASE("two insertions at one point conflict") {
  Source s = testing::MakeSource("x\n");
  std::vector<Diagnostic> diags = {WithFix(s, 0, 0, "a"), WithFix(s, 0, 0, "b")};
  std::vector<FileFix> plan = PlanFixes(diags, FixPolicy{});
  CHECK(plan[0].applied.size() == 1);
  CHECK(ApplyEdits(s.text(), plan[0].edits) == "ax\n");
}

TEST_CASE("atomic write keeps the mode and replaces the contents") {
  fs::path p = fs::temp_directory_path() / ("postvet-fix-" + std::to_string(::getpid()) + ".cf");
  std::ofstream(p) << "old\n";
  ::chmod(p.c_str(), 0640);
  REQUIRE(WriteFileAtomically(p.string(), "new\n").ok());
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(ReadAll(p) == "new\n");
  fs::remove(p);
  CHECK_FALSE(WriteFileAtomically(p.string(), "x").ok());  // missing file: an error, not a crash
}

// Writes before/after, applies the diff with patch -p1, compares.
void CheckDiffApplies(const std::string& before, const std::string& after) {
  fs::path dir = fs::temp_directory_path() / ("postvet-diff-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "etc");
  std::ofstream(dir / "etc/main.cf", std::ios::binary) << before;
  std::string diff = UnifiedDiff("etc/main.cf", before, after);
  REQUIRE(!diff.empty());
  std::ofstream(dir / "fix.patch", std::ios::binary) << diff;
  std::string cmd = "cd " + dir.string() + " && git apply --check fix.patch && patch -s -p1 < fix.patch";
  INFO(diff);
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(ReadAll(dir / "etc/main.cf") == after);
  fs::remove_all(dir);
}

TEST_CASE("unified diffs apply with git apply and patch") {
  std::string before;
  for (int i = 0; i < 40; ++i) before += "p" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  std::string after = before;
  after.replace(after.find("p3 = 3\n"), 7, "");
  after.replace(after.find("p30 = 30\n"), 9, "p30 = 31\nextra = 1\n");
  CheckDiffApplies(before, after);
  CheckDiffApplies("a\nb", "a\nc");           // no final newline on either side
  CheckDiffApplies("a\nb\n", "a\nb");         // newline removed
  CheckDiffApplies("", "new = 1\n");          // file was empty
  CHECK(UnifiedDiff("x", "same\n", "same\n").empty());
}

TEST_CASE("patch file names are quoted as git quotes them") {
  CHECK(PatchFileName("a/", "etc/main.cf") == "a/etc/main.cf");
  CHECK(PatchFileName("a/", "with space") == "a/with space\t");  // the tab ends the name for patch(1)
  CHECK(PatchFileName("b/", "tab\tx") == "\"b/tab\\tx\"");
  CHECK(PatchFileName("a/", "nl\nx") == "\"a/nl\\nx\"");
  CHECK(PatchFileName("a/", "q\"b\\c") == "\"a/q\\\"b\\\\c\"");
  CHECK(PatchFileName("a/", "caf\xc3\xa9") == "\"a/caf\\303\\251\"");
  CHECK(PatchFileName("a/", std::string("x\x01\x7f", 3)) == "\"a/x\\001\\177\"");
  CHECK(PatchFileName("a/", "sp ace\t") == "\"a/sp ace\\t\"\t");
  CHECK(UnifiedDiff("my file", "a\n", "b\n").rfind("--- a/my file\t\n+++ b/my file\t\n@@", 0) == 0);
}

TEST_CASE("the fix summary counts fixes, files and what is left") {
  Source s = testing::MakeSource("a = 1\n");
  std::vector<Diagnostic> left = {WithFix(s, 0, 1, "", Applicability::kUnsafe), WithFix(s, 0, 1, "")};
  left.emplace_back();
  CHECK(FixSummary(14, 3, left, false) == "fixed 14 findings in 3 files; 3 remain (1 fixable with --unsafe-fixes)");
  CHECK(FixSummary(14, 3, left, true) == "fixed 14 findings in 3 files; 3 remain");
  left.resize(1);
  CHECK(FixSummary(1, 1, left, false) == "fixed 1 finding in 1 file; 1 remains (1 fixable with --unsafe-fixes)");
  CHECK(FixSummary(0, 0, {}, false) == "fixed nothing; none remain");
}

// A scratch directory for the transaction tests, removed at the end.
struct ScratchDir {
  fs::path path = fs::temp_directory_path() / ("postvet-tx-" + std::to_string(::getpid()));
  ScratchDir() {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~ScratchDir() { fs::remove_all(path); }
  std::string Write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
  size_t Count() const { return static_cast<size_t>(std::distance(fs::directory_iterator(path), {})); }
};

TEST_CASE("a transaction writes every file, through symlinks and hard links") {
  ScratchDir dir;
  std::string a = dir.Write("a.cf", "a1\n");
  std::string b = dir.Write("b.cf", "b1\n");
  fs::create_symlink("b.cf", dir.path / "link.cf");
  fs::create_hard_link(a, dir.path / "a-link.cf");
  ::chmod(b.c_str(), 0640);
  FixTransaction tx;
  tx.Add(a, "a1\n", "a2\n");
  tx.Add((dir.path / "link.cf").string(), "b1\n", "b2\n");
  CommitReport report;
  REQUIRE(tx.Commit(&report).ok());
  CHECK(report.changed.size() == 2);
  CHECK(report.unchanged.empty());
  CHECK(ReadAll(dir.path / "a-link.cf") == "a2\n");  // the hard link sees the new bytes
  CHECK(fs::hard_link_count(a) == 2);
  CHECK(fs::is_symlink(dir.path / "link.cf"));
  CHECK(ReadAll(b) == "b2\n");
  struct stat st {};
  REQUIRE(::stat(b.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(dir.Count() == 4);  // no temporary file left
}

TEST_CASE("a transaction writes nothing when one file must not be written") {
  ScratchDir dir;
  std::string a = dir.Write("a.cf", "a1\n");
  std::string b = dir.Write("b.cf", "b1\n");
  SECTION("changed since read") {
    FixTransaction tx;
    tx.Add(a, "a1\n", "a2\n");
    tx.Add(b, "b0\n", "b2\n");
    Status st = tx.Commit();
    CHECK_FALSE(st.ok());
    CHECK(st.message().find("b.cf: changed since postvet read it") != std::string::npos);
  }
  SECTION("read-only") {
    ::chmod(b.c_str(), 0444);
    FixTransaction tx;
    tx.Add(a, "a1\n", "a2\n");
    tx.Add(b, "b1\n", "b2\n");
    Status st = tx.Commit();
    CHECK_FALSE(st.ok());
    CHECK(st.message().find("b.cf: read-only (mode 0444)") != std::string::npos);
  }
  SECTION("one file by two names, fixed two ways") {
    fs::create_symlink("b.cf", dir.path / "link.cf");
    FixTransaction tx;
    tx.Add(b, "b1\n", "b2\n");
    tx.Add((dir.path / "link.cf").string(), "b1\n", "b3\n");
    CHECK_FALSE(tx.Commit().ok());
    fs::remove(dir.path / "link.cf");
  }
  CHECK(ReadAll(a) == "a1\n");
  CHECK(ReadAll(b) == "b1\n");
  CHECK(dir.Count() == 2);
}

TEST_CASE("one file reached by two names is written once") {
  ScratchDir dir;
  std::string b = dir.Write("b.cf", "b1\n");
  fs::create_symlink("b.cf", dir.path / "link.cf");
  FixTransaction tx;
  tx.Add(b, "b1\n", "b2\n");
  tx.Add((dir.path / "link.cf").string(), "b1\n", "b2\n");
  CommitReport report;
  REQUIRE(tx.Commit(&report).ok());
  CHECK(report.changed.size() == 2);
  CHECK(ReadAll(b) == "b2\n");
}

TEST_CASE("symlinks are followed to their final target") {
  ScratchDir dir;
  dir.Write("t.cf", "x");
  fs::create_directories(dir.path / "sub");
  fs::create_symlink("../t.cf", dir.path / "sub" / "l1");
  fs::create_symlink((dir.path / "sub" / "l1").string(), dir.path / "l2");
  Result<std::string> r = ResolveFinalSymlinks((dir.path / "l2").string());
  REQUIRE(r.ok());
  CHECK(fs::equivalent(r.value(), dir.path / "t.cf"));
  CHECK(fs::path(r.value()).filename() == "t.cf");
  fs::create_symlink("loop", dir.path / "loop");
  CHECK_FALSE(ResolveFinalSymlinks((dir.path / "loop").string()).ok());
}

TEST_CASE("a directory lock excludes a second holder until released") {
  ScratchDir dir;
  auto first = std::make_unique<DirLocks>();
  REQUIRE(first->Acquire({dir.path.string(), (dir.path / ".").string()}, std::chrono::milliseconds(0), {}).ok());
  int waits = 0;
  DirLocks second;
  Status st = second.Acquire({dir.path.string()}, std::chrono::milliseconds(100), [&](const std::string&) { ++waits; });
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("another postvet --fix") != std::string::npos);
  CHECK(waits == 1);
  first.reset();
  DirLocks third;
  CHECK(third.Acquire({dir.path.string()}, std::chrono::milliseconds(0), {}).ok());
  CHECK(dir.Count() == 0);  // no lock file
}

}  // namespace
}  // namespace postvet
