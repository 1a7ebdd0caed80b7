// SignalCleanup: removes the temporary files of a fix run when SIGINT,
// SIGTERM or SIGHUP ends the process before they are renamed into place.
// The paths live in a fixed table of atomic pointers, so the handler only
// reads memory and calls unlink() and raise(), both async-signal-safe; it
// then re-raises the signal with its default action, so the exit status is
// the one the signal would have given.
#pragma once

#include <csignal>

namespace postvet {

class SignalCleanup {
 public:
  /// Most paths registered at once.
  static constexpr int kCapacity = 4096;

  /// Installs the handlers (the previous ones come back on destruction).
  SignalCleanup();
  ~SignalCleanup();
  SignalCleanup(const SignalCleanup&) = delete;
  SignalCleanup& operator=(const SignalCleanup&) = delete;

  /// Removes `path` on a signal. `path` must stay valid until Forget(). False when the table is full.
  bool Register(const char* path);
  /// No longer removes `path` (renamed into place, or kept on purpose).
  void Forget(const char* path);

  /// Holds the three signals back (while files are being replaced): a
  /// signal arriving meanwhile is delivered by Release().
  void Hold();
  void Release();

 private:
  struct sigaction old_[3] {};
  sigset_t old_mask_{};
  bool held_ = false;
};

}  // namespace postvet
