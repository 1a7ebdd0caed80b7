// .postvet.cf: keys, errors naming key/file/line, discovery by walking up.
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "src/project_config.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

fs::path TempDir() {
  fs::path dir = fs::temp_directory_path() / ("postvet-cfg-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

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
