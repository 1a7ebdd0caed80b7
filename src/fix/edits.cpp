#include "src/fix/edits.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>

#include <fmt/format.h>

namespace postvet {
namespace {

bool Overlaps(const Edit& a, const Edit& b) {
  // Two insertions at the same point also conflict: their order is undefined.
  if (a.begin == a.end && b.begin == b.end) return a.begin == b.begin;
  return a.begin < b.end && b.begin < a.end;
}

}  // namespace

std::vector<FileFix> PlanFixes(const std::vector<Diagnostic>& diagnostics, const FixPolicy& policy) {
  std::map<const Source*, FileFix> by_file;
  std::vector<const Source*> order;
  for (const Diagnostic& d : diagnostics) {
    if (!d.fix || d.fix->edits.empty()) continue;
    if (d.fix->applicability == Applicability::kUnsafe && !policy.unsafe) continue;
    // All edits of one fix must be accepted together (they may span files).
    bool clash = false;
    for (const Edit& e : d.fix->edits) {
      auto it = by_file.find(e.source);
      if (it == by_file.end()) continue;
      for (const Edit& taken : it->second.edits) clash = clash || Overlaps(e, taken);
    }
    // Edits of the same fix must not overlap each other either.
    for (size_t i = 0; i < d.fix->edits.size() && !clash; ++i) {
      for (size_t j = i + 1; j < d.fix->edits.size(); ++j) {
        const Edit& a = d.fix->edits[i];
        const Edit& b = d.fix->edits[j];
        clash = clash || (a.source == b.source && Overlaps(a, b));
      }
    }
    for (const Edit& e : d.fix->edits) {
      auto [it, inserted] = by_file.try_emplace(e.source);
      if (inserted) {
        it->second.source = e.source;
        order.push_back(e.source);
      }
      if (!clash) it->second.edits.push_back(e);
    }
    FileFix& first = by_file[d.fix->edits.front().source];
    (clash ? first.refused : first.applied).push_back(&d);
  }
  std::vector<FileFix> out;
  for (const Source* s : order) {
    FileFix& f = by_file[s];
    std::sort(f.edits.begin(), f.edits.end(),
              [](const Edit& a, const Edit& b) { return a.begin < b.begin || (a.begin == b.begin && a.end < b.end); });
    out.push_back(std::move(f));
  }
  return out;
}

std::string ApplyEdits(std::string_view text, const std::vector<Edit>& edits) {
  std::string out;
  out.reserve(text.size());
  uint32_t pos = 0;
  for (const Edit& e : edits) {
    out.append(text.substr(pos, e.begin - pos));
    out.append(e.text);
    pos = e.end;
  }
  out.append(text.substr(pos));
  return out;
}

Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Status::Error(fmt::format("{}: cannot stat: {}", path, std::strerror(errno)));
  }
  std::string tmp = path + ".postvet-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    return Status::Error(fmt::format("{}: cannot create temporary file: {}", path, std::strerror(errno)));
  }
  auto fail = [&](const char* what) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status::Error(fmt::format("{}: {}: {}", path, what, std::strerror(err)));
  };
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("cannot write");
    }
    done += static_cast<size_t>(n);
  }
  // Keep the owner when we may (root); otherwise the file stays ours. Owner
  // first: chown() clears setuid/setgid bits, so the mode comes after it.
  if ((st.st_uid != ::geteuid() || st.st_gid != ::getegid()) && ::geteuid() == 0) {
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) return fail("cannot set owner");
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) return fail("cannot set mode");
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::Error(fmt::format("{}: cannot close: {}", path, std::strerror(errno)));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::Error(fmt::format("{}: cannot replace: {}", path, std::strerror(err)));
  }
  return Status();
}

}  // namespace postvet
