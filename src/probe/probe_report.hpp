// The probe's summary for people: a table of every zone probed (zone, kind,
// verdict, median and p95 answer time) and what the lists cost an SMTP
// connection in the worst case. smtpd asks the DNS lists of its restriction
// lists one after another, each lookup waiting for its answer
// (smtpd_check.c), so their times add up; postscreen sends all its
// postscreen_dnsbl_sites queries at once (postscreen_dnsbl.c), so it waits
// for the slowest. Printed after the diagnostics in the text format.
//
// Contract: a zone that did not answer counts with the time the probe
// waited for it (per-try timeout, doubled on each further try, as c-ares
// does), and the sum is then marked as a lower bound ("≥"), since Postfix's
// own resolver settings may wait longer.
#pragma once

#include <string>
#include <vector>

#include "src/probe/probe.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::probe {

/// The worst-case DNS list time of one scope (main.cf, or a master.cf
/// service with lists of its own).
struct ScopeBudget {
  std::string scope;  ///< "main.cf", "service submission (master.cf)"
  std::size_t smtpd_zones = 0;
  double smtpd_ms = 0;
  bool smtpd_at_least = false;  ///< some zone did not answer
  std::size_t postscreen_zones = 0;
  double postscreen_ms = 0;
  bool postscreen_at_least = false;
};

/// The time one lookup of `zone` costs at worst: its p95, or the probe's
/// give-up time when a test point got no answer (`*no_answer` set).
double WorstLookupMs(const ZoneReport& zone, const ProbeOptions& options, bool* no_answer);

/// Budgets for main.cf's scope and each service scope that has lists of its own.
std::vector<ScopeBudget> ComputeBudgets(const LintContext& ctx, const ProbeResults& results);

/// The table and the budget lines, ending in a newline.
std::string RenderProbeTable(const ProbeResults& results, const std::vector<ScopeBudget>& budgets);

/// `json` (a json-format report, src/report/json.cpp) with a "probe" member
/// added after "diagnostics": when and through which resolver the probe
/// ran, and per zone its kind, verdict, reason, answers and median/p95 ms
/// (the text table's content). Returns `json` unchanged if it does not end
/// like a json report.
std::string AddProbeJson(std::string json, const ProbeResults& results);

}  // namespace postvet::probe
