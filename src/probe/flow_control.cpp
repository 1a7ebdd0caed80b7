#include "src/probe/flow_control.hpp"

#include <algorithm>

namespace postvet::probe {
namespace {

double MillisecondsBetween(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

}  // namespace

FlowControl::FlowControl(std::size_t burst, std::size_t first_flight, std::size_t max_in_flight,
                         Clock::time_point now)
    : burst_(static_cast<double>(std::max<std::size_t>(burst, 1))),
      max_window_(static_cast<double>(std::max<std::size_t>(max_in_flight, 1))),
      window_(std::min(static_cast<double>(std::max(burst, first_flight)), max_window_)),
      tokens_(std::min(burst_, window_)),
      refilled_(now) {}

double FlowControl::PacingRate() const {
  // The window's worth of queries per smoothed round trip, or the rate at
  // which answers have been coming back if that is faster: the server has
  // shown it takes queries that fast, so no queue builds up in its buffer.
  const double by_window = window_ / std::max(srtt_ms_, 1.0);
  // At most kMaxRateGain times the window's rate: a server that read one
  // burst quickly may still stall (a busy host) while the next one arrives.
  return std::clamp(delivery_per_ms_, by_window, kMaxRateGain * by_window);
}

void FlowControl::Refill(Clock::time_point now, std::size_t in_flight) {
  const double elapsed_ms = std::max(MillisecondsBetween(refilled_, now), 0.0);
  if (srtt_ms_ > 0) {
    // Once paced, bursts stay short: the server may be busy with the last one.
    tokens_ = std::min(std::min(burst_, kPacedBurst), tokens_ + elapsed_ms * PacingRate());
  } else if (in_flight == 0) {
    tokens_ = burst_;  // nothing measured yet and nothing out: the first burst again
  } else {
    // The first flight's paced part: the window bounds how far it goes.
    const double per_ms = burst_ / std::chrono::duration<double, std::milli>(kFirstFlightSpacing).count();
    tokens_ = std::min(burst_, tokens_ + elapsed_ms * per_ms);
  }
  refilled_ = now;
}

bool FlowControl::Take() {
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

Clock::time_point FlowControl::NextToken(Clock::time_point now) const {
  if (tokens_ >= 1) return now;
  const double per_ms = srtt_ms_ > 0
                            ? PacingRate()
                            : burst_ / std::chrono::duration<double, std::milli>(kFirstFlightSpacing).count();
  const double wait_ms = std::max((1 - tokens_) / per_ms, 0.05);
  return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(wait_ms));
}

void FlowControl::OnAnswer(double rtt_ms, Clock::time_point now) {
  srtt_ms_ = srtt_ms_ == 0 ? std::max(rtt_ms, 0.001) : 0.875 * srtt_ms_ + 0.125 * rtt_ms;
  // Delivery rate: answers per ms over the last kRateSamples first-try answers.
  answer_times_[answer_count_ % kRateSamples] = now;
  ++answer_count_;
  if (answer_count_ >= kRateSamples) {
    const Clock::time_point oldest = answer_times_[answer_count_ % kRateSamples];
    const double span_ms = std::max(MillisecondsBetween(oldest, now), 0.01);
    delivery_per_ms_ = static_cast<double>(kRateSamples - 1) / span_ms;
  }
  window_ += window_ < threshold_ ? kSlowStartGrowth : 1.0 / window_;
  window_ = std::min(window_, max_window_);
}

void FlowControl::OnLoss(Clock::time_point now) {
  // Losses of one round trip are one congestion event.
  const auto round_trip = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double, std::milli>(std::max(srtt_ms_, 50.0)));
  if (backed_off_ && now - last_backoff_ < round_trip) return;
  backed_off_ = true;
  last_backoff_ = now;
  threshold_ = std::max(window_ / 2, std::min(kMinWindow, max_window_));
  window_ = threshold_;
  delivery_per_ms_ = 0;  // pace by the window alone until answers show a rate again
  answer_count_ = 0;
}

}  // namespace postvet::probe
