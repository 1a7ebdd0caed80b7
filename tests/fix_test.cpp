// Fix application: edits own only their bytes, overlapping fixes are
// refused whole, writes are atomic and keep the mode, and the unified diff
// applies with patch(1) and git apply.
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "src/fix/edits.hpp"
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

}  // namespace
}  // namespace postvet
