// FlowControl: the probe's congestion window and send pacing, apart from
// any socket, so that tests can drive it with a fake clock (every method
// takes the time). CaresResolver (cares_resolver.hpp) asks it before each
// send and tells it about each answer and loss.
//
// The first flight (nothing measured yet): the window is `first_flight`
// queries; the first `burst` of them leave at once, the rest paced at
// `burst` per kFirstFlightSpacing. The burst alone fits a stock receive
// buffer even unread (212,992 bytes hold 256 query datagrams of up to
// about 150 bytes, 166 longer ones, on Linux 6.x), and the default first
// flight (224) fits it for the short names DNS lists use; the paced rest
// gives a server that does read a few milliseconds to start. So a probe of
// 100 lists (202 queries) goes out within one round trip.
//
// After the first answer (a TCP-like window): each answer that came back
// at the first try widens the window by kSlowStartGrowth below the
// threshold, by 1/window above it; a loss (or SERVFAIL, REFUSED, refused
// connection) halves it, at most once per smoothed round trip, and forgets
// the measured rate. Sends are paced by a token bucket of at most
// kPacedBurst tokens, refilled at window / smoothed round trip, or faster
// (at most kMaxRateGain times that) when the last kRateSamples first-try
// answers came back faster (the server has shown it reads that fast).
//
// Contract: the window stays within [kMinWindow, max_in_flight] (or
// max_in_flight if that is smaller); Take() only succeeds with a whole
// token; NextToken() says when the next one is due (time_point::max() when
// none will come without an answer).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>

#include "src/probe/resolver.hpp"

namespace postvet::probe {

class FlowControl {
 public:
  /// Window growth per first-try answer in slow start (x4 per round trip).
  static constexpr double kSlowStartGrowth = 3;
  /// The measured answer rate may speed pacing up to this many times window / round trip.
  static constexpr double kMaxRateGain = 2;
  /// Queries that may leave back to back once pacing has started.
  static constexpr double kPacedBurst = 32;
  /// The first flight's paced part: `burst` queries per this long.
  static constexpr auto kFirstFlightSpacing = std::chrono::milliseconds(10);
  static constexpr double kMinWindow = 4;
  /// First-try answers over which the delivery rate is measured.
  static constexpr std::size_t kRateSamples = 64;

  /// `burst` (>= 1) leave at once; `first_flight` may be out before any
  /// answer; the window never exceeds `max_in_flight` (>= 1).
  FlowControl(std::size_t burst, std::size_t first_flight, std::size_t max_in_flight, Clock::time_point now);

  /// Queries that may be in flight now.
  double window() const { return window_; }
  /// Smoothed round trip of first-try answers; 0 until the first.
  double srtt_ms() const { return srtt_ms_; }
  /// Tops the token bucket up for the time since the last call; with
  /// nothing in flight and nothing measured, the burst is available again.
  void Refill(Clock::time_point now, std::size_t in_flight);
  /// A whole token is there: one query may leave now.
  bool HasToken() const { return tokens_ >= 1; }
  /// Spends a token for one send; false (nothing spent) without a whole one.
  bool Take();
  /// When the next token is due, after Refill(now).
  Clock::time_point NextToken(Clock::time_point now) const;
  /// An answer at the first try, `rtt_ms` after its send.
  void OnAnswer(double rtt_ms, Clock::time_point now);
  /// A loss or a refusal: halve the window (once per round trip).
  void OnLoss(Clock::time_point now);

 private:
  /// Queries per ms the pacing lets leave once a round trip is measured.
  double PacingRate() const;

  double burst_;
  double max_window_;
  double window_;
  double threshold_ = 1e9;  // slow start until the first loss
  double srtt_ms_ = 0;
  double tokens_;
  std::array<Clock::time_point, kRateSamples> answer_times_{};  // last first-try answers (ring)
  std::size_t answer_count_ = 0;  // first-try answers since the start or the last back-off
  double delivery_per_ms_ = 0;    // answers per ms over the last kRateSamples of them
  Clock::time_point refilled_;
  Clock::time_point last_backoff_{};
  bool backed_off_ = false;
};

}  // namespace postvet::probe
