#include "src/fix/transaction.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "src/fix/signal_cleanup.hpp"

namespace postvet {
namespace {

std::string Errno() { return std::strerror(errno); }

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool WriteAll(int fd, std::string_view bytes, off_t at) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done, at + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// The file's bytes, or nullopt (errno set) when it cannot be read.
std::optional<std::string> ReadBytes(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      errno = err;
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

// Same inode, size and mtime; ctime too, so a new hard link, owner or mode
// given meanwhile also counts as a change.
bool SameVersion(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size && a.st_nlink == b.st_nlink &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

// Owner first: chown() clears setuid/setgid, so the mode must come after.
// False (errno set) when the owner cannot be kept.
bool CopyOwnerAndMode(int fd, const struct stat& st, bool* owner_kept) {
  *owner_kept = true;
  if (st.st_uid != ::geteuid() || st.st_gid != ::getegid()) {
    if (::fchown(fd, st.st_uid, st.st_gid) != 0) *owner_kept = false;
  }
  return ::fchmod(fd, st.st_mode & 07777) == 0;
}

// One file to replace, from planning to commit.
struct Job {
  size_t entry = 0;          // index into the entries
  std::string shown;         // the name it was added under
  std::string target;        // symlinks followed
  struct stat st {};
  bool in_place = false;     // hard links or an owner we cannot give: rewrite the inode
  std::unique_ptr<std::string> new_tmp;   // heap strings: SignalCleanup keeps their c_str()
  std::unique_ptr<std::string> undo_tmp;
  bool replaced = false;
};

// Creates NAME.postvet-XXXXXX next to `job.target` holding `bytes`, owner and mode copied, synced.
Status MakeTemp(Job& job, std::string_view bytes, SignalCleanup& cleanup, std::unique_ptr<std::string>* out,
                bool* owner_kept) {
  auto tmp = std::make_unique<std::string>(job.target + ".postvet-XXXXXX");
  cleanup.Hold();  // no signal between creating the file and registering it
  int fd = ::mkstemp(tmp->data());
  const int mkstemp_errno = errno;
  const bool registered = fd >= 0 && cleanup.Register(tmp->c_str());
  if (fd >= 0 && !registered) {
    ::close(fd);
    ::unlink(tmp->c_str());
  }
  cleanup.Release();
  if (fd < 0) {
    return Status::Error(fmt::format("{}: cannot create a temporary file in {}: {}", job.shown, DirName(job.target),
                                     std::strerror(mkstemp_errno)));
  }
  if (!registered) return Status::Error(fmt::format("{}: too many files to fix at once", job.shown));
  *out = std::move(tmp);
  const char* what = nullptr;
  if (!WriteAll(fd, bytes, 0)) {
    what = "cannot write";
  } else if (!CopyOwnerAndMode(fd, job.st, owner_kept)) {
    what = "cannot set the mode of";
  } else if (::fsync(fd) != 0) {
    what = "cannot sync";
  }
  std::string err = what != nullptr ? Errno() : "";
  if (::close(fd) != 0 && what == nullptr) {
    what = "cannot close";
    err = Errno();
  }
  if (what != nullptr) return Status::Error(fmt::format("{}: {} {}: {}", job.shown, what, **out, err));
  return Status();
}

// Rewrites the target's own inode with `bytes` (hard links, owner stay).
bool WriteInPlace(const Job& job, std::string_view bytes) {
  int fd = ::open(job.target.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return false;
  struct stat now {};
  bool ok = ::fstat(fd, &now) == 0 && now.st_ino == job.st.st_ino && now.st_dev == job.st.st_dev &&
            WriteAll(fd, bytes, 0) && ::ftruncate(fd, static_cast<off_t>(bytes.size())) == 0 && ::fsync(fd) == 0;
  int err = errno;
  ok = ::close(fd) == 0 && ok;
  if (!ok) errno = err;
  return ok;
}

// POSTVET_TEST_PAUSE_BEFORE_RENAME (see the header): waits for the test.
void TestPause() {
  const char* fifo = std::getenv("POSTVET_TEST_PAUSE_BEFORE_RENAME");
  if (fifo == nullptr || *fifo == '\0') return;
  int fd = ::open(fifo, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  char buf[64];
  while (::read(fd, buf, sizeof buf) > 0) {
  }
  ::close(fd);
}

std::string List(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

Result<std::string> ResolveFinalSymlinks(const std::string& path) {
  std::string current = path;
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(current.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return current;
    std::string link(static_cast<size_t>(st.st_size > 0 ? st.st_size : 4096) + 1, '\0');
    ssize_t n = ::readlink(current.c_str(), link.data(), link.size());
    if (n < 0) return Status::Error(fmt::format("{}: cannot read the symlink: {}", path, Errno()));
    link.resize(static_cast<size_t>(n));
    if (link.empty() || link.front() != '/') {
      std::string dir = DirName(current);
      link = dir == "/" ? "/" + link : dir + "/" + link;
    }
    current = std::move(link);
  }
  return Status::Error(fmt::format("{}: too many levels of symbolic links", path));
}

void FixTransaction::Add(std::string path, std::string original, std::string contents) {
  entries_.push_back({std::move(path), std::move(original), std::move(contents)});
}

Status FixTransaction::Commit(CommitReport* report) {
  CommitReport local;
  CommitReport& rep = report != nullptr ? *report : local;
  rep = CommitReport();
  for (const Entry& e : entries_) rep.unchanged.push_back(e.path);

  // 1-2: resolve, identify, refuse what must not be written.
  std::vector<Job> jobs;
  std::map<std::pair<dev_t, ino_t>, size_t> by_inode;  // -> index into jobs
  std::vector<std::pair<size_t, size_t>> aliases;      // (entry, job) of a second name for a file
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    Job job;
    job.entry = i;
    job.shown = e.path;
    Result<std::string> target = ResolveFinalSymlinks(e.path);
    if (!target.ok()) return target.status();
    job.target = target.value();
    if (::stat(job.target.c_str(), &job.st) != 0) return Status::Error(fmt::format("{}: cannot stat: {}", e.path, Errno()));
    if (!S_ISREG(job.st.st_mode)) return Status::Error(fmt::format("{}: not a regular file; nothing written", e.path));
    auto [it, fresh] = by_inode.try_emplace({job.st.st_dev, job.st.st_ino}, jobs.size());
    if (!fresh) {
      if (entries_[jobs[it->second].entry].contents != e.contents) {
        return Status::Error(fmt::format("{} and {} are the same file but were fixed differently; nothing written",
                                         jobs[it->second].shown, e.path));
      }
      aliases.emplace_back(i, it->second);
      continue;
    }
    if ((job.st.st_mode & 0222) == 0) {
      return Status::Error(fmt::format("{}: read-only (mode {:04o}), so --fix leaves it alone; nothing written "
                                       "(make it writable to let --fix change it)",
                                       e.path, job.st.st_mode & 07777));
    }
    if (::access(job.target.c_str(), W_OK) != 0) {
      return Status::Error(fmt::format("{}: not writable: {}; nothing written", e.path, Errno()));
    }
    std::optional<std::string> now = ReadBytes(job.target);
    if (!now) return Status::Error(fmt::format("{}: cannot read: {}; nothing written", e.path, Errno()));
    if (*now != e.original) {
      return Status::Error(fmt::format("{}: changed since postvet read it; nothing written (run postvet again)", e.path));
    }
    job.in_place = job.st.st_nlink > 1;
    jobs.push_back(std::move(job));
  }

  // 3: prepare every temporary file before touching any target.
  SignalCleanup cleanup;
  auto discard = [&] {
    for (Job& j : jobs) {
      for (std::unique_ptr<std::string>* t : {&j.new_tmp, &j.undo_tmp}) {
        if (*t == nullptr) continue;
        ::unlink((*t)->c_str());
        cleanup.Forget((*t)->c_str());
        t->reset();
      }
    }
  };
  for (Job& j : jobs) {
    bool owner_kept = true;
    Status st;
    if (!j.in_place) {
      st = MakeTemp(j, entries_[j.entry].contents, cleanup, &j.new_tmp, &owner_kept);
      if (st.ok() && !owner_kept) {  // a rename would hand the file to us: rewrite it instead
        j.in_place = true;
        ::unlink(j.new_tmp->c_str());
        cleanup.Forget(j.new_tmp->c_str());
        j.new_tmp.reset();
      }
    }
    if (st.ok()) st = MakeTemp(j, entries_[j.entry].original, cleanup, &j.undo_tmp, &owner_kept);
    if (!st.ok()) {
      discard();
      return Status::Error(st.message() + "; nothing written");
    }
  }

  TestPause();

  // 4: nothing may have changed since the bytes were compared.
  for (const Job& j : jobs) {
    struct stat now {};
    std::optional<std::string> bytes;
    if (::stat(j.target.c_str(), &now) != 0 || !SameVersion(now, j.st) ||
        !(bytes = ReadBytes(j.target)) || *bytes != entries_[j.entry].original) {
      discard();
      return Status::Error(
          fmt::format("{}: changed while postvet was fixing it; nothing written (run postvet again)", j.shown));
    }
  }
  cleanup.Hold();
  std::string failure;
  for (Job& j : jobs) {
    bool ok = j.in_place ? WriteInPlace(j, entries_[j.entry].contents)
                         : ::rename(j.new_tmp->c_str(), j.target.c_str()) == 0;
    if (!ok) {
      failure = fmt::format("{}: cannot replace: {}", j.shown, Errno());
      if (j.in_place) j.replaced = true;  // possibly half written: put back below
      break;
    }
    j.replaced = true;
    if (!j.in_place) {
      cleanup.Forget(j.new_tmp->c_str());
      j.new_tmp.reset();
    }
  }
  std::vector<bool> changed(entries_.size(), false);
  if (!failure.empty()) {
    // Put back what was replaced, from the undo copies.
    for (Job& j : jobs) {
      if (!j.replaced) continue;
      bool back = j.in_place ? WriteInPlace(j, entries_[j.entry].original)
                             : ::rename(j.undo_tmp->c_str(), j.target.c_str()) == 0;
      if (back) {
        if (!j.in_place) {
          cleanup.Forget(j.undo_tmp->c_str());
          j.undo_tmp.reset();
        }
        continue;
      }
      changed[j.entry] = true;
      rep.stranded.push_back(fmt::format("{} (original bytes kept in {})", j.shown, *j.undo_tmp));
      cleanup.Forget(j.undo_tmp->c_str());
      j.undo_tmp.reset();  // kept on disk on purpose
    }
  } else {
    for (const Job& j : jobs) changed[j.entry] = true;
  }
  discard();
  for (const Job& j : jobs) {  // make the renames durable
    int dfd = ::open(DirName(j.target).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      ::fsync(dfd);
      ::close(dfd);
    }
  }
  cleanup.Release();
  for (const auto& [entry, job] : aliases) changed[entry] = changed[jobs[job].entry];
  rep.unchanged.clear();
  for (size_t i = 0; i < entries_.size(); ++i) (changed[i] ? rep.changed : rep.unchanged).push_back(entries_[i].path);
  if (failure.empty()) return Status();
  std::string message = failure + "; ";
  if (rep.stranded.empty()) {
    message += "nothing changed (the files already replaced were put back)";
  } else {
    message += fmt::format("changed: {}; could not put back: {}; unchanged: {}", List(rep.changed),
                           List(rep.stranded), List(rep.unchanged));
  }
  return Status::Error(message);
}

}  // namespace postvet
