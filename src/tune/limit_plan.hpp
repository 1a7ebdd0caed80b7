// LimitPlan: the process-limit advice of `postvet tune` as decisions, before
// any wording: for each public smtpd (advice.hpp) and each other service the
// master found at its limit, what to do with the limit (raise, lower, keep,
// set, never raise), the formula behind the number, what it rests on and
// how sure it is, and what it does to the one memory budget of the report.
//
// Sizing, both ways: target = demand × 1.5 (at least demand + 10), rounded
// up to a multiple of 10 (RecommendedLimit), and at least the floor
// (min_smtpd_processes) for a public smtpd. Demand is the observed peak of
// concurrent sessions, or the limit itself when the log shows the limit was
// reached (the true demand is then unknown: the target is a lower bound).
// A limit at least twice its target is lowered to the target, but only when
// a log of a day or more with a busy period supports it (an expected peak
// alone never lowers a limit) and the limit was never reached. Other smtpd
// services (submission, ...) are sized the same way from the sessions of
// their own log tag, without the floor.
//
// Confidence: low without log evidence, for a log shorter than 24 h, or one
// with no busy period (fewer than 100 connections, or never two sessions at
// once); high for a log of 7 days or more; medium otherwise; an expected
// peak (--peak-clients) alone is medium.
//
// One memory budget: ComputeBudget() of the configuration is the memory
// now; lowerings free memory first, then raises are granted in order while
// the total stays within the available memory (when known). A raise that
// does not fit is cut to what fits (a multiple of 10 when possible) or, with
// no room at all, not advised: the advice never exceeds its own memory line.
// Services that run one process by design (LimitSource::kDaemonSolitary:
// postscreen, qmgr, tlsmgr, ... as Postfix's MAIL_SERVER_SOLITARY daemons)
// are never advised to grow.
//
// Contract: pure computation, no I/O, deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/tune/advice.hpp"
#include "src/tune/log_evidence.hpp"
#include "src/facts/tune/service_settings.hpp"

namespace postvet::tune {

enum class ConfidenceLevel : uint8_t { kLow, kMedium, kHigh };
/// "low", "medium", "high".
std::string_view ConfidenceName(ConfidenceLevel level);

enum class LimitAction : uint8_t {
  kRaise,        ///< advised > current
  kLower,        ///< advised < current
  kKeep,         ///< the limit fits the evidence (or nothing says otherwise)
  kSet,          ///< no limit or an invalid one: set `advised`
  kMemoryBound,  ///< a raise is called for but no memory is left for it
  kNeverRaise,   ///< one process by design: the warning is not about its limit
  kUnknown,      ///< a service the log names and this master.cf does not have
};

struct LimitPlan {
  const SmtpdAdvice* advice = nullptr;       ///< for a public smtpd, else null
  const ServiceSettings* service = nullptr;  ///< null for kUnknown
  std::string name;      ///< "smtpd/pass", or the log's service name
  std::string endpoint;  ///< the log's endpoint, for services from limit warnings
  size_t warnings = 0;   ///< master limit warnings for it
  std::optional<long> current;  ///< its limit (0: none; nullopt: invalid)
  long demand = 0;
  bool demand_lower_bound = false;  ///< the limit was reached
  long target = 0;   ///< formula result (0: no evidence)
  long advised = 0;  ///< after the floor and the memory budget
  LimitAction action = LimitAction::kKeep;
  std::string formula;  ///< "peak 5 x 1.5 (at least +10), rounded up to 10 = 20; floor ... 100"
  std::string bound;    ///< why `advised` differs from the target ("" when it does not)
  unsigned long long per_process = 0;
  long long memory_delta = 0;  ///< bytes the advice adds (negative: frees)
  ConfidenceLevel confidence = ConfidenceLevel::kLow;
  std::vector<std::string> basis;  ///< what the advice rests on
};

struct TunePlan {
  std::vector<LimitPlan> limits;
  unsigned long long memory_now = 0;    ///< every service at its current limit
  unsigned long long memory_after = 0;  ///< after the advice
  std::optional<unsigned long long> memory_available;
  /// Limit warnings for names not in this master.cf past the print cap.
  size_t unknown_not_listed = 0;
};

struct PlanInputs {
  const TuneSettings* settings = nullptr;
  const LogEvidence* evidence = nullptr;  ///< null without --log
  const std::vector<SmtpdAdvice>* advice = nullptr;
  long floor = 100;  ///< min_smtpd_processes
  std::optional<unsigned long long> memory;
  size_t max_unknown = 20;  ///< services not in master.cf planned at most
};

TunePlan PlanLimits(const PlanInputs& in);

}  // namespace postvet::tune
