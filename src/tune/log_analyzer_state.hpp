// LogAnalyzer::State (see log_evidence.hpp), internal to src/tune: what the
// analyzer keeps across lines, shared by its two halves, log_evidence.cpp
// (reading lines, recognising messages) and log_dnsbl_count.cpp (what each
// DNS list caught). Everything kept is bounded by the caps of log_evidence.hpp:
// past a cap, Tracked() counts the name in an UntrackedSet instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "src/tune/line_decoder.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/tune/pid_set.hpp"

namespace postvet::tune {

// Hashes of the names past one tracking cap (kMaxCountedNames at most).
struct UntrackedSet {
  std::unordered_set<uint64_t> hashes;

  void Add(std::string_view name, Untracked* count) {
    ++count->lines;
    if (hashes.size() >= kMaxCountedNames) {
      count->saturated = true;
      return;
    }
    if (hashes.insert(std::hash<std::string_view>{}(name)).second) ++count->names;
  }
};

struct LogAnalyzer::State {
  // Open sessions per host, program and tag: the pids between connect and
  // disconnect (at most kMaxSessionKeys of them), found through the index
  // by "host\0program\0tag", or through the last one used.
  struct SessionKey {
    std::string host;
    std::string program;
    std::string tag;
    PidSet pids;
  };
  std::vector<SessionKey> session_keys;
  std::unordered_map<std::string, size_t> session_index;
  size_t last_key = SIZE_MAX;
  // The SessionStats of the last log tag looked up (a tracked one).
  std::string last_tag;
  SessionStats* last_stats = nullptr;
  UntrackedSet services;
  UntrackedSet tags;
  UntrackedSet zones;
  // The lines given to AddLine() (ReadLogFiles() has one per stream).
  LineDecoder decoder;

  explicit State(LogEvidence* evidence) : decoder(evidence) {}
  // DNS list overlap: the lists by bit, and each client's lists.
  std::vector<DnsblEffect*> overlap_lists;
  std::map<std::string, size_t, std::less<>> overlap_bit;
  std::unordered_map<std::string, uint64_t> clients;
};

namespace log_state {

// The entry for `key` in `map` when it is tracked or there is room for it;
// otherwise counts `key` in `untracked` and returns nullptr.
template <typename Map>
typename Map::mapped_type* Tracked(Map& map, std::string_view key, size_t cap, UntrackedSet& set,
                                   Untracked* untracked) {
  auto it = map.find(std::string(key));
  if (it != map.end()) return &it->second;
  if (map.size() >= cap) {
    set.Add(key, untracked);
    return nullptr;
  }
  return &map[std::string(key)];
}

}  // namespace log_state
}  // namespace postvet::tune
