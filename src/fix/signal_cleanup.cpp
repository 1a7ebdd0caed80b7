#include "src/fix/signal_cleanup.hpp"

#include <unistd.h>

#include <atomic>

namespace postvet {
namespace {

constexpr int kSignals[3] = {SIGINT, SIGTERM, SIGHUP};

std::atomic<const char*> g_paths[SignalCleanup::kCapacity];
static_assert(std::atomic<const char*>::is_always_lock_free, "the handler reads these pointers");

extern "C" void RemoveTempsAndReraise(int sig) {
  for (std::atomic<const char*>& slot : g_paths) {
    const char* p = slot.load();
    if (p != nullptr) ::unlink(p);
  }
  // SA_RESETHAND restored the default action; the signal is blocked while
  // this handler runs and is delivered (ending the process) when it returns.
  ::raise(sig);
}

sigset_t TheSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kSignals) sigaddset(&set, s);
  return set;
}

}  // namespace

SignalCleanup::SignalCleanup() {
  struct sigaction sa {};
  sa.sa_handler = RemoveTempsAndReraise;
  sigemptyset(&sa.sa_mask);
  for (int s : kSignals) sigaddset(&sa.sa_mask, s);
  sa.sa_flags = static_cast<int>(SA_RESETHAND);
  for (size_t i = 0; i < 3; ++i) ::sigaction(kSignals[i], &sa, &old_[i]);
}

SignalCleanup::~SignalCleanup() {
  for (std::atomic<const char*>& slot : g_paths) slot.store(nullptr);
  if (held_) Release();
  for (size_t i = 0; i < 3; ++i) ::sigaction(kSignals[i], &old_[i], nullptr);
}

bool SignalCleanup::Register(const char* path) {
  for (std::atomic<const char*>& slot : g_paths) {
    const char* expected = nullptr;
    if (slot.compare_exchange_strong(expected, path)) return true;
  }
  return false;
}

void SignalCleanup::Forget(const char* path) {
  for (std::atomic<const char*>& slot : g_paths) {
    const char* expected = path;
    if (slot.compare_exchange_strong(expected, nullptr)) return;
  }
}

void SignalCleanup::Hold() {
  sigset_t set = TheSignals();
  ::sigprocmask(SIG_BLOCK, &set, &old_mask_);
  held_ = true;
}

void SignalCleanup::Release() {
  held_ = false;
  ::sigprocmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace postvet
