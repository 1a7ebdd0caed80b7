#include "src/tune/tune_report.hpp"

#include "src/tune/dnsbl_effect.hpp"
#include "src/tune/limit_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "src/model/master_cf.hpp"
#include "src/base/printable.hpp"

namespace postvet::tune {
namespace {

std::string LimitText(const ServiceSettings& s) {
  if (!s.process_limit) return "invalid";
  if (*s.process_limit == 0) return "no limit";
  return fmt::format("{} process{}", *s.process_limit, *s.process_limit == 1 ? "" : "es");
}

std::string Percent(size_t part, size_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string Duration(int64_t seconds) {
  if (seconds >= 2 * 86400) return fmt::format("{:.1f} days", static_cast<double>(seconds) / 86400.0);
  if (seconds >= 3600) return fmt::format("{:.1f} h", static_cast<double>(seconds) / 3600.0);
  if (seconds >= 60) return fmt::format("{} min", seconds / 60);
  return fmt::format("{} s", seconds);
}

// Log evidence can name millions of services, tags or zones (the analyzer
// tracks kMaxTracked* of them): print this many and summarise the rest.
constexpr size_t kMaxPrintedNames = 20;
constexpr size_t kMaxPrintedNameBytes = 80;

// A name from the log, shortened when it is longer than any real one.
std::string Shown(std::string_view name) {
  if (name.size() <= kMaxPrintedNameBytes) return std::string(name);
  return fmt::format("{}... ({} bytes)", name.substr(0, kMaxPrintedNameBytes), name.size());
}

// "  and 299,950 more service names (299,950 warnings)\n", or "" when none.
std::string MoreNames(size_t printed_past, const Untracked& untracked, std::string_view noun,
                      std::string_view lines_noun) {
  size_t names = printed_past + untracked.names;
  if (names == 0) return "";
  return fmt::format("  and {}{} more {}{}\n", untracked.saturated ? "at least " : "", names, noun,
                     untracked.lines > 0 ? fmt::format(" (not tracked: {} {})", untracked.lines, lines_noun)
                                         : std::string());
}

void Services(const TuneReport& r, std::string* out) {
  const TuneSettings& settings = *r.settings;
  *out += "Process limits and stress-adaptive behaviour\n";
  if (settings.services.empty()) {
    *out += "  (no master.cf services)\n";
    return;
  }
  for (const ServiceSettings& s : settings.services) {
    bool detail = s.command == "smtpd" || s.command == "postscreen";
    std::string role;
    if (s.public_smtpd) role = s.behind != nullptr ? ", public, behind postscreen " + s.behind->NameSpace() : ", public";
    if (s.command == "postscreen" && !s.local_only) role = ", public";
    *out += fmt::format("  {:<22} {:<16} {:<14} {}{}\n", s.label, s.command, LimitText(s), DescribeLimitSource(s, settings),
                        role);
    if (!detail) continue;
    if (s.hands_off_to != nullptr) *out += fmt::format("      hands clients to {}\n", s.hands_off_to->NameSpace());
    *out += fmt::format("      stress: {}\n", DescribeStress(s));
  }
}

void Evidence(const TuneReport& r, std::string* out) {
  const LogEvidence& ev = *r.evidence;
  std::string forms;
  if (ev.traditional_stamps) forms = "traditional";
  if (ev.rfc3339_stamps) forms += forms.empty() ? "RFC 3339" : " and RFC 3339";
  if (ev.journal_records) forms += forms.empty() ? "journald" : " and journald";
  *out += fmt::format("Log evidence ({} file{}, {} lines, {} log entries{})\n", ev.files,
                      ev.files == 1 ? "" : "s", ev.lines, ev.syslog_lines,
                      forms.empty() ? "" : ", " + forms + " timestamps");
  if (ev.syslog_lines == 0) {
    *out += "  no syslog lines found\n";
    return;
  }
  int64_t span = ev.SpanSeconds();
  *out += fmt::format("  period: {} .. {} ({})\n", ev.first_stamp, ev.last_stamp, Duration(span));
  size_t shown_tags = 0;
  for (const auto& [tag, st] : ev.sessions) {
    if (++shown_tags > kMaxPrintedNames) break;
    std::string rate;
    if (span >= 60 && st.lost_after_connect > 0) {
      rate = fmt::format(", {:.1f}/h", static_cast<double>(st.lost_after_connect) * 3600.0 / static_cast<double>(span));
    }
    *out += fmt::format("  {}: {} connections, peak {} concurrent sessions{}; {} lost after CONNECT ({} of "
                        "connections{})\n",
                        Shown(tag), st.connections, st.peak,
                        st.peak > 0 ? fmt::format(" ({} on {})", st.peak_stamp, st.peak_host) : std::string(),
                        st.lost_after_connect, Percent(st.lost_after_connect, st.connections), rate);
  }
  if (ev.sessions.empty()) *out += "  no smtpd sessions\n";
  *out += MoreNames(ev.sessions.size() - std::min(ev.sessions.size(), kMaxPrintedNames), ev.untracked_tags,
                    "log tags with smtpd sessions", "lines");
  size_t shown_services = 0;
  for (const auto& [name, hits] : ev.limit_hits) {
    if (++shown_services > kMaxPrintedNames) break;
    *out += fmt::format("  process limit reached: service \"{}\" ({}) at {}, {} warning{} ({} .. {})\n", Shown(name),
                        Shown(hits.endpoint), hits.limit, hits.count, hits.count == 1 ? "" : "s", hits.first_stamp,
                        hits.last_stamp);
  }
  if (ev.limit_hits.empty()) *out += "  process limit reached: never\n";
  *out += MoreNames(ev.limit_hits.size() - std::min(ev.limit_hits.size(), kMaxPrintedNames), ev.untracked_services,
                    "service names reached their process limit", "warnings");
  if (ev.postscreen_connections > 0 || ev.server_ports_busy > 0 || ev.screening_ports_busy > 0 ||
      ev.stress_entered > 0) {
    *out += fmt::format("  postscreen: {} connections; \"all server ports busy\" {}; \"all screening ports busy\" {}; "
                        "STRESS mode entered {} time{}{}\n",
                        ev.postscreen_connections, ev.server_ports_busy, ev.screening_ports_busy, ev.stress_entered,
                        ev.stress_entered == 1 ? "" : "s",
                        ev.stress_entered > 0 ? fmt::format(" (up to {} connections)", ev.stress_max_connections)
                                              : std::string());
  }
  if (ev.dnsbl_error_total > 0) {
    std::string zones;
    size_t shown_zones = 0;
    for (const auto& [zone, n] : ev.dnsbl_errors) {
      if (++shown_zones > kMaxPrintedNames) break;
      zones += fmt::format("{}{} {}", zones.empty() ? "" : ", ", Shown(zone), n);
    }
    size_t more_zones = ev.dnsbl_errors.size() - std::min(ev.dnsbl_errors.size(), kMaxPrintedNames) +
                        ev.untracked_zones.names;
    if (more_zones > 0) {
      zones += fmt::format(", and {}{} more zones", ev.untracked_zones.saturated ? "at least " : "", more_zones);
    }
    *out += fmt::format("  DNS list lookup errors and timeouts: {} ({})\n", ev.dnsbl_error_total, zones);
  } else {
    *out += "  DNS list lookup errors and timeouts: none\n";
  }
  if (ev.truncated) *out += "  (some sessions were not tracked: the log exceeds postvet's bounds)\n";
}

// Why the number: the log evidence, or the floor.
std::string Because(const LimitPlan& p, long floor) {
  const SmtpdAdvice& a = *p.advice;
  if (a.summary.empty()) return fmt::format("the floor min_smtpd_processes is {}", floor);
  if (p.target > floor) return a.summary + ", plus headroom";
  return fmt::format("min_smtpd_processes {}; logs: {}", floor, a.summary);
}

std::string Times(long n, unsigned long long each) {
  return fmt::format("{} ({} x {})", FormatBytes(static_cast<unsigned long long>(n) * each), n, FormatBytes(each));
}

// The lines under each piece of advice: formula, bound, confidence.
void Grounds(const LimitPlan& p, std::string* out) {
  if (!p.formula.empty()) *out += fmt::format("      target: {}\n", p.formula);
  if (!p.bound.empty()) *out += fmt::format("      bounded: {}\n", p.bound);
  std::string basis;
  for (const std::string& b : p.basis) basis += (basis.empty() ? "" : "; ") + b;
  *out += fmt::format("      confidence: {}: {}\n", ConfidenceName(p.confidence), basis);
}

void SmtpdLimit(const TuneReport& r, const LimitPlan& p, std::string* out) {
  const ServiceSettings& s = *p.service;
  const SmtpdAdvice& a = *p.advice;
  std::string because = Because(p, r.min_smtpd_processes);
  unsigned long long each = p.per_process;
  switch (p.action) {
    case LimitAction::kSet:
      if (!p.current) {
        *out += fmt::format("  {}: master(8) rejects its maxproc field; set it to {}\n", s.label, p.advised);
      } else {
        *out += fmt::format("  {}: no process limit; set one, such as {} ({}): needs about {}\n", s.label, p.advised,
                            because, Times(p.advised, each));
      }
      break;
    case LimitAction::kRaise:
      *out += fmt::format("  {}: raise the process limit from {} to {} ({}); now {}; needs about {}, {} more\n",
                          s.label, *p.current, p.advised, because, DescribeLimitSource(s, *r.settings),
                          Times(p.advised, each), FormatBytes(static_cast<unsigned long long>(p.memory_delta)));
      break;
    case LimitAction::kLower:
      *out += fmt::format("  {}: lower the process limit from {} to {} ({}); now {}; saves about {}\n", s.label,
                          *p.current, p.advised, because, DescribeLimitSource(s, *r.settings),
                          Times(*p.current - p.advised, each));
      break;
    case LimitAction::kMemoryBound:
      *out += fmt::format("  {}: the process limit of {} is below the {} the evidence calls for ({}), but the memory "
                          "budget has no room to raise it: lower other limits or add memory\n",
                          s.label, *p.current, p.target, because);
      break;
    default:
      if (!p.bound.empty()) {
        *out += fmt::format("  {}: keep the process limit of {} for now ({}); it needs about {}\n", s.label,
                            *p.current, because, Times(*p.current, each));
      } else if (r.evidence == nullptr && !a.peak_from_option) {
        *out += fmt::format("  {}: keep the process limit of {}: no evidence says otherwise ({}); it needs about {}\n",
                            s.label, *p.current, because, Times(*p.current, each));
      } else {
        *out += fmt::format("  {}: the process limit of {} fits the evidence ({}); it needs about {}\n", s.label,
                            *p.current, because, Times(*p.current, each));
      }
      break;
  }
  Grounds(p, out);
  if (a.saturated() && !a.peak_from_option) {
    *out += fmt::format("      the limit was reached: clients waited{}\n",
                        s.behind != nullptr ? " or were turned away by postscreen" : "");
  }
  *out += fmt::format("      stress-adaptive behaviour: {}\n", DescribeStress(s));
  if (a.sessions != nullptr && a.sessions->connections >= 20 && s.behind == nullptr &&
      a.sessions->lost_after_connect * 5 >= a.sessions->connections) {
    *out += fmt::format("      {} of connections are lost right after CONNECT (bots that never talk): postscreen "
                        "in front would keep them from smtpd\n",
                        Percent(a.sessions->lost_after_connect, a.sessions->connections));
  }
}

// An smtpd service other than the public one, sized from its sessions.
void SessionLimit(const TuneReport& r, const LimitPlan& p, std::string* out) {
  const ServiceSettings& s = *p.service;
  std::string head = fmt::format("  {} (from its own sessions, peak {})", s.label, p.demand);
  switch (p.action) {
    case LimitAction::kRaise:
      *out += fmt::format("{}: raise the process limit from {} to {}; now {}; needs about {} more\n", head,
                          *p.current, p.advised, DescribeLimitSource(s, *r.settings),
                          FormatBytes(static_cast<unsigned long long>(p.memory_delta)));
      break;
    case LimitAction::kLower:
      *out += fmt::format("{}: lower the process limit from {} to {}; now {}; saves about {}\n", head, *p.current,
                          p.advised, DescribeLimitSource(s, *r.settings), Times(*p.current - p.advised, p.per_process));
      break;
    case LimitAction::kMemoryBound:
      *out += fmt::format("{}: the limit of {} is below the {} the evidence calls for, but the memory budget has no "
                          "room to raise it\n",
                          head, *p.current, p.target);
      break;
    default:
      *out += fmt::format("{}: keep the process limit of {}\n", head, *p.current);
      break;
  }
  Grounds(p, out);
}

void OtherLimit(const TuneReport& r, const LimitPlan& p, std::string* out) {
  if (p.warnings == 0 && p.service != nullptr) {
    SessionLimit(r, p, out);
    return;
  }
  std::string head = fmt::format("  service \"{}\" ({}) reached its process limit of {} ({} warning{})", Shown(p.name),
                                 Shown(p.endpoint), p.demand, p.warnings, p.warnings == 1 ? "" : "s");
  switch (p.action) {
    case LimitAction::kNeverRaise: {
      const ServiceSettings& s = *p.service;
      std::string more;
      if (s.hands_off_to != nullptr) {
        more = fmt::format("; the clients it passes are served by {}, sized above", s.hands_off_to->NameSpace());
      }
      *out += fmt::format("{}: {} runs as one process by design; never raise it{}\n", head, s.command, more);
      break;
    }
    case LimitAction::kUnknown:
      *out += fmt::format("{}: raise it to {} (no such service in this master.cf)\n", head, p.advised);
      break;
    case LimitAction::kRaise:
      *out += fmt::format("{}: raise it to {} (now {}; about {} more memory)\n", head, p.advised,
                          DescribeLimitSource(*p.service, *r.settings),
                          FormatBytes(static_cast<unsigned long long>(p.memory_delta)));
      break;
    case LimitAction::kMemoryBound:
      *out += fmt::format("{}: raising it to {} needs memory the budget does not have; lower other limits or add "
                          "memory\n",
                          head, p.target);
      break;
    default:
      *out += fmt::format("{}: its limit is now {}; keep it\n", head, p.current.value_or(0));
      break;
  }
  Grounds(p, out);
}

void DnsblSection(const TuneReport& r, std::string* out) {
  std::string section = RenderDnsblEffect(*r.evidence, JudgeDnsbls(*r.evidence, r.dnsbl_zones));
  if (!section.empty()) *out += "\n" + section;
}

void Advice(const TuneReport& r, std::string* out) {
  *out += "Advice\n";
  PlanInputs in;
  in.settings = r.settings;
  in.evidence = r.evidence;
  in.advice = r.advice;
  in.floor = r.min_smtpd_processes;
  in.memory = r.memory;
  in.max_unknown = kMaxPrintedNames;
  TunePlan plan = PlanLimits(in);
  if (r.advice->empty()) *out += "  no public smtpd on port 25 in master.cf\n";
  for (const LimitPlan& p : plan.limits) {
    if (p.advice != nullptr) {
      SmtpdLimit(r, p, out);
    } else {
      OtherLimit(r, p, out);
    }
  }
  if (r.evidence != nullptr) {
    *out += MoreNames(plan.unknown_not_listed, r.evidence->untracked_services,
                      "service names not in this master.cf reached their process limit", "warnings");
  }
  if (r.evidence == nullptr && !r.advice->empty()) {
    *out += "  (no log evidence: pass --log /var/log/mail.log, or --peak-clients N, for a limit from real load)\n";
  }
  if (r.evidence != nullptr && r.evidence->dnsbl_error_total > 0) {
    *out += "  DNS list lookups failed or timed out: each one holds the client (and in smtpd a process) until the "
            "resolver gives up; check the local resolver and drop dead lists (postvet probe)\n";
  }
  *out += fmt::format("  memory at all process limits: about {} now, about {} after this advice",
                      FormatBytes(plan.memory_now), FormatBytes(plan.memory_after));
  if (r.memory) {
    *out += fmt::format(", of {} ({}){}", FormatBytes(*r.memory), r.memory_origin,
                        plan.memory_after > *r.memory ? ": too much, see PV502" : "");
  }
  *out += " (estimates: rules/data/daemon-memory.tsv)\n";
  if (r.evidence != nullptr) DnsblSection(r, out);
}

}  // namespace

std::string RenderTuneText(const TuneReport& r) {
  std::string out = fmt::format("postvet tune {}\n\n", r.config);
  Services(r, &out);
  out += "\n";
  if (r.evidence != nullptr) {
    Evidence(r, &out);
    out += "\n";
  }
  Advice(r, &out);
  // Service, host and zone names come from master.cf and the logs: escaped.
  return report::TerminalSafeLines(out);
}

}  // namespace postvet::tune
