// The forked, time-limited regexec() of watched_regexec.hpp.
#include "src/match/watched_regexec.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

namespace postvet {
namespace {

// glibc's regexec() has no match limit and cannot be interrupted safely
// inside the process, so a pattern that FindBacktrackRisk() flags runs in a
// forked child with a CPU-time limit; the parent also kills it after
// kWatchedRegexecWallSeconds. Other patterns run in place, at full speed.
constexpr rlim_t kWatchedRegexecCpuSeconds = 2;
constexpr int kWatchedRegexecWallSeconds = 6;

// What the child reports: regexec()'s code and the spans.
struct WatchedReply {
  int rc = 0;
  regmatch_t spans[10];
};

bool WriteAll(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

// regexec() in a child process; nullopt when it was stopped (the limit) or
// could not be run. `nmatch` <= 10 (Postfix asks for at most 10 groups).
std::optional<int> WatchedRegexec(const regex_t* re, const char* text, size_t nmatch, regmatch_t* spans,
                                  std::string* error) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    *error = fmt::format("cannot run regexec under a time limit: {}", std::strerror(errno));
    return std::nullopt;
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    *error = fmt::format("cannot run regexec under a time limit: {}", std::strerror(errno));
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    ::close(fds[0]);
    struct rlimit cpu {kWatchedRegexecCpuSeconds, kWatchedRegexecCpuSeconds + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
    WatchedReply reply;
    reply.rc = regexec(re, text, nmatch, nmatch > 0 ? reply.spans : nullptr, 0);
    _exit(WriteAll(fds[1], &reply, sizeof reply) ? 0 : 1);
  }
  ::close(fds[1]);
  WatchedReply reply;
  size_t got = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kWatchedRegexecWallSeconds);
  while (got < sizeof reply) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    struct pollfd pfd {fds[0], POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    ssize_t n = ::read(fds[0], reinterpret_cast<char*>(&reply) + got, sizeof reply - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fds[0]);
  if (got < sizeof reply) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (got < sizeof reply) {
    *error = fmt::format("regexec stopped by postvet after {} s of CPU time: the pattern backtracks "
                         "catastrophically on this input (PV309); the C library has no match limit",
                         kWatchedRegexecCpuSeconds);
    return std::nullopt;
  }
  for (size_t i = 0; i < nmatch; ++i) spans[i] = reply.spans[i];
  return reply.rc;
}

}  // namespace postvet
