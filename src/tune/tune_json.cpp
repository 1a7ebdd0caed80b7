#include "src/tune/tune_json.hpp"

#include "src/model/master_cf.hpp"
#include "src/base/json_writer.hpp"
#include "src/base/source.hpp"

namespace postvet::tune {
namespace {

uint64_t NonNegative(long value) { return value > 0 ? static_cast<uint64_t>(value) : 0; }

void Services(const TuneReport& r, report::JsonWriter& json) {
  json.Key("services");
  json.BeginArray();
  for (const ServiceSettings& s : r.settings->services) {
    json.BeginObject();
    json.StringField("service", s.label);
    json.StringField("command", s.command);
    json.Key("process_limit");
    if (s.process_limit) {
      json.Uint(NonNegative(*s.process_limit));
    } else {
      json.Null();
    }
    json.StringField("limit_source", DescribeLimitSource(s, *r.settings));
    json.StringField("stress", StressModeName(s.stress_mode));
    json.Key("public");
    json.Bool(s.public_smtpd || (s.command == "postscreen" && !s.local_only));
    json.EndObject();
  }
  json.EndArray();
}

void Evidence(const TuneReport& r, report::JsonWriter& json) {
  json.Key("evidence");
  if (r.evidence == nullptr) {
    json.Null();
    return;
  }
  const LogEvidence& ev = *r.evidence;
  json.BeginObject();
  json.UintField("files", ev.files);
  json.UintField("lines", ev.lines);
  json.UintField("syslog_lines", ev.syslog_lines);
  json.StringField("first", ev.first_stamp);
  json.StringField("last", ev.last_stamp);
  json.Key("sessions");
  json.BeginArray();
  for (const auto& [tag, st] : ev.sessions) {
    json.BeginObject();
    json.StringField("tag", tag);
    json.UintField("connections", st.connections);
    json.UintField("peak", NonNegative(static_cast<long>(st.peak)));
    json.UintField("lost_after_connect", st.lost_after_connect);
    json.EndObject();
  }
  json.EndArray();
  json.Key("limit_hits");
  json.BeginArray();
  for (const auto& [name, hits] : ev.limit_hits) {
    json.BeginObject();
    json.StringField("service", name);
    json.StringField("endpoint", hits.endpoint);
    json.UintField("limit", NonNegative(static_cast<long>(hits.limit)));
    json.UintField("count", hits.count);
    json.EndObject();
  }
  json.EndArray();
  json.UintField("dnsbl_errors", ev.dnsbl_error_total);
  json.Key("truncated");
  json.Bool(ev.truncated);
  json.EndObject();
}

void Advice(const TuneReport& r, report::JsonWriter& json) {
  json.Key("advice");
  json.BeginArray();
  for (const SmtpdAdvice& a : *r.advice) {
    long target = a.recommended > r.min_smtpd_processes ? a.recommended : r.min_smtpd_processes;
    json.BeginObject();
    json.StringField("service", a.service->label);
    json.Key("limit");
    if (a.limit) {
      json.Uint(NonNegative(*a.limit));
    } else {
      json.Null();
    }
    json.UintField("recommended", NonNegative(target));
    json.UintField("memory_bytes", NonNegative(target) * MemoryFor("smtpd").bytes);
    json.Key("saturated");
    json.Bool(a.saturated() && !a.peak_from_option);
    json.StringField("summary", a.summary);
    json.EndObject();
  }
  json.EndArray();
}

void Findings(const std::vector<Diagnostic>& findings, report::JsonWriter& json) {
  json.Key("findings");
  json.BeginArray();
  for (const Diagnostic& d : findings) {
    json.BeginObject();
    json.StringField("rule", d.rule_id);
    json.StringField("severity", SeverityName(d.severity));
    if (d.location.source != nullptr) {
      LineCol at = d.location.source->Locate(d.location.begin);
      json.StringField("file", d.location.source->display());
      json.UintField("line", at.line);
      json.UintField("column", at.column);
    }
    json.StringField("message", d.message);
    json.EndObject();
  }
  json.EndArray();
}

}  // namespace

std::string RenderTuneJson(const TuneReport& r, const std::vector<Diagnostic>& findings) {
  std::string out;
  report::JsonWriter json(&out);
  json.BeginObject();
  json.UintField("version", 1);
  json.StringField("config", r.config);
  Services(r, json);
  Evidence(r, json);
  Advice(r, json);
  json.Key("memory");
  json.BeginObject();
  json.UintField("total_bytes", ComputeBudget(*r.settings).total);
  json.Key("available_bytes");
  if (r.memory) {
    json.Uint(*r.memory);
  } else {
    json.Null();
  }
  json.StringField("origin", r.memory_origin);
  json.EndObject();
  Findings(findings, json);
  json.EndObject();
  out += "\n";
  return out;
}

}  // namespace postvet::tune
