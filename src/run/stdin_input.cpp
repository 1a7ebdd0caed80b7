#include "src/run/stdin_input.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "src/base/source.hpp"
#include "src/template/template_kind.hpp"

namespace postvet {

Result<StdinPlan> PlanStdin(const std::vector<std::string>& paths, const std::string& stdin_filename,
                            const std::string& type, bool fix) {
  StdinPlan plan;
  plan.used = std::count(paths.begin(), paths.end(), "-") > 0;
  if (!plan.used) {
    if (!stdin_filename.empty()) return Status::Error("--stdin-filename names standard input: give - as the path");
    return plan;
  }
  if (paths.size() != 1) return Status::Error("-: standard input is linted on its own; give no other path");
  if (fix) {
    return Status::Error("--fix cannot write to standard input; use --diff to print the fixes as a patch");
  }
  plan.name = stdin_filename.empty() ? "-" : stdin_filename;
  std::optional<FileKind> kind;
  if (!type.empty()) kind = FileKindFromName(type);
  if (!kind && !stdin_filename.empty()) kind = FileKindFromPath(tmpl::WithoutTemplateSuffix(stdin_filename));
  if (!kind) {
    return Status::Error(
        stdin_filename.empty()
            ? std::string("-: say what standard input is with --type (main, master, regexp, pcre) or "
                          "--stdin-filename NAME")
            : fmt::format("{}: the name does not say what kind of file it is; add --type (main, master, regexp, pcre)",
                          stdin_filename));
  }
  plan.kind = *kind;
  return plan;
}

Result<std::string> ReadAllBounded(int fd, const std::string& display) {
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    // At most one byte past the bound is read.
    size_t want = std::min(sizeof buf, static_cast<size_t>(kMaxInputBytes + 1 - bytes.size()));
    ssize_t n = ::read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Error(fmt::format("{}: cannot read: {}", display, std::strerror(errno)));
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > kMaxInputBytes) {
      return Status::Error(fmt::format("{}: input is larger than {} bytes (postvet's limit for one input)", display,
                                       kMaxInputBytes));
    }
    bytes.append(buf, static_cast<size_t>(n));
  }
  return bytes;
}

}  // namespace postvet
