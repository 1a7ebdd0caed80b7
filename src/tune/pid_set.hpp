// PidSet: the pids of the sessions open on one host and log tag, for the
// peak concurrency of LogAnalyzer: a flat open-addressing hash set (linear
// probing, deletion by shifting back, so no tombstones), which a log with a
// connect and a disconnect on every other line hits far more cheaply than a
// node-based set. Internal to src/tune.
//
// Contract: pids are >= 0; Insert() and Erase() say whether the set
// changed; memory grows with the largest number of pids held at once (the
// caller caps it) and never shrinks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace postvet::tune {

class PidSet {
 public:
  size_t size() const { return size_; }

  bool Contains(long pid) const {
    if (slots_.empty()) return false;
    for (size_t i = Home(pid);; i = (i + 1) & mask_) {
      if (slots_[i] == pid) return true;
      if (slots_[i] == kEmpty) return false;
    }
  }

  bool Insert(long pid) {
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    size_t i = Home(pid);
    for (; slots_[i] != kEmpty; i = (i + 1) & mask_) {
      if (slots_[i] == pid) return false;
    }
    slots_[i] = pid;
    ++size_;
    return true;
  }

  bool Erase(long pid) {
    if (slots_.empty()) return false;
    size_t i = Home(pid);
    for (; slots_[i] != pid; i = (i + 1) & mask_) {
      if (slots_[i] == kEmpty) return false;
    }
    // Shift back the entries after the hole that probed past it.
    for (size_t j = (i + 1) & mask_; slots_[j] != kEmpty; j = (j + 1) & mask_) {
      size_t home = Home(slots_[j]);
      // Does `home` lie cyclically in (i, j]? Then the entry stays.
      bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
      if (!stays) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i] = kEmpty;
    --size_;
    return true;
  }

 private:
  static constexpr long kEmpty = -1;

  size_t Home(long pid) const {
    // Fibonacci hashing: pids are mostly consecutive numbers.
    return static_cast<size_t>((static_cast<uint64_t>(pid) * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
  }

  void Grow() {
    std::vector<long> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 16 : old.size() * 2, kEmpty);
    mask_ = slots_.size() - 1;
    size_ = 0;
    for (long pid : old) {
      if (pid != kEmpty) Insert(pid);
    }
  }

  std::vector<long> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace postvet::tune
