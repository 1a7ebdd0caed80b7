// `postvet show [--fields|--params] FILE`: master.cf as `postconf -M`,
// `postconf -F` and `postconf -P` print it, from the MasterCf model. stdout matches postconf
// byte for byte. Where postconf dies (bad field count, invalid field) this
// prints `postvet: FILE, line N: <postconf's reason>` and exits 2; postconf's
// warnings while reading master.cf come out as `postvet: warning: FILE, line
// N: <postconf's text>`. Messages are sanitised as Postfix does (non-ASCII
// and control bytes become '?'); stdout is raw.
#include "src/cli/show_master.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <fmt/format.h>

#include "grammar/cst_builder.hpp"
#include "src/cli/cli.hpp"
#include "src/cli/show_master_warnings.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/master_postconf.hpp"
#include "src/base/source.hpp"
#include "src/model/master_warnings.hpp"
#include "src/model/null_byte_lines.hpp"

namespace postvet {
namespace {

int ShowMaster(const std::string& path, PostconfListing listing, const std::string& version) {
  // postconf -M/-F/-P die with "open PATH: <reason>" when master.cf cannot be opened.
  if (std::FILE* probe = std::fopen(path.c_str(), "r")) {
    std::fclose(probe);
  } else {
    fmt::print(stderr, "postvet: {}\n", SanitizeForMessage(MasterOpenFailure(path, errno)));
    return kExitError;
  }
  Result<Source> source = ReadSource(path, path);
  if (!source.ok()) {
    fmt::print(stderr, "postvet: {}\n", source.status().message());
    return kExitError;
  }
  Cst cst = ParseMasterCf(*source);
  MasterCf master_cf = BuildMasterCf(cst);
  // Postfix registers names only once master.cf was read without a fatal
  // error: its registration warnings come before the listing, if at all.
  MasterListingWarnings registration = ComputeMasterListingWarnings(path, version);
  if (!registration.note.empty()) fmt::print(stderr, "postvet: note: {}\n", SanitizeForMessage(registration.note));
  bool registration_shown = false;
  auto show_registration = [&] {
    if (registration_shown) return;
    registration_shown = true;
    for (const std::string& w : registration.before) {
      fmt::print(stderr, "postvet: warning: {}\n", SanitizeForMessage(w));
    }
  };
  // Registration dies on a database client file it cannot parse, once
  // master.cf was read.
  if (registration.fatal && !ReadMasterLikePostconf(master_cf).fatal) {
    show_registration();
    fmt::print(stderr, "postvet: {}\n", SanitizeForMessage(*registration.fatal));
    return kExitError;
  }
  bool write_failed = false;
  PostconfOutput result = RunPostconfListing(master_cf, listing, [&](std::string_view text) {
    show_registration();
    if (!write_failed && std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) write_failed = true;
  }, &registration.target->defaults());
  std::string display = SanitizeForMessage(path);
  // Postfix 3.9+ readllines(): a logical line holding a NUL is reported as
  // it is read, before that line's own warnings; none after a fatal line.
  std::vector<NullByteWarning> nul;
  if (registration.target && registration.target->version() >= kNullByteWarningsSince) nul = NullByteWarnings(source->text(), path);
  const uint32_t last = result.fatal && result.fatal->line != 0 ? result.fatal->line : UINT32_MAX;
  size_t next_nul = 0;
  auto print_nul = [&](uint32_t upto) {
    for (; next_nul < nul.size() && nul[next_nul].first <= std::min(upto, last); ++next_nul) {
      fmt::print(stderr, "postvet: warning: {}\n", SanitizeForMessage(nul[next_nul].text));
    }
  };
  for (const PostconfMessage& w : result.warnings) {
    print_nul(w.line);
    fmt::print(stderr, "postvet: warning: {}, line {}: {}\n", display, w.line, SanitizeForMessage(w.text));
  }
  print_nul(UINT32_MAX);
  if (result.fatal) {
    if (result.fatal->line == 0) {
      fmt::print(stderr, "postvet: {}: {}\n", display, SanitizeForMessage(result.fatal->text));
    } else {
      fmt::print(stderr, "postvet: {}, line {}: {}\n", display, result.fatal->line,
                 SanitizeForMessage(result.fatal->text));
    }
    return kExitError;
  }
  show_registration();
  if (write_failed || std::fflush(stdout) != 0) {
    fmt::print(stderr, "postvet: cannot write to standard output\n");
    return kExitError;
  }
  for (const std::string& w : registration.after) {
    fmt::print(stderr, "postvet: warning: {}\n", SanitizeForMessage(w));
  }
  return kExitOk;
}

}  // namespace

int ShowMasterEntries(const std::string& path, const std::string& version) {
  return ShowMaster(path, PostconfListing::kEntries, version);
}
int ShowMasterFields(const std::string& path, const std::string& version) {
  return ShowMaster(path, PostconfListing::kFields, version);
}
int ShowMasterParams(const std::string& path, const std::string& version) {
  return ShowMaster(path, PostconfListing::kParams, version);
}

}  // namespace postvet
