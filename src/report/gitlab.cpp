// The gitlab format: a GitLab Code Quality report, the JSON array of Code
// Climate issues that `artifacts: reports: codequality:` publishes. The
// description is the message with the detail notes as further sentences
// (located notes have nowhere to go). GitLab
// reads description, check_name, fingerprint, severity and location; it
// keeps only the first issue per fingerprint, so fingerprints are unique per
// finding (see fingerprint.hpp) and free of line numbers, so that a finding
// keeps its identity when lines move.
#include "src/report/fingerprint.hpp"
#include "src/report/formats.hpp"
#include "src/base/json_writer.hpp"

namespace postvet::report {

namespace {

// Code Climate severities: info, minor, major, critical, blocker.
std::string_view GitlabSeverity(Severity s) {
  switch (s) {
    case Severity::kError: return "critical";
    case Severity::kWarning: return "major";
    case Severity::kInfo: return "info";
  }
  return "info";
}

}  // namespace

std::string RenderGitlab(const ReportContext& context) {
  const std::string_view working_directory = context.options->working_directory;
  FingerprintCounter fingerprints(working_directory);
  std::string out;
  JsonWriter json(&out);
  json.BeginArray();
  for (size_t i = 0; i < context.diagnostics.size(); ++i) {
    const Diagnostic& d = *context.diagnostics[i];
    const Span span = Resolve(d.location);
    json.BeginObject();
    json.StringField("type", "issue");
    json.StringField("description", MessageWithDetails(d));
    json.StringField("check_name", d.rule_id);
    json.StringField("fingerprint", fingerprints.Next(d));
    json.StringField("severity", GitlabSeverity(d.severity));
    json.Key("location");
    json.BeginObject();
    json.StringField("path", CiPath(span.source->display(), working_directory));
    json.Key("lines");
    json.BeginObject();
    json.UintField("begin", span.start.line);
    json.UintField("end", span.stop.line);
    json.EndObject();
    json.EndObject();
    json.EndObject();
    context.Flush(&out);
  }
  json.EndArray();
  out.push_back('\n');
  return out;
}

}  // namespace postvet::report
