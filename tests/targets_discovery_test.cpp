// Discovery of config dirs (src/run/targets_discovery.hpp) outside a git
// work tree, and per_path_ignores globs relative to their .postvet.cf
// (PathIgnoreMatches, src/config/project_config.hpp). The git side is
// tests/fleet_test.py.
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "src/config/project_config.hpp"
#include "src/run/targets_discovery.hpp"

namespace postvet::run {
namespace {

namespace fs = std::filesystem;

// A fresh directory under the temp dir (outside any git work tree on a
// test machine: the walk is what is tested).
struct Scratch {
  Scratch() {
    std::string templ = (fs::temp_directory_path() / "postvet-discovery-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    dir = templ;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void File(const std::string& rel, const std::string& text = "") const {
    fs::create_directories((fs::path(dir) / rel).parent_path());
    std::ofstream(fs::path(dir) / rel) << text;
  }
  std::string dir;
};

TEST_CASE("config file names: main.cf, master.cf and their templates") {
  for (const char* name : {"main.cf", "master.cf", "main.cf.j2", "master.cf.jinja", "main.cf.erb", "main.cf.tmpl",
                           "master.cf.tpl"}) {
    CHECK(IsConfigFileName(name));
  }
  for (const char* name : {"main.cf.orig", "main.cf~", "xmain.cf", "main.cfj2", "master.cf.j2.bak", "header_checks",
                           "main.cf.proto", ""}) {
    CHECK_FALSE(IsConfigFileName(name));
  }
}

TEST_CASE("a directory of main.cf is not a config dir; a template dir is") {
  Scratch s;
  fs::create_directories(fs::path(s.dir) / "corpus" / "main.cf");
  s.File("tpl/master.cf.j2");
  CHECK_FALSE(IsConfigDir(s.dir + "/corpus"));
  CHECK(IsConfigDir(s.dir + "/tpl"));
}

TEST_CASE("outside git: every config dir below, sorted, excluded globs and .git left out") {
  Scratch s;
  s.File("hosts/mx2/main.cf");
  s.File("hosts/mx1/master.cf");
  s.File("hosts/mx1/maps/main.cf");  // a config dir below a config dir counts too
  s.File("roles/postfix/templates/main.cf.j2");
  s.File("old/mx0/main.cf");
  s.File(".git/main.cf");
  s.File("notes/main.cf.orig");
  Result<std::vector<std::string>> all = DiscoverConfigDirs(s.dir, "", ExcludeRules{});
  REQUIRE(all.ok());
  CHECK(*all == std::vector<std::string>{s.dir + "/hosts/mx1", s.dir + "/hosts/mx1/maps", s.dir + "/hosts/mx2",
                                         s.dir + "/old/mx0", s.dir + "/roles/postfix/templates"});
  // Globs relative to `base`; a match on an ancestor excludes what is below.
  Result<std::vector<std::string>> some =
      DiscoverConfigDirs(s.dir, "", ExcludeRules{{"old", "roles/", "*/maps"}, s.dir, false});
  REQUIRE(some.ok());
  CHECK(*some == std::vector<std::string>{s.dir + "/hosts/mx1", s.dir + "/hosts/mx2"});
}

TEST_CASE("a relative root gives paths relative to the current directory") {
  Scratch s;
  s.File("a/hosts/mx1/main.cf");
  s.File("a/hosts/mx2/main.cf");
  const std::string cwd = s.dir + "/a/hosts/mx1";
  // The walk reads relative to the process's directory: run it from mx1.
  std::error_code ec;
  const fs::path before = fs::current_path(ec);
  fs::current_path(cwd);
  Result<std::vector<std::string>> found = DiscoverConfigDirs("../..", cwd, ExcludeRules{});
  fs::current_path(before);
  REQUIRE(found.ok());
  CHECK(*found == std::vector<std::string>{".", "../mx2"});
}

TEST_CASE("with no path outside a git work tree: /etc/postfix, as before") {
  Scratch s;
  // Run from a directory that no git work tree holds (git stops at the
  // ceiling, so a work tree above the temp dir does not count).
  ::setenv("GIT_CEILING_DIRECTORIES", fs::path(s.dir).parent_path().c_str(), 1);
  CHECK(DefaultTarget(s.dir) == "/etc/postfix");
  ::unsetenv("GIT_CEILING_DIRECTORIES");
}

TEST_CASE("per_path_ignores globs are relative to the directory of their .postvet.cf") {
  std::error_code ec;
  const std::string cwd = fs::current_path(ec).string();
  PathIgnore pi{"header_checks", {"PV303"}, cwd + "/hosts/mx1"};
  CHECK(PathIgnoreMatches(pi, "hosts/mx1/header_checks"));
  CHECK(PathIgnoreMatches(pi, cwd + "/hosts/mx1/header_checks"));
  CHECK_FALSE(PathIgnoreMatches(pi, "hosts/mx2/header_checks"));
  CHECK_FALSE(PathIgnoreMatches(pi, "header_checks"));  // the current directory's, not mx1's
  PathIgnore top{"hosts/mx2/*", {"PV303"}, cwd};
  CHECK(PathIgnoreMatches(top, "hosts/mx2/header_checks"));
  CHECK_FALSE(PathIgnoreMatches(top, "hosts/mx1/header_checks"));
  PathIgnore old_style{"legacy/*", {"PV2"}, ""};  // no base: the path as shown
  CHECK(PathIgnoreMatches(old_style, "legacy/main.cf"));
  CHECK(RelativeToBase(cwd + "/x/y", cwd) == "x/y");
  CHECK(RelativeToBase("/elsewhere/z", cwd + "/x") == "/elsewhere/z");
  CHECK(RelativeToBase(cwd, cwd).empty());
}

}  // namespace
}  // namespace postvet::run
