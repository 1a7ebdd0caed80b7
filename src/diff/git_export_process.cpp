#include "src/diff/git_export_process.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace postvet {

sigset_t TerminatingSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, sig);
  return set;
}

// Runs argv (no shell), returns its stdout when it exits 0 and prints at
// most `limit` bytes; stdin is `input_fd` (else /dev/null), stderr /dev/null.
std::optional<std::string> CaptureOutput(const std::vector<std::string>& argv, size_t limit, int input_fd) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::nullopt;
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::nullopt;
  }
  if (pid == 0) {
    sigset_t held = TerminatingSignals();
    ::sigprocmask(SIG_UNBLOCK, &held, nullptr);
    ::dup2(fds[1], STDOUT_FILENO);
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) ::dup2(null, STDERR_FILENO);
    if (input_fd >= 0) {
      ::dup2(input_fd, STDIN_FILENO);
    } else if (null >= 0) {
      ::dup2(null, STDIN_FILENO);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: execvp's signature
    args.push_back(nullptr);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  bool too_big = false;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) {
      too_big = true;
      break;
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_big || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

}  // namespace postvet
