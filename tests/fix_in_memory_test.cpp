// FixInMemory (src/diff/fix_in_memory.hpp): the fix loop of `check --fix` on
// in-memory files gives the same bytes as the CLI's fixtures
// (testdata/rules/<ID>/fixed/), converges, stops at the pass limit, and
// never reads the disk.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "rules/registry.hpp"
#include "rules/rule_selector.hpp"
#include "src/diff/fix_in_memory.hpp"
#include "tests/test_util.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> FilesOf(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename() == ".postvet.cf") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    files[entry.path().filename().string()] = ss.str();
  }
  return files;
}

size_t Count(const std::map<std::string, size_t>& counts, const std::string& rule) {
  auto it = counts.find(rule);
  return it == counts.end() ? 0 : it->second;
}

// fuzz/regressions/fix_convergence/pv002-binary-guess-after-pv102-deletion:
// PV002 once judged "not a text file" by the share of control bytes in the
// first 4 KiB, so PV102 deleting an earlier definition made it appear.
TEST_CASE("deleting text by a safe fix never adds a PV002 finding") {
  const std::string padding(400, 'x');
  const std::string controls(40, '\x17');
  std::map<std::string, std::string> files{
      {"main.cf", "header_checks = regexp:/etc/postfix/" + padding + "\n" +
                      "smtpd_banner = $myhostname " + controls + "\n" +
                      "header_checks = regexp:/etc/postfix/header_checks\n"},
      {"header_checks", "/^Subject: x/ REJECT\n"}};
  Result<InMemoryFixResult> r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 5);
  REQUIRE(r.ok());
  CHECK(r->passes > 0);
  CHECK(Count(r->findings_before, "PV102") == 1);
  CHECK(Count(r->findings_after, "PV102") == 0);
  CHECK(Count(r->findings_before, "PV002") == 1);  // the control byte, before and after
  CHECK(Count(r->findings_after, "PV002") == 1);
  CHECK(Count(r->subjects_after, "PV002 control") == 1);
}

// fuzz/regressions/fix_convergence/pv002-nul-line-deleted-reveals-control-byte:
// with one PV002 finding per file, a NUL hid a later control byte until
// PV305 deleted the NUL's line. Each kind is now reported on its own.
TEST_CASE("deleting a line with a NUL byte does not reveal a hidden control byte") {
  std::map<std::string, std::string> files{
      {"main.cf", "header_checks = regexp:/etc/postfix/header_checks\n"},
      {"header_checks", std::string("/^Subject: a/ REJECT\n/^Subject: a/ REJECT x") + '\0' + "y\n/^Subject: b\x1e/ REJECT\n"}};
  Result<InMemoryFixResult> r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 5);
  REQUIRE(r.ok());
  CHECK(Count(r->findings_before, "PV305") == 1);
  CHECK(Count(r->subjects_before, "PV002 nul") == 1);
  CHECK(Count(r->subjects_before, "PV002 control") == 1);
  CHECK(Count(r->subjects_after, "PV002 control") == 1);
}

// fuzz/regressions/fix_convergence/pv404-fix-reveals-missing-table: a fix
// that makes a broken `-o` option real also makes its table reference
// real; the missing table is a true finding, told apart by its subject.
TEST_CASE("a repaired option may reveal a missing table, not unreadable content") {
  std::map<std::string, std::string> files{
      {"main.cf", "myhostname = mx.example.com\n"},
      {"master.cf", "smtp inet n - y - - smtpd\n  -o header_checks = pcre:/etc/postfix/missing\n"}};
  Result<InMemoryFixResult> r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 5);
  REQUIRE(r.ok());
  CHECK(Count(r->findings_before, "PV404") == 1);
  CHECK(Count(r->findings_after, "PV404") == 0);
  CHECK(Count(r->subjects_after, "PV002 /etc/postfix/missing") == 1);
  CHECK(Count(r->subjects_after, "PV002 nul") + Count(r->subjects_after, "PV002 control") == 0);
}

TEST_CASE("in-memory fixing reproduces every rule's fixed/ fixture") {
  const fs::path rules = fs::path(testing::SourceDir()) / "testdata" / "rules";
  size_t compared = 0;
  for (const RuleInfo& info : AllRuleInfos()) {
    const fs::path fixture = rules / std::string(info.id);
    if (!fs::is_directory(fixture / "fixed") || !fs::is_directory(fixture / "fire")) continue;
    // The PV9xx rules need live probe results; the CLI tests cover them.
    if (info.id.substr(0, 3) == "PV9") continue;
    ProjectConfig config;
    if (fs::exists(fixture / "fire" / ".postvet.cf")) {
      Result<ProjectConfig> read = ReadProjectConfig((fixture / "fire" / ".postvet.cf").string());
      REQUIRE(read.ok());
      config = read.value();
    }
    config.select = {std::string(info.id)};
    const FixPolicy policy{info.fix != FixKind::kSafe};
    INFO(info.id);
    Result<InMemoryFixResult> r = FixInMemory(FilesOf(fixture / "fire"), config, policy, 5);
    REQUIRE(r.ok());
    CHECK(r->converged);
    CHECK(r->passes >= 1);
    CHECK(Count(r->findings_before, std::string(info.id)) >= 1);
    for (const auto& [name, want] : FilesOf(fixture / "fixed")) {
      INFO(name);
      CHECK(r->files[name] == want);
    }
    // Fixing the fixed files changes nothing.
    Result<InMemoryFixResult> again = FixInMemory(r->files, config, policy, 5);
    REQUIRE(again.ok());
    CHECK(again->converged);
    CHECK(again->passes == 0);
    CHECK(again->files == r->files);
    ++compared;
  }
  CHECK(compared >= 10);
}

TEST_CASE("in-memory fixing stops at the pass limit and says it did not converge") {
  std::map<std::string, std::string> files = {{"main.cf", "a = 1\na = 2\n"}};
  Result<InMemoryFixResult> r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 0);
  REQUIRE(r.ok());
  CHECK_FALSE(r->converged);
  CHECK(r->passes == 0);
  CHECK(r->files == files);
  CHECK(Count(r->findings_before, "PV102") == 1);

  r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 5);
  REQUIRE(r.ok());
  CHECK(r->converged);
  CHECK(r->passes == 1);
  CHECK(Count(r->findings_after, "PV102") == 0);
}

TEST_CASE("in-memory fixing reads nothing from disk") {
  // A table named through "..": on disk it would be /etc/hostname.
  std::map<std::string, std::string> files = {
      {"main.cf", "header_checks = regexp:/etc/postfix/../../etc/hostname\n"
                  "body_checks = regexp:/etc/postfix/body_checks\n"},
      {"body_checks", "/x/ REJECT\n"}};
  Result<InMemoryFixResult> r = FixInMemory(files, ProjectConfig{}, FixPolicy{}, 5);
  REQUIRE(r.ok());
  CHECK(Count(r->findings_after, "PV002") == 1);  // the hostname file, unreadable here
  CHECK(r->files.size() == 2);

  Result<InMemoryFixResult> none = FixInMemory({{"header_checks", "/x/ REJECT\n"}}, ProjectConfig{}, FixPolicy{}, 5);
  CHECK_FALSE(none.ok());
}

}  // namespace
}  // namespace postvet
