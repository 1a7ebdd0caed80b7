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
//                "saturated", "summary"}...],
//    "memory": {"total_bytes", "available_bytes" (null: unknown), "origin"},
//    "findings": [{"rule", "severity", "file", "line", "column", "message"}...]}
// "recommended" is the limit the text report advises (evidence, or the
// min_smtpd_processes floor, whichever is higher).
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
