#include "src/diff/git_export.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "src/base/printable.hpp"
#include "src/diff/git_export_process.hpp"

namespace postvet {
namespace {

namespace fs = std::filesystem;

std::string Chomp(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// "a/b/c" split on '/', or nullopt when a component is empty, "." or "..".
std::optional<std::vector<std::string>> SafeComponents(std::string_view name) {
  std::vector<std::string> parts;
  size_t pos = 0;
  for (;;) {
    size_t slash = name.find('/', pos);
    std::string_view part = name.substr(pos, slash == std::string_view::npos ? std::string_view::npos : slash - pos);
    if (part.empty() || part == "." || part == "..") return std::nullopt;
    parts.emplace_back(part);
    if (slash == std::string_view::npos) return parts;
    pos = slash + 1;
  }
}

bool WriteAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Creates `path` holding `data`; never follows or reuses an existing name.
bool WriteNewFile(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  bool ok = WriteAll(fd, data);
  return ::close(fd) == 0 && ok;
}

}  // namespace

ScratchDir::~ScratchDir() { Remove(); }

Status ScratchDir::Create(const std::string& prefix) {
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / (prefix + "XXXXXX")).string();
  // Blocked before the directory exists: a signal between mkdtemp() and
  // the block would end the run and leave the directory behind.
  sigset_t held = TerminatingSignals();
  ::sigprocmask(SIG_BLOCK, &held, nullptr);
  if (::mkdtemp(templ.data()) == nullptr) {
    const int err = errno;
    ::sigprocmask(SIG_UNBLOCK, &held, nullptr);
    return Status::Error(fmt::format("cannot create a temporary directory in {}: {}", base.string(),
                                     std::strerror(err)));
  }
  path_ = templ;
  return Status();
}

void ScratchDir::Remove() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);  // removes links, never follows them
  path_.clear();
  sigset_t held = TerminatingSignals();
  ::sigprocmask(SIG_UNBLOCK, &held, nullptr);  // a signal that came meanwhile acts now
}

Status CheckRevision(const std::string& rev, const std::string& dir) {
  auto safe = [](const std::string& s) { return report::TerminalSafe(s); };
  if (rev.empty() || rev.front() == '-') return Status::Error(fmt::format("--git: not a revision: \"{}\"", safe(rev)));
  if (!CaptureOutput({"git", "-C", dir, "rev-parse", "--show-toplevel"}, 1 << 20)) {
    return Status::Error(fmt::format("{}: not inside a git repository", safe(dir)));
  }
  if (!CaptureOutput({"git", "-C", dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev + "^{commit}"},
                     1 << 10)) {
    return Status::Error(fmt::format("{}: no such revision: {}", safe(dir), safe(rev)));
  }
  return Status();
}

bool DirectoryAtRevision(const std::string& rev, const std::string& dir) {
  if (rev.empty() || rev.front() == '-') return false;
  // "REV:./": the path relative to the directory git runs in.
  std::optional<std::string> type = CaptureOutput({"git", "-C", dir, "cat-file", "-t", rev + ":./"}, 1 << 10);
  return type && Chomp(*type) == "tree";
}

Status ExportRevision(const std::string& rev, const std::string& dir, const std::string& into,
                      const std::string& below) {
  auto safe = [](const std::string& s) { return report::TerminalSafe(s); };
  if (rev.empty() || rev.front() == '-') return Status::Error(fmt::format("--git: not a revision: \"{}\"", safe(rev)));
  std::optional<std::string> prefix = CaptureOutput({"git", "-C", dir, "rev-parse", "--show-prefix"}, 1 << 20);
  std::optional<std::string> top = CaptureOutput({"git", "-C", dir, "rev-parse", "--show-toplevel"}, 1 << 20);
  if (!prefix || !top) return Status::Error(fmt::format("{}: not inside a git repository", safe(dir)));
  const std::string pre = Chomp(*prefix);
  const std::string root = Chomp(*top);
  const std::string tree = rev + ":" + pre + (below.empty() ? "" : below + "/");
  std::optional<std::string> listing = CaptureOutput({"git", "-C", root, "ls-tree", "-r", "-z", tree}, 64 << 20);
  if (!listing) {
    return Status::Error(fmt::format("{}: no such revision or directory in it: {}", safe(dir), safe(tree)));
  }
  // Pass 1: the files to write, their directories made (all new, ours).
  struct Wanted {
    std::string path;
    std::string object;
  };
  std::vector<Wanted> wanted;
  std::string objects;  // cat-file --batch input: one object id a line
  std::set<std::string> made_dirs;
  for (size_t pos = 0; pos < listing->size();) {
    size_t end = listing->find('\0', pos);
    if (end == std::string::npos) end = listing->size();
    std::string_view entry(listing->data() + pos, end - pos);
    pos = end + 1;
    // "<mode> SP <type> SP <object> TAB <name>"
    size_t tab = entry.find('\t');
    if (tab == std::string_view::npos) continue;
    std::string_view meta = entry.substr(0, tab);
    std::string_view name = entry.substr(tab + 1);
    size_t sp1 = meta.find(' ');
    size_t sp2 = meta.find(' ', sp1 == std::string_view::npos ? meta.size() : sp1 + 1);
    if (sp1 == std::string_view::npos || sp2 == std::string_view::npos) continue;
    std::string_view mode = meta.substr(0, sp1);
    std::string_view type = meta.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string object(meta.substr(sp2 + 1));
    if (type != "blob" || (mode != "100644" && mode != "100755")) continue;  // links, submodules
    if (object.find_first_not_of("0123456789abcdef") != std::string::npos) continue;
    std::optional<std::vector<std::string>> parts = SafeComponents(name);
    if (!parts) continue;
    if (wanted.size() >= kMaxExportFiles) {
      return Status::Error(fmt::format("{}: more than {} files in {}; give a smaller PATH", safe(dir), kMaxExportFiles,
                                       safe(tree)));
    }
    std::string path = into;
    for (size_t i = 0; i + 1 < parts->size(); ++i) {
      path += "/" + (*parts)[i];
      if (made_dirs.insert(path).second && ::mkdir(path.c_str(), 0700) != 0) {
        return Status::Error(fmt::format("{}: cannot create: {}", safe(path), std::strerror(errno)));
      }
    }
    objects += object + "\n";
    wanted.push_back({path + "/" + parts->back(), std::move(object)});
  }
  if (wanted.empty()) return Status();
  // Pass 2: every blob from one `git cat-file --batch`, its input an
  // unnamed file in the private directory.
  int input = ::open(into.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (input < 0 || !WriteAll(input, objects) || ::lseek(input, 0, SEEK_SET) != 0) {
    if (input >= 0) ::close(input);
    return Status::Error(fmt::format("{}: cannot create a temporary file: {}", safe(into), std::strerror(errno)));
  }
  std::optional<std::string> batch =
      CaptureOutput({"git", "-C", root, "cat-file", "--batch"}, kMaxExportBytes + wanted.size() * 128, input);
  ::close(input);
  if (!batch) return Status::Error(fmt::format("{}: cannot read the files of {} (or more than {} bytes)", safe(dir),
                                               safe(tree), kMaxExportBytes));
  // "<object> blob <size>\n<bytes>\n" for each, in order.
  size_t at = 0;
  for (const Wanted& w : wanted) {
    size_t lf = batch->find('\n', at);
    if (lf == std::string::npos) return Status::Error(fmt::format("{}: short git cat-file output", safe(dir)));
    std::string_view header(batch->data() + at, lf - at);
    size_t space = header.rfind(' ');
    size_t size = 0;
    if (header.rfind(w.object + " blob ", 0) != 0 || space == std::string_view::npos ||
        std::from_chars(header.data() + space + 1, header.data() + header.size(), size).ec != std::errc() ||
        lf + 1 + size > batch->size()) {
      return Status::Error(fmt::format("{}: unexpected git cat-file output for {}", safe(dir), safe(w.path)));
    }
    if (!WriteNewFile(w.path, std::string_view(*batch).substr(lf + 1, size))) {
      return Status::Error(fmt::format("{}: cannot create: {}", safe(w.path), std::strerror(errno)));
    }
    at = lf + 1 + size + 1;
  }
  return Status();
}

}  // namespace postvet
