#include "src/tune/advice.hpp"

#include <fmt/format.h>

#include "src/model/master_cf.hpp"

namespace postvet::tune {

long RecommendedLimit(long demand) {
  if (demand <= 0) return 0;
  long headroom = demand / 2 < 10 ? 10 : demand / 2;
  long want = demand + headroom;
  return (want + 9) / 10 * 10;
}

std::vector<SmtpdAdvice> AdviseSmtpd(const TuneSettings& settings, const LogEvidence& evidence, long peak_clients) {
  std::vector<SmtpdAdvice> out;
  for (const ServiceSettings& s : settings.services) {
    if (!s.public_smtpd) continue;
    SmtpdAdvice a;
    a.service = &s;
    a.limit = s.process_limit;
    auto tag = evidence.sessions.find(s.log_tag);
    if (tag != evidence.sessions.end()) {
      a.sessions = &tag->second;
      a.peak = tag->second.peak;
    }
    a.log_peak = a.peak;
    if (peak_clients > 0 && peak_clients > a.peak) {
      if (a.sessions != nullptr) {
        a.peak_note = fmt::format("--peak-clients {} is higher than the log's peak of {}: {} is used", peak_clients,
                                  a.peak, peak_clients);
      }
      a.peak = peak_clients;
      a.peak_from_option = true;
    } else if (peak_clients > 0) {
      a.peak_note = fmt::format("the log's peak of {} is at least --peak-clients {}: the log's peak is used", a.peak,
                                peak_clients);
    }
    auto hits = evidence.limit_hits.find(std::string(s.service->name()));
    if (hits != evidence.limit_hits.end()) {
      a.limit_hits = hits->second.count;
      a.hit_limit = hits->second.limit;
    }
    if (s.behind != nullptr) a.server_ports_busy = evidence.server_ports_busy;

    long demand = a.peak;
    // At the limit the logs cannot show more sessions than the limit
    // allowed: the demand was at least that.
    if ((a.limit_hits > 0 || a.server_ports_busy > 0) && a.limit && *a.limit > demand) demand = *a.limit;
    if (a.hit_limit > demand) demand = a.hit_limit;
    a.recommended = RecommendedLimit(demand);

    std::vector<std::string> parts;
    if (a.peak > 0) {
      parts.push_back(a.peak_from_option
                          ? fmt::format("an expected peak of {} concurrent clients (--peak-clients)", a.peak)
                          : fmt::format("a peak of {} concurrent {} sessions ({})", a.peak, s.log_tag,
                                        a.sessions->peak_stamp));
    }
    if (a.limit_hits > 0) {
      parts.push_back(fmt::format("master(8) warned {} time{} that {} reached its process limit of {}", a.limit_hits,
                                  a.limit_hits == 1 ? "" : "s", s.service->name(), a.hit_limit));
    }
    if (a.server_ports_busy > 0) {
      parts.push_back(fmt::format("postscreen turned {} client{} away with \"all server ports busy\"",
                                  a.server_ports_busy, a.server_ports_busy == 1 ? "" : "s"));
    }
    for (size_t i = 0; i < parts.size(); ++i) a.summary += (i == 0 ? "" : "; ") + parts[i];
    out.push_back(std::move(a));
  }
  return out;
}

void ExportEvidence(const std::vector<SmtpdAdvice>& advice, ProjectConfig* config) {
  for (const SmtpdAdvice& a : advice) {
    if (a.recommended <= 0) continue;
    ServiceEvidence& e = config->log_evidence[std::string(a.service->service->name())];
    if (a.recommended > e.floor) e = ServiceEvidence{a.recommended, a.summary};
  }
}

std::string DescribeStress(const ServiceSettings& s) {
  std::string changes;
  std::string fixed;
  for (const StressValue& v : s.stress_values) {
    if (v.normal != v.stress) {
      changes += fmt::format("{}{} {} -> {}", changes.empty() ? "" : ", ", v.param, v.normal, v.stress);
    } else {
      fixed += fmt::format("{}{} {}", fixed.empty() ? "" : ", ", v.param, v.normal);
    }
  }
  switch (s.stress_mode) {
    case StressMode::kAdaptive:
      if (changes.empty()) {
        return fmt::format("adaptive in name only: master(8) passes -o stress=, but no value changes under stress "
                           "({})",
                           fixed);
      }
      return fmt::format("working: master(8) starts processes with stress=yes while all are busy ({}){}", changes,
                         fixed.empty() ? "" : "; fixed in main.cf or -o: " + fixed);
    case StressMode::kForcedOn:
      return fmt::format("forced on by its own -o stress ({}): the overload values apply all the time{}",
                         LineOf(s.stress_override), fixed.empty() ? "" : " (" + fixed + ")");
    case StressMode::kForcedOff:
      return fmt::format("switched off by its own -o stress= ({}): the normal values apply under overload too{}",
                         LineOf(s.stress_override), fixed.empty() ? "" : " (" + fixed + ")");
    case StressMode::kSelfManaged:
      return fmt::format("own STRESS mode: entered at {} and left at {} connections under test "
                         "(0.9 and 0.7 times postscreen_pre_queue_limit {}){}",
                         s.stress_enter_at, s.stress_leave_at, s.pre_queue_limit,
                         changes.empty() ? "" : "; " + changes);
    case StressMode::kNone:
      if (s.local_only) return "never: master(8) does not adapt local-only services";
      if (s.process_limit && *s.process_limit == 0) {
        return "never: master(8) adapts only services with a process limit above 1, and maxproc 0 has none";
      }
      return "never: master(8) adapts only services with a process limit above 1";
  }
  return {};
}

}  // namespace postvet::tune
