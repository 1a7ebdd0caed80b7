// LogAnalyzer (see log_evidence.hpp), DNS list effectiveness: Caught() counts
// a list's rejects and listings and marks, per client, which lists caught it
// (the first kMaxOverlapLists lists, one bit each); evidence() turns those
// marks into each list's caught / also caught by another / only this one;
// CountZone() counts a list's lookup errors. The messages that call them are
// recognised in log_evidence.cpp.
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>

#include "src/tune/log_analyzer_state.hpp"
#include "src/tune/log_evidence.hpp"

namespace postvet::tune {

using log_state::Tracked;

const LogEvidence& LogAnalyzer::evidence() {
  for (DnsblEffect* e : state_->overlap_lists) e->caught = e->also_caught_by_other = e->only_this = 0;
  for (const auto& [client, mask] : state_->clients) {
    bool shared = std::popcount(mask) > 1;
    for (uint64_t m = mask; m != 0; m &= m - 1) {
      DnsblEffect* e = state_->overlap_lists[static_cast<size_t>(std::countr_zero(m))];
      ++e->caught;
      ++(shared ? e->also_caught_by_other : e->only_this);
    }
  }
  return evidence_;
}

void LogAnalyzer::Caught(std::string_view zone, std::string_view client, bool reject) {
  while (!zone.empty() && zone.back() == '.') zone.remove_suffix(1);
  if (zone.empty()) return;
  State& st = *state_;
  // The first kMaxOverlapLists lists are found through their bit (no
  // allocation per line); the rest through the capped map.
  DnsblEffect* e = nullptr;
  auto bit = st.overlap_bit.find(zone);
  if (bit != st.overlap_bit.end()) {
    e = st.overlap_lists[bit->second];
  } else {
    e = Tracked(evidence_.dnsbl_effect, zone, kMaxTrackedZones, st.zones, &evidence_.untracked_zones);
    if (e == nullptr) return;
    if (e->zone.empty()) e->zone = std::string(zone);
    if (st.overlap_lists.size() < kMaxOverlapLists) {
      bit = st.overlap_bit.emplace(std::string(zone), st.overlap_lists.size()).first;
      st.overlap_lists.push_back(e);
    }
  }
  ++(reject ? e->rejects : e->listed);
  if (bit == st.overlap_bit.end() || client.empty()) return;
  auto it = st.clients.find(std::string(client));
  if (it == st.clients.end()) {
    if (st.clients.size() >= kMaxDnsblClients) {
      evidence_.truncated = true;
      return;
    }
    it = st.clients.emplace(std::string(client), 0).first;
  }
  it->second |= uint64_t{1} << bit->second;
}

void LogAnalyzer::CountZone(std::string_view zone) {
  size_t* n = Tracked(evidence_.dnsbl_errors, zone, kMaxTrackedZones, state_->zones, &evidence_.untracked_zones);
  if (n != nullptr) ++*n;
}

}  // namespace postvet::tune
