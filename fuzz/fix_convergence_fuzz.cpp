// Fuzz target: the safe-fix loop of `check --fix`, in memory
// (src/diff/fix_in_memory.hpp). The input is split at 0x1E bytes (ASCII
// record separator) into main.cf, master.cf, a regexp: header_checks and a
// pcre: body_checks; main.cf is given a prefix naming both tables.
// Properties:
// * no crash (an edit outside its file would throw out of ApplyEdits);
// * the loop converges: after at most kMaxFixPasses passes (the limit of
//   src/cli/check_command.cpp) a fresh lint of the fixed files plans no
//   further safe fix, so `check --fix` run twice changes nothing the second
//   time;
// * fixing adds no syntax error (PV001) and makes no file binary or adds a
//   NUL or control byte (PV002's content verdicts). A table PV002 cannot
//   open may appear: a fix that repairs a broken option (PV404's
//   `-o name = value` -> `-o name=value`) makes its table reference real,
//   and the missing table is then a true finding the broken line hid.
// With POSTVET_FUZZ_ORACLE=1 in the environment, main.cf and master.cf
// before and after fixing are also given to `postconf -c DIR -n` and
// `-M`: the fixed files must not make postconf complain about anything it
// did not complain about before (line numbers and "unused parameter"
// notes ignored). That part runs
// Postfix and is slow; the in-process part stays fast.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "src/match/regcomp_cost.hpp"
#include "src/diff/fix_in_memory.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kMaxFixPasses = 5;  // as in src/cli/check_command.cpp
constexpr char kSeparator = '\x1e';

size_t Count(const std::map<std::string, size_t>& counts, const char* rule) {
  auto it = counts.find(rule);
  return it == counts.end() ? 0 : it->second;
}

bool OracleWanted() {
  static const bool wanted = [] {
    const char* v = std::getenv("POSTVET_FUZZ_ORACLE");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return wanted;
}

const std::string& ScratchDir() {
  static const std::string dir = [] {
    std::string tmpl = (fs::temp_directory_path() / "postvet-fixconv-fuzz-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) std::abort();
    return tmpl;
  }();
  return dir;
}

void WriteFile(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// postconf's complaints about the main.cf and master.cf in `dir`, with the
// directory and line numbers taken out so that moved lines compare equal.
std::set<std::string> PostconfComplaints(const std::string& dir) {
  std::set<std::string> out;
  for (const char* mode : {"-n", "-M"}) {
    std::string cmd = "postconf -c '" + dir + "' " + mode + " 2>&1 >/dev/null";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (p == nullptr) std::abort();
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
    ::pclose(p);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t lf = text.find('\n', pos);
      std::string line = text.substr(pos, lf == std::string::npos ? std::string::npos : lf - pos);
      pos = lf == std::string::npos ? text.size() : lf + 1;
      for (size_t at; (at = line.find(dir)) != std::string::npos;) line.replace(at, dir.size(), "DIR");
      std::string norm;
      for (size_t i = 0; i < line.size(); ++i) {
        if (line.compare(i, 5, "line ") == 0) {
          norm += "line N";
          i += 5;
          while (i < line.size() && line[i] >= '0' && line[i] <= '9') ++i;
          --i;
          continue;
        }
        norm += line[i];
      }
      // A fixed `-o name = value` (PV404) becomes a real option, and postconf
      // then notes an unknown name as unused: that is the fix working.
      if (norm.find("unused parameter") != std::string::npos) continue;
      out.insert(norm);
    }
  }
  return out;
}

void CheckWithPostconf(const std::map<std::string, std::string>& before,
                       const std::map<std::string, std::string>& after) {
  const std::string a = ScratchDir() + "/before";
  const std::string b = ScratchDir() + "/after";
  fs::create_directories(a);
  fs::create_directories(b);
  for (const char* name : {"main.cf", "master.cf"}) {
    WriteFile(a + "/" + name, before.at(name));
    WriteFile(b + "/" + name, after.at(name));
  }
  std::set<std::string> old_complaints = PostconfComplaints(a);
  for (const std::string& c : PostconfComplaints(b)) {
    if (old_complaints.count(c) == 0) {
      std::fprintf(stderr, "postconf complains only after fixing: %s\n", c.c_str());
      __builtin_trap();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The regcomp budget is per run (one postvet process); each input is a run.
  postvet::ResetRunRegcompBudget();
  using namespace postvet;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string_view parts[4];
  for (int i = 0; i < 4; ++i) {
    size_t cut = i == 3 ? std::string_view::npos : text.find(kSeparator);
    parts[i] = text.substr(0, cut);
    text = cut == std::string_view::npos ? std::string_view() : text.substr(cut + 1);
  }
  std::map<std::string, std::string> files;
  files["main.cf"] =
      "header_checks = regexp:/etc/postfix/header_checks\nbody_checks = pcre:/etc/postfix/body_checks\n";
  files["main.cf"].append(parts[0]);
  files["master.cf"] = std::string(parts[1]);
  files["header_checks"] = std::string(parts[2]);
  files["body_checks"] = std::string(parts[3]);

  ProjectConfig config;
  Result<InMemoryFixResult> fixed = FixInMemory(files, config, FixPolicy{false}, kMaxFixPasses);
  fuzz::Require(fixed.ok());
  const InMemoryFixResult& r = fixed.value();
  if (!r.converged) {
    std::fprintf(stderr, "safe fixes still planned after %d passes\n", kMaxFixPasses);
    __builtin_trap();
  }
  fuzz::Require(r.files.size() == files.size());
  auto grew = [&](const char* what, size_t before, size_t after) {
    if (after <= before) return;
    std::fprintf(stderr, "%s: %zu findings before fixing, %zu after; the files after fixing:\n", what, before, after);
    for (const auto& [name, bytes] : r.files) std::fprintf(stderr, "== %s\n%s\n", name.c_str(), bytes.c_str());
    __builtin_trap();
  };
  grew("PV001", Count(r.findings_before, "PV001"), Count(r.findings_after, "PV001"));
  for (const char* kind : {"PV002 binary", "PV002 nul", "PV002 control"}) {
    grew(kind, Count(r.subjects_before, kind), Count(r.subjects_after, kind));
  }
  if (r.passes > 0 && OracleWanted()) CheckWithPostconf(files, r.files);
  return 0;
}
