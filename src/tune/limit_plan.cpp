// PlanLimits() (see limit_plan.hpp).
#include "src/tune/limit_plan.hpp"

#include <fmt/format.h>

#include "src/facts/tune/memory_estimate.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::tune {
namespace {

constexpr int64_t kDay = 86400;
constexpr size_t kBusyConnections = 100;

std::string Span(int64_t seconds) {
  if (seconds >= 2 * kDay) return fmt::format("{:.1f} days", static_cast<double>(seconds) / 86400.0);
  if (seconds >= 3600) return fmt::format("{:.1f} h", static_cast<double>(seconds) / 3600.0);
  if (seconds >= 60) return fmt::format("{} min", seconds / 60);
  return fmt::format("{} s", seconds);
}

std::string Formula(long demand, bool lower_bound, long target) {
  long half = demand / 2 < 10 ? 10 : demand / 2;
  return fmt::format("{} {} + {} headroom (x1.5, at least +10) = {}, rounded up to a multiple of 10 = {}",
                     lower_bound ? "demand of at least" : "peak", demand, half, demand + half, target);
}

// Confidence of log-based advice and what it rests on.
void Judge(const LogEvidence* ev, const SessionStats* sessions, long peak, bool from_option, bool saturated,
           LimitPlan* p) {
  if (ev == nullptr && !from_option) {
    p->confidence = ConfidenceLevel::kLow;
    p->basis.push_back("no log evidence (pass --log, or --peak-clients N)");
    return;
  }
  if (ev == nullptr || (from_option && (sessions == nullptr || sessions->peak < peak))) {
    p->confidence = ConfidenceLevel::kMedium;
    p->basis.push_back(fmt::format("an expected peak of {} (--peak-clients), not measured", peak));
    if (ev == nullptr) return;
  }
  int64_t span = ev->SpanSeconds();
  size_t connections = sessions != nullptr ? sessions->connections : 0;
  long seen_peak = sessions != nullptr ? sessions->peak : 0;
  p->basis.push_back(fmt::format("a log of {} ({} .. {})", Span(span), ev->first_stamp, ev->last_stamp));
  p->basis.push_back(fmt::format("{} connection{}, peak {} at once", connections, connections == 1 ? "" : "s",
                                 seen_peak));
  ConfidenceLevel level = span >= 7 * kDay ? ConfidenceLevel::kHigh : ConfidenceLevel::kMedium;
  if (span < kDay) {
    level = ConfidenceLevel::kLow;
    p->basis.push_back("the log covers less than 24 h: busier hours and days are not in it");
  }
  // A limit that was reached is a busy period, however few the sessions.
  if (!saturated && (connections < kBusyConnections || seen_peak < 2)) {
    level = ConfidenceLevel::kLow;
    p->basis.push_back(fmt::format("no busy period in the log (fewer than {} connections, or never two sessions "
                                   "at once)",
                                   kBusyConnections));
  }
  if (from_option && level == ConfidenceLevel::kLow) level = ConfidenceLevel::kMedium;
  p->confidence = level;
}

// Whether the log alone is enough to lower a limit: at least a day, with a
// busy period (see the header); an expected peak never is.
bool LogSupportsLowering(const LogEvidence* ev, const SessionStats* sessions) {
  if (ev == nullptr || sessions == nullptr || ev->SpanSeconds() < kDay) return false;
  return sessions->connections >= kBusyConnections && sessions->peak >= 2;
}

// Cuts a raise to the memory left; returns the limit granted.
long Fit(long current, long want, unsigned long long each, unsigned long long used,
         std::optional<unsigned long long> available) {
  if (!available || each == 0) return want;
  if (used >= *available) return current;
  unsigned long long room = (*available - used) / each;
  unsigned long long extra = static_cast<unsigned long long>(want - current);
  if (room >= extra) return want;
  long granted = current + static_cast<long>(room);
  long rounded = granted / 10 * 10;
  return rounded > current ? rounded : granted;
}

// The master.cf service a limit warning names: same name, and an inet
// service for an endpoint without a slash (a port), a unix/pass/fifo one
// for "private/..." or "public/...".
const ServiceSettings* ServiceOfWarning(const TuneSettings& settings, const LimitHits& hits) {
  bool inet = hits.endpoint.find('/') == std::string::npos;
  const ServiceSettings* any = nullptr;
  for (const ServiceSettings& s : settings.services) {
    if (s.service->name() != hits.service) continue;
    bool is_inet = s.service->type == ServiceType::kInet;
    if (is_inet == inet) return &s;
    if (any == nullptr) any = &s;
  }
  return any;
}

}  // namespace

std::string_view ConfidenceName(ConfidenceLevel level) {
  switch (level) {
    case ConfidenceLevel::kLow: return "low";
    case ConfidenceLevel::kMedium: return "medium";
    case ConfidenceLevel::kHigh: return "high";
  }
  return "low";
}

TunePlan PlanLimits(const PlanInputs& in) {
  TunePlan plan;
  const TuneSettings& settings = *in.settings;
  plan.memory_now = ComputeBudget(settings).total;
  plan.memory_available = in.memory;

  for (const SmtpdAdvice& a : *in.advice) {
    LimitPlan p;
    p.advice = &a;
    p.service = a.service;
    p.name = a.service->label;
    p.current = a.limit;
    p.warnings = a.limit_hits;
    p.per_process = MemoryFor("smtpd").bytes;
    bool saturated = a.saturated() && !a.peak_from_option;
    p.demand = a.peak;
    if (saturated && a.limit && *a.limit > p.demand) p.demand = *a.limit;
    if (a.hit_limit > p.demand) p.demand = a.hit_limit;
    p.demand_lower_bound = saturated;
    Judge(in.evidence, a.sessions, a.peak, a.peak_from_option, saturated, &p);
    if (saturated) {
      p.basis.push_back(fmt::format("the limit was reached: the true demand is unknown, {} is a lower bound",
                                    p.demand));
    }
    if (!a.peak_note.empty()) p.basis.push_back(a.peak_note);
    long formula = RecommendedLimit(p.demand);
    if (formula > 0) p.formula = Formula(p.demand, saturated, formula);
    p.target = formula > in.floor ? formula : in.floor;
    if (formula < in.floor) {
      p.formula += fmt::format("{}the floor min_smtpd_processes = {} applies", p.formula.empty() ? "" : "; ",
                               in.floor);
    }
    p.advised = p.target;
    if (!a.limit || *a.limit == 0) {
      p.action = LimitAction::kSet;
    } else if (*a.limit < p.target) {
      p.action = LimitAction::kRaise;
    } else if (formula > 0 && !saturated && *a.limit >= 2 * p.target) {
      if (p.confidence == ConfidenceLevel::kLow || !LogSupportsLowering(in.evidence, a.sessions)) {
        p.action = LimitAction::kKeep;
        p.advised = *a.limit;
        p.bound = fmt::format("the evidence calls for {}, but is too thin to advise lowering", p.target);
      } else {
        p.action = LimitAction::kLower;
      }
    } else {
      p.action = LimitAction::kKeep;
      p.advised = *a.limit;
    }
    plan.limits.push_back(std::move(p));
  }

  if (in.evidence != nullptr) {
    size_t unknown = 0;
    for (const auto& [name, hits] : in.evidence->limit_hits) {
      const ServiceSettings* svc = ServiceOfWarning(settings, hits);
      bool covered = false;
      for (const SmtpdAdvice& a : *in.advice) covered = covered || (svc != nullptr && a.service == svc);
      if (covered) continue;
      if (svc == nullptr && ++unknown > in.max_unknown) {
        ++plan.unknown_not_listed;
        continue;
      }
      LimitPlan p;
      p.service = svc;
      p.name = name;
      p.endpoint = hits.endpoint;
      p.warnings = hits.count;
      p.demand = hits.limit;
      p.demand_lower_bound = true;
      int64_t span = in.evidence->SpanSeconds();
      p.confidence = span >= 7 * kDay ? ConfidenceLevel::kHigh
                                      : (span >= kDay ? ConfidenceLevel::kMedium : ConfidenceLevel::kLow);
      p.basis.push_back(fmt::format("a log of {} ({} .. {})", Span(span), in.evidence->first_stamp,
                                    in.evidence->last_stamp));
      if (span < kDay) p.basis.push_back("the log covers less than 24 h: busier hours and days are not in it");
      p.basis.push_back(fmt::format("master(8) warned {} time{} that it reached its limit of {}: the true demand "
                                    "is unknown",
                                    hits.count, hits.count == 1 ? "" : "s", hits.limit));
      if (svc == nullptr) {
        p.action = LimitAction::kUnknown;
        p.target = p.advised = RecommendedLimit(hits.limit);
        p.formula = Formula(hits.limit, true, p.target);
        plan.limits.push_back(std::move(p));
        continue;
      }
      p.current = svc->process_limit;
      p.per_process = MemoryFor(svc->command).bytes;
      if (svc->limit_source == LimitSource::kDaemonSolitary) {
        p.action = LimitAction::kNeverRaise;
        p.advised = 1;
        plan.limits.push_back(std::move(p));
        continue;
      }
      if (svc->local_only || !svc->process_limit || *svc->process_limit == 0) continue;
      p.target = p.advised = RecommendedLimit(hits.limit > *svc->process_limit ? hits.limit : *svc->process_limit);
      p.formula = Formula(hits.limit > *svc->process_limit ? hits.limit : *svc->process_limit, true, p.target);
      p.action = p.target > *svc->process_limit ? LimitAction::kRaise : LimitAction::kKeep;
      if (p.action == LimitAction::kKeep) p.advised = *svc->process_limit;
      plan.limits.push_back(std::move(p));
    }
  }

  // Other smtpd services (submission, reinjection, ...) sized from their own
  // sessions, when their log tag is theirs alone.
  if (in.evidence != nullptr) {
    for (const ServiceSettings& s : settings.services) {
      if (s.command != "smtpd" || s.public_smtpd || !s.process_limit || *s.process_limit == 0) continue;
      bool planned = false;
      for (const LimitPlan& p : plan.limits) planned = planned || p.service == &s;
      size_t sharing = 0;
      for (const ServiceSettings& t : settings.services) sharing += t.command == "smtpd" && t.log_tag == s.log_tag;
      auto st = in.evidence->sessions.find(s.log_tag);
      if (planned || sharing != 1 || st == in.evidence->sessions.end() || st->second.peak <= 0) continue;
      LimitPlan p;
      p.service = &s;
      p.name = s.label;
      p.current = s.process_limit;
      p.per_process = MemoryFor("smtpd").bytes;
      long limit = *s.process_limit;
      bool saturated = st->second.peak >= limit;
      p.demand = saturated ? limit : st->second.peak;
      p.demand_lower_bound = saturated;
      Judge(in.evidence, &st->second, st->second.peak, false, saturated, &p);
      p.basis.insert(p.basis.begin(), fmt::format("the sessions of {}", s.log_tag));
      if (saturated) {
        p.basis.push_back(fmt::format("the limit was reached: the true demand is unknown, {} is a lower bound",
                                      p.demand));
      }
      p.target = RecommendedLimit(p.demand);
      p.formula = Formula(p.demand, saturated, p.target);
      p.advised = p.target;
      if (limit < p.target) {
        p.action = LimitAction::kRaise;
      } else if (!saturated && limit >= 2 * p.target && LogSupportsLowering(in.evidence, &st->second)) {
        p.action = LimitAction::kLower;
      } else {
        p.action = LimitAction::kKeep;
        p.advised = limit;
        if (limit >= 2 * p.target && !saturated) {
          p.bound = fmt::format("the evidence calls for {}, but is too thin to advise lowering", p.target);
        }
      }
      plan.limits.push_back(std::move(p));
    }
  }

  // One budget: lowerings first, then raises while they fit.
  unsigned long long used = plan.memory_now;
  for (LimitPlan& p : plan.limits) {
    if (p.action != LimitAction::kLower) continue;
    unsigned long long freed = static_cast<unsigned long long>(*p.current - p.advised) * p.per_process;
    p.memory_delta = -static_cast<long long>(freed);
    used -= freed < used ? freed : used;
  }
  for (LimitPlan& p : plan.limits) {
    if (p.action != LimitAction::kRaise && p.action != LimitAction::kSet) continue;
    long current = p.action == LimitAction::kSet ? 0 : *p.current;
    if (p.action == LimitAction::kSet) {
      // Setting a limit where there is none bounds memory: it never adds.
      continue;
    }
    long granted = Fit(current, p.advised, p.per_process, used, in.memory);
    if (granted < p.advised) {
      std::string need = FormatBytes(static_cast<unsigned long long>(p.advised - current) * p.per_process);
      p.bound = used >= *in.memory
                    ? fmt::format("{} would need {} more, but the limits already need {} of the {} available", p.advised,
                                  need, FormatBytes(used), FormatBytes(*in.memory))
                    : fmt::format("{} would need {} more; only {} of the {} available is left", p.advised, need,
                                  FormatBytes(*in.memory - used), FormatBytes(*in.memory));
      p.advised = granted;
      if (granted <= current) p.action = LimitAction::kMemoryBound;
    }
    unsigned long long added = static_cast<unsigned long long>(p.advised - current) * p.per_process;
    p.memory_delta = static_cast<long long>(added);
    used += added;
  }
  plan.memory_after = used;
  return plan;
}

}  // namespace postvet::tune
