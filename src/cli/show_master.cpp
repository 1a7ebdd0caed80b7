// `postvet show [--fields|--params] FILE`: master.cf as `postconf -M`,
// `postconf -F` and `postconf -P` print it, from the MasterCf model. stdout matches postconf
// byte for byte. Where postconf dies (bad field count, invalid field) this
// prints `postvet: FILE, line N: <postconf's reason>` and exits 2; postconf's
// warnings while reading master.cf come out as `postvet: warning: FILE, line
// N: <postconf's text>`. Messages are sanitised as Postfix does (non-ASCII
// and control bytes become '?'); stdout is raw.
#include "src/cli/show_master.hpp"

#include <cstdio>

#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/cli/cli.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_postconf.hpp"
#include "src/base/source.hpp"

namespace postvet {
namespace {

int ShowMaster(const std::string& path, PostconfListing listing) {
  Result<Source> source = ReadSource(path, path);
  if (!source.ok()) {
    fmt::print(stderr, "postvet: {}\n", source.status().message());
    return kExitError;
  }
  Cst cst = ParseMasterCf(*source);
  MasterCf master_cf = BuildMasterCf(cst);
  bool write_failed = false;
  PostconfOutput result = RunPostconfListing(master_cf, listing, [&](std::string_view text) {
    if (!write_failed && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) write_failed = true;
  });
  std::string display = SanitizeForMessage(path);
  for (const PostconfMessage& w : result.warnings) {
    fmt::print(stderr, "postvet: warning: {}, line {}: {}\n", display, w.line, SanitizeForMessage(w.text));
  }
  if (result.fatal) {
    if (result.fatal->line == 0) {
      fmt::print(stderr, "postvet: {}: {}\n", display, SanitizeForMessage(result.fatal->text));
    } else {
      fmt::print(stderr, "postvet: {}, line {}: {}\n", display, result.fatal->line,
                 SanitizeForMessage(result.fatal->text));
    }
    return kExitError;
  }
  if (write_failed || std::fflush(stdout) != 0) {
    fmt::print(stderr, "postvet: cannot write to standard output\n");
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

int ShowMasterEntries(const std::string& path) { return ShowMaster(path, PostconfListing::kEntries); }
int ShowMasterFields(const std::string& path) { return ShowMaster(path, PostconfListing::kFields); }
int ShowMasterParams(const std::string& path) { return ShowMaster(path, PostconfListing::kParams); }

}  // namespace postvet
