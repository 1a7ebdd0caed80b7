// .postvet.cf: keys, errors naming key/file/line, discovery by walking up,
// which files are trusted.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "rules/rule_selector.hpp"
#include "src/config/project_config.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

// A fresh private directory (mkdtemp: never one someone else prepared).
fs::path TempDir() {
  std::string templ = (fs::temp_directory_path() / "postvet-cfg-XXXXXX").string();
  REQUIRE(::mkdtemp(templ.data()) != nullptr);
  return templ;
}

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
  fs::permissions(p, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
}

// Sets an environment variable for the scope of a test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST_CASE("reads every key") {
  fs::path dir = TempDir();
  Write(dir / ".postvet.cf",
        "# comment\npostfix_version = 3.6\nselect = PV1, PV2\nignore = PV207\nfail_on = error\n"
        "severity_PV203 = error\nper_path_ignores = hosts/old/*:PV101:PV105\n"
        "min_smtpd_processes = 250\nheader_group_threshold = 4\nmemory = 2G\n");
  Result<ProjectConfig> c = ReadProjectConfig((dir / ".postvet.cf").string());
  REQUIRE(c.ok());
  CHECK(c->postfix_version == "3.6");
  CHECK(c->select == std::vector<std::string>{"PV1", "PV2"});
  CHECK(c->ignore == std::vector<std::string>{"PV207"});
  CHECK(c->fail_on == Severity::kError);
  CHECK(c->severity.at("PV203") == Severity::kError);
  REQUIRE(c->path_ignores.size() == 1);
  CHECK(c->path_ignores[0].glob == "hosts/old/*");
  CHECK(c->path_ignores[0].rules == std::vector<std::string>{"PV101", "PV105"});
  CHECK(c->min_smtpd_processes == 250);
  CHECK(c->header_group_threshold == 4);
  CHECK(c->memory_bytes == 2ULL << 30);
  fs::remove_all(dir);
}

TEST_CASE("unknown keys and bad values name key, file and line") {
  fs::path dir = TempDir();
  Write(dir / ".postvet.cf", "select = PV1\nfail_onn = error\n");
  Result<ProjectConfig> c = ReadProjectConfig((dir / ".postvet.cf").string());
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Catch::Contains("line 2") && Catch::Contains("fail_onn") &&
                                       Catch::Contains(".postvet.cf"));
  Write(dir / ".postvet.cf", "min_smtpd_processes = many\n");
  c = ReadProjectConfig((dir / ".postvet.cf").string());
  REQUIRE_FALSE(c.ok());
  CHECK_THAT(c.status().message(), Catch::Contains("min_smtpd_processes"));
  Write(dir / ".postvet.cf", "not a setting\n");
  c = ReadProjectConfig((dir / ".postvet.cf").string());
  REQUIRE_FALSE(c.ok());
  fs::remove_all(dir);
}

TEST_CASE("the closest .postvet.cf wins, the search stops at the repository root") {
  fs::path dir = TempDir();
  fs::create_directories(dir / "repo/.git");
  Write(dir / ".postvet.cf", "");  // outside the repository: never found
  Write(dir / "repo/hosts/mx1/main.cf", "");
  CHECK_FALSE(FindProjectConfig((dir / "repo/hosts/mx1/main.cf").string()).has_value());
  Write(dir / "repo/.postvet.cf", "");
  CHECK(FindProjectConfig((dir / "repo/hosts/mx1").string()) == (dir / "repo/.postvet.cf").string());
  Write(dir / "repo/hosts/.postvet.cf", "");
  CHECK(FindProjectConfig((dir / "repo/hosts/mx1/main.cf").string()) == (dir / "repo/hosts/.postvet.cf").string());
  fs::remove_all(dir);
}

TEST_CASE("the search stops at the home directory") {
  fs::path dir = TempDir();
  Write(dir / ".postvet.cf", "fail_on = info\n");  // above the home directory: never found
  Write(dir / "home/user/mx1/main.cf", "");
  {
    ScopedEnv home("HOME", (dir / "home/user").string());
    CHECK_FALSE(FindProjectConfig((dir / "home/user/mx1").string()).has_value());
    Write(dir / "home/user/.postvet.cf", "");
    CHECK(FindProjectConfig((dir / "home/user/mx1/").string()) == (dir / "home/user/.postvet.cf").string());
  }
  {
    ScopedEnv home("HOME", "/nonexistent-home");
    fs::remove(dir / "home/user/.postvet.cf");
    CHECK(FindProjectConfig((dir / "home/user/mx1").string()) == (dir / ".postvet.cf").string());
  }
  fs::remove_all(dir);
}

TEST_CASE("settings files others may write are skipped with a warning") {
  fs::path dir = TempDir();
  ScopedEnv home("HOME", "/nonexistent-home");
  fs::create_directories(dir / "repo/.git");
  Write(dir / "repo/mx1/main.cf", "");
  Write(dir / "repo/.postvet.cf", "fail_on = error\n");
  Write(dir / "repo/mx1/.postvet.cf", "");
  std::vector<std::string> warnings;
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/mx1/.postvet.cf").string());
  CHECK(warnings.empty());

  // World-writable file: skipped, the next one up is used.
  fs::permissions(dir / "repo/mx1/.postvet.cf", fs::perms::others_write, fs::perm_options::add);
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/.postvet.cf").string());
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("ignoring") && Catch::Contains("repo/mx1/.postvet.cf") &&
                              Catch::Contains("others may write"));

  // A group-writable directory without the sticky bit: skipped.
  fs::permissions(dir / "repo/mx1/.postvet.cf", fs::perms::others_write, fs::perm_options::remove);
  fs::permissions(dir / "repo/mx1", fs::perms::group_write, fs::perm_options::add);
  warnings.clear();
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/.postvet.cf").string());
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("not sticky"));

  // World-writable and sticky (like /tmp): the invoking user's own file is trusted.
  fs::permissions(dir / "repo/mx1", fs::perms::all | fs::perms::sticky_bit);
  warnings.clear();
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/mx1/.postvet.cf").string());
  CHECK(warnings.empty());
  fs::remove_all(dir);
}

TEST_CASE("settings files and links owned by another user are skipped") {
  if (::geteuid() != 0) {
    WARN("skipped: needs root to give files to another user");
    return;
  }
  fs::path dir = TempDir();
  ScopedEnv home("HOME", "/nonexistent-home");
  fs::create_directories(dir / "repo/.git");
  Write(dir / "repo/.postvet.cf", "");
  Write(dir / "repo/mx1/main.cf", "");
  fs::permissions(dir / "repo/mx1", fs::perms::all | fs::perms::sticky_bit);  // like /tmp
  Write(dir / "repo/mx1/.postvet.cf", "fail_on = info\n");
  REQUIRE(::chown((dir / "repo/mx1/.postvet.cf").c_str(), 65534, 65534) == 0);
  std::vector<std::string> warnings;
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/.postvet.cf").string());
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("owned by another user (uid 65534)"));

  // A link planted by another user to a file the invoking user owns.
  fs::remove(dir / "repo/mx1/.postvet.cf");
  Write(dir / "mine.cf", "");
  fs::create_symlink(dir / "mine.cf", dir / "repo/mx1/.postvet.cf");
  REQUIRE(::lchown((dir / "repo/mx1/.postvet.cf").c_str(), 65534, 65534) == 0);
  warnings.clear();
  CHECK(FindProjectConfig((dir / "repo/mx1").string(), &warnings) == (dir / "repo/.postvet.cf").string());
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::Contains("symbolic link"));
  fs::remove_all(dir);
}

TEST_CASE("errors escape control bytes from the file") {
  fs::path dir = TempDir();
  Write(dir / ".postvet.cf", "bad\x1b]0;owned\x07key = 1\n");
  Result<ProjectConfig> c = ReadProjectConfig((dir / ".postvet.cf").string());
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find('\x1b') == std::string::npos);
  CHECK(c.status().message().find('\x07') == std::string::npos);
  CHECK_THAT(c.status().message(), Catch::Contains("bad\\x1B]0;owned\\x07key"));
  fs::remove_all(dir);
}

TEST_CASE("sizes") {
  CHECK(ParseSize("512") == 512ULL);
  CHECK(ParseSize("64k") == 64ULL << 10);
  CHECK(ParseSize("4G") == 4ULL << 30);
  CHECK_FALSE(ParseSize("4X").has_value());
  CHECK_FALSE(ParseSize("").has_value());
  CHECK_FALSE(ParseSize("99999999999999999999G").has_value());
}

}  // namespace
}  // namespace postvet
