#include "src/facts/tune/service_settings.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/facts/computation_count.hpp"
#include "src/facts/facts.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/param_context.hpp"

namespace postvet::tune {
namespace {

// The stress-dependent parameters each daemon reads (format spec 8.2).
// smtpd polls the verify service with address_verify_poll_count.
constexpr std::string_view kSmtpdStressParams[] = {
    "smtpd_timeout",          "smtpd_hard_error_limit",     "smtpd_junk_command_limit",
    "smtpd_starttls_timeout", "smtpd_per_request_deadline", "address_verify_poll_count"};
constexpr std::string_view kPostscreenStressParams[] = {"postscreen_greet_wait", "postscreen_command_time_limit"};

// Daemons that insist on a process limit when they start (format spec 9).
constexpr std::string_view kSolitary[] = {"postscreen", "qmgr",   "oqmgr",  "pickup",  "tlsmgr",
                                          "anvil",      "scache", "verify", "postlogd"};
constexpr std::string_view kUnlimited[] = {"dnsblog", "tlsproxy", "bounce", "cleanup", "flush"};

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool Contains(const std::string_view* begin, const std::string_view* end, std::string_view word) {
  for (const std::string_view* p = begin; p != end; ++p) {
    if (*p == word) return true;
  }
  return false;
}

// Expands `name` with `stress` forced (nullopt: as configured); "?" when the
// value does not expand (PV103/PV107 say why).
std::string ExpandWith(const LintContext& ctx, const MasterService* service, std::string_view name,
                       std::optional<std::string> stress) {
  Stress mode = !stress ? Stress::kAsConfigured : stress->empty() ? Stress::kNormal : Stress::kUnder;
  Result<std::string> r = FactsOf(ctx).ValueFor(service, name, mode);
  return r.ok() ? std::move(*r) : std::string("?");
}

long ParseLong(const std::string& text, long fallback) {
  if (text.empty()) return fallback;
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (end == text.c_str() || *end != '\0') return fallback;
  return n;
}

bool IsArgumentLine(const MasterService& service) {
  std::string_view name = service.name();
  return !name.empty() && name[0] == '-';
}

void FillStress(const LintContext& ctx, ServiceSettings* s) {
  const MasterService* svc = s->service;
  bool postscreen = s->command == "postscreen";
  if (postscreen) {
    s->stress_mode = StressMode::kSelfManaged;
  } else if (const MasterOverride* own = svc->FindOverride("stress")) {
    s->stress_override = {ctx.master_cf().source, own->begin, own->end};
    bool empty = own->value.find_first_not_of(" \t\r\n") == std::string::npos;
    s->stress_mode = !empty ? StressMode::kForcedOn
                            : (s->receives_stress_option ? StressMode::kForcedOff : StressMode::kNone);
  } else {
    s->stress_mode = s->receives_stress_option ? StressMode::kAdaptive : StressMode::kNone;
  }
  auto fill = [&](const std::string_view* begin, const std::string_view* end) {
    bool both = s->stress_mode == StressMode::kAdaptive || s->stress_mode == StressMode::kSelfManaged;
    for (const std::string_view* p = begin; p != end; ++p) {
      StressValue v;
      v.param = std::string(*p);
      if (both) {
        v.normal = ExpandWith(ctx, svc, *p, std::string());
        v.stress = ExpandWith(ctx, svc, *p, std::string("yes"));
      } else {
        v.normal = ExpandWith(ctx, svc, *p, std::nullopt);
        v.stress = v.normal;
      }
      s->stress_values.push_back(std::move(v));
    }
  };
  if (s->command == "smtpd") fill(std::begin(kSmtpdStressParams), std::end(kSmtpdStressParams));
  if (postscreen) {
    fill(std::begin(kPostscreenStressParams), std::end(kPostscreenStressParams));
    s->pre_queue_limit = ParseLong(ExpandWith(ctx, svc, "postscreen_pre_queue_limit", std::nullopt), 100);
    // postscreen.c computes the water marks as int(0.7 × limit), int(0.9 × limit).
    s->stress_enter_at = s->pre_queue_limit * 9 / 10;
    s->stress_leave_at = s->pre_queue_limit * 7 / 10;
  }
}

}  // namespace

std::string_view StressModeName(StressMode mode) {
  switch (mode) {
    case StressMode::kAdaptive: return "adaptive";
    case StressMode::kForcedOn: return "forced on";
    case StressMode::kForcedOff: return "forced off";
    case StressMode::kSelfManaged: return "own STRESS mode";
    case StressMode::kNone: return "never";
  }
  return "never";
}

std::string_view InetPort(std::string_view name) {
  if (!name.empty() && name[0] == '[') {
    size_t close = name.find(']');
    if (close == std::string_view::npos) return {};
    std::string_view after = name.substr(close + 1);
    return after.empty() ? after : after.substr(1);
  }
  size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool IsSmtpPort(std::string_view port) { return port == "smtp" || port == "25"; }

std::string LineOf(const Location& location) {
  if (location.source == nullptr) return "built-in";
  return fmt::format("{} line {}", location.source->display(), location.source->Locate(location.begin).line);
}

const ServiceSettings* TuneSettings::Find(const MasterService* service) const {
  for (const ServiceSettings& s : services) {
    if (s.service == service) return &s;
  }
  return nullptr;
}

TuneSettings ComputeSettings(const LintContext& ctx) {
  facts::CountComputation(facts::Computation::kServiceSettings);
  TuneSettings out;
  // master(8) reads default_process_limit from main.cf; a value it would
  // refuse (PV106) is taken as the built-in 100 here.
  out.default_process_limit = FactsOf(ctx).DefaultProcessLimit();
  if (const MainCfDefinition* d = ctx.main_cf().Find("default_process_limit")) {
    if (const InputFile* f = ctx.main_file()) out.default_process_limit_location = {f->source.get(), d->name_begin, d->value_end};
  }
  out.inet_interfaces = ExpandWith(ctx, nullptr, "inet_interfaces", std::nullopt);
  if (out.inet_interfaces == "?") out.inet_interfaces = "all";

  const MasterCf& master = ctx.master_cf();
  for (const MasterService& svc : master.services) {
    if (IsArgumentLine(svc)) continue;
    ServiceSettings s;
    s.service = &svc;
    s.label = svc.NameSpace();
    s.command = std::string(BaseName(svc.field(MasterField::kCommand).text));
    const MasterWord& maxproc = svc.field(MasterField::kProcessLimit);
    s.limit_location = {master.source, maxproc.begin, maxproc.end};
    s.process_limit = EffectiveProcessLimit(svc, out.default_process_limit);
    if (!s.process_limit) {
      s.limit_source = LimitSource::kInvalid;
    } else if (Contains(std::begin(kSolitary), std::end(kSolitary), s.command)) {
      // The daemon dies unless the limit is 1 (PV408); it is one process either way.
      s.limit_source = LimitSource::kDaemonSolitary;
      s.process_limit = 1;
    } else if (Contains(std::begin(kUnlimited), std::end(kUnlimited), s.command)) {
      s.limit_source = LimitSource::kDaemonUnlimited;
      s.process_limit = 0;
    } else {
      s.limit_source = maxproc.text == "-" ? LimitSource::kDefaultProcessLimit : LimitSource::kMaxproc;
    }
    s.local_only = IsLocalOnly(svc, out.inet_interfaces);
    s.receives_stress_option = ReceivesStressOption(svc, out.default_process_limit, out.inet_interfaces);
    std::string syslog_name = ExpandWith(ctx, &svc, "syslog_name", std::nullopt);
    s.log_tag = syslog_name + "/" + s.command;
    FillStress(ctx, &s);
    out.services.push_back(std::move(s));
  }

  // Port-25 smtpd, directly or behind postscreen.
  for (ServiceSettings& s : out.services) {
    if (s.service->type != ServiceType::kInet || s.local_only) continue;
    if (!IsSmtpPort(InetPort(s.service->name()))) continue;
    if (s.command == "smtpd") {
      s.public_smtpd = true;
    } else if (s.command == "postscreen") {
      std::string target = ExpandWith(ctx, s.service, "smtpd_service_name", std::nullopt);
      for (ServiceSettings& t : out.services) {
        if (t.service->type == ServiceType::kPass && t.service->name() == target && t.command == "smtpd") {
          s.hands_off_to = t.service;
          t.public_smtpd = true;
          t.behind = s.service;
          break;
        }
      }
    }
  }
  return out;
}

std::string DescribeLimitSource(const ServiceSettings& s, const TuneSettings& settings) {
  const MasterWord& field = s.service->field(MasterField::kProcessLimit);
  switch (s.limit_source) {
    case LimitSource::kMaxproc:
      return fmt::format("maxproc {} ({})", field.text, LineOf(s.limit_location));
    case LimitSource::kDefaultProcessLimit:
      if (settings.default_process_limit_location.source == nullptr) {
        return fmt::format("maxproc `-` ({}), so the built-in default_process_limit of {}", LineOf(s.limit_location),
                           settings.default_process_limit);
      }
      return fmt::format("maxproc `-` ({}), so default_process_limit = {} ({})", LineOf(s.limit_location),
                         settings.default_process_limit, LineOf(settings.default_process_limit_location));
    case LimitSource::kDaemonSolitary:
      return fmt::format("{} runs as a single process by design", s.command);
    case LimitSource::kDaemonUnlimited:
      return fmt::format("{} runs without a process limit by design", s.command);
    case LimitSource::kInvalid:
      return fmt::format("maxproc \"{}\" is not a number master(8) accepts ({})", field.text, LineOf(s.limit_location));
  }
  return {};
}

}  // namespace postvet::tune
