// The JSON form of `postvet tune` (--format json): the same data as the text
// report (tune_report.hpp) as one document for scripts:
//   {"version": 1, "config": DIR,
//    "services": [{"service", "command", "process_limit" (null: master(8)
//                  rejects the field; 0: no limit), "limit_source",
//                  "stress", "public"}...],
//    "evidence": null | {"files", "lines", "syslog_lines", "first", "last",
//                  "sessions": [{"tag", "connections", "peak",
//                  "lost_after_connect"}...], "limit_hits": [{"service",
//                  "endpoint", "limit", "count"}...], "dnsbl_errors",
//                  "truncated"},
//    "advice": [{"service", "limit", "recommended", "memory_bytes",
//                "saturated", "summary", "peak_note", PLAN}...],
//    "other_limits": [{"service", "endpoint", "warnings", "limit", PLAN}...],
//    "dnsbl": null | {"smtpd_rejects", "postscreen_rejects",
//                "postscreen_ranks", "lists": [{"zone", "configured",
//                "caught", "only_this", "also_caught_by_other", "rejects",
//                "listings", "errors", "verdict", "reason"}...]},
//    "memory": {"total_bytes" (now), "after_bytes" (after the advice),
//               "available_bytes" (null: unknown), "origin"},
//    "findings": [{"rule", "severity", "file", "line", "column", "message"}...]}
// PLAN is the decision of limit_plan.hpp: "action" (raise, lower, keep,
// set, memory-bound, never-raise, unknown-service), "target", "advised",
// "demand", "demand_is_lower_bound", "formula", "bound",
// "memory_added_bytes", "memory_freed_bytes", "confidence": {"level",
// "basis": [...]}. "recommended" is the limit the text report advises
// ("advised": the target within the floor and the memory budget).
//
// Contract: pure formatting; deterministic; valid JSON for any input bytes
// (src/base/json_writer.hpp escapes them). Lists from the logs are the
// analyzer's bounded lists, written in full.
#pragma once

#include <string>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/tune/tune_report.hpp"

namespace postvet::tune {

/// The document, ending in LF.
std::string RenderTuneJson(const TuneReport& report, const std::vector<Diagnostic>& findings);

}  // namespace postvet::tune
