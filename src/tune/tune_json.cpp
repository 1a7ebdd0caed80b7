#include "src/tune/tune_json.hpp"

#include "src/tune/dnsbl_effect.hpp"
#include "src/tune/limit_plan.hpp"

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

std::string_view ActionName(LimitAction action) {
  switch (action) {
    case LimitAction::kRaise: return "raise";
    case LimitAction::kLower: return "lower";
    case LimitAction::kKeep: return "keep";
    case LimitAction::kSet: return "set";
    case LimitAction::kMemoryBound: return "memory-bound";
    case LimitAction::kNeverRaise: return "never-raise";
    case LimitAction::kUnknown: return "unknown-service";
  }
  return "keep";
}

// The decision fields shared by "advice" and "limits".
void PlanFields(const LimitPlan& p, report::JsonWriter& json) {
  json.StringField("action", ActionName(p.action));
  json.UintField("target", NonNegative(p.target));
  json.UintField("advised", NonNegative(p.advised));
  json.UintField("demand", NonNegative(p.demand));
  json.Key("demand_is_lower_bound");
  json.Bool(p.demand_lower_bound);
  json.StringField("formula", p.formula);
  json.StringField("bound", p.bound);
  json.UintField("memory_added_bytes", p.memory_delta > 0 ? static_cast<uint64_t>(p.memory_delta) : 0);
  json.UintField("memory_freed_bytes", p.memory_delta < 0 ? static_cast<uint64_t>(-p.memory_delta) : 0);
  json.Key("confidence");
  json.BeginObject();
  json.StringField("level", ConfidenceName(p.confidence));
  json.Key("basis");
  json.BeginArray();
  for (const std::string& b : p.basis) json.String(b);
  json.EndArray();
  json.EndObject();
}

void Advice(const TuneReport& r, const TunePlan& plan, report::JsonWriter& json) {
  json.Key("advice");
  json.BeginArray();
  for (const LimitPlan& p : plan.limits) {
    if (p.advice == nullptr) continue;
    const SmtpdAdvice& a = *p.advice;
    json.BeginObject();
    json.StringField("service", a.service->label);
    json.Key("limit");
    if (a.limit) {
      json.Uint(NonNegative(*a.limit));
    } else {
      json.Null();
    }
    json.UintField("recommended", NonNegative(p.advised));
    json.UintField("memory_bytes", NonNegative(p.advised) * p.per_process);
    json.Key("saturated");
    json.Bool(a.saturated() && !a.peak_from_option);
    json.StringField("summary", a.summary);
    json.StringField("peak_note", a.peak_note);
    PlanFields(p, json);
    json.EndObject();
  }
  json.EndArray();
  json.Key("other_limits");
  json.BeginArray();
  for (const LimitPlan& p : plan.limits) {
    if (p.advice != nullptr) continue;
    json.BeginObject();
    json.StringField("service", p.name);
    json.StringField("endpoint", p.endpoint);
    json.UintField("warnings", p.warnings);
    json.Key("limit");
    if (p.current) {
      json.Uint(NonNegative(*p.current));
    } else {
      json.Null();
    }
    PlanFields(p, json);
    json.EndObject();
  }
  json.EndArray();
  (void)r;
}

void Dnsbl(const TuneReport& r, report::JsonWriter& json) {
  json.Key("dnsbl");
  if (r.evidence == nullptr) {
    json.Null();
    return;
  }
  json.BeginObject();
  json.UintField("smtpd_rejects", r.evidence->smtpd_dnsbl_rejects);
  json.UintField("postscreen_rejects", r.evidence->postscreen_dnsbl_rejects);
  json.UintField("postscreen_ranks", r.evidence->postscreen_dnsbl_ranks);
  json.Key("lists");
  json.BeginArray();
  for (const DnsblListReport& d : JudgeDnsbls(*r.evidence, r.dnsbl_zones)) {
    json.BeginObject();
    json.StringField("zone", d.zone);
    json.Key("configured");
    json.Bool(d.configured);
    json.UintField("caught", d.effect.caught);
    json.UintField("only_this", d.effect.only_this);
    json.UintField("also_caught_by_other", d.effect.also_caught_by_other);
    json.UintField("rejects", d.effect.rejects);
    json.UintField("listings", d.effect.listed);
    json.UintField("errors", d.errors);
    json.StringField("verdict", DnsblVerdictName(d.verdict));
    json.StringField("reason", d.reason);
    json.EndObject();
  }
  json.EndArray();
  json.EndObject();
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
  PlanInputs in;
  in.settings = r.settings;
  in.evidence = r.evidence;
  in.advice = r.advice;
  in.floor = r.min_smtpd_processes;
  in.memory = r.memory;
  in.max_unknown = kMaxTrackedServices;
  TunePlan plan = PlanLimits(in);
  Advice(r, plan, json);
  Dnsbl(r, json);
  json.Key("memory");
  json.BeginObject();
  json.UintField("total_bytes", plan.memory_now);
  json.UintField("after_bytes", plan.memory_after);
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
