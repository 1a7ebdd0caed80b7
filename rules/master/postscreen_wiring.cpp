// PV409 postscreen-wiring: a postscreen(8) inet service whose helpers are
// missing from master.cf, or that shares its port with an smtpd. postscreen
// connects to three services by the private/ socket of a name it reads in
// its own scope (postscreen.c, postscreen_dnsbl.c, postscreen_starttls.c):
// * `$smtpd_service_name` (smtpd), a private `pass` service, for every
//   client that passes: without it postscreen logs "cannot connect to
//   service private/smtpd" and answers 421 to everyone;
// * `$dnsblog_service_name` (dnsblog), a private `unix` service, when
//   postscreen_dnsbl_sites is set: without it no DNSBL is ever queried;
// * `$tlsproxy_service_name` (tlsproxy), a private `unix` service, when
//   postscreen offers STARTTLS (postscreen_tls_security_level, default
//   $smtpd_tls_security_level, or the legacy use/enforce_tls, and
//   STARTTLS not in postscreen_discard_ehlo_keywords) and its own SMTP
//   engine can run (a deep protocol test is on, or a test's action is
//   `enforce`): without it STARTTLS answers 454.
// An inet smtpd on the same port and address (or on all addresses) lets
// clients bypass postscreen, or keeps one of the two from listening.
// No fix: adding services needs the author's choice of settings.
#include <fmt/format.h>

#include <map>

#include "src/facts/master/endpoint.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using master_rules::CommandName;
using master_rules::ExpandInService;
using master_rules::IsYes;
using master_rules::Label;

std::string Lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

std::string Trimmed(const std::optional<std::string>& v) {
  if (!v) return "";
  size_t b = v->find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = v->find_last_not_of(" \t\r\n");
  return v->substr(b, e - b + 1);
}

// Why postscreen offers STARTTLS (postscreen_smtpd.c
// psc_smtpd_pre_jail_init), or empty when it does not.
std::string StartTlsReason(const LintContext& ctx, const MasterService& ps) {
  std::string level = Lower(Trimmed(ExpandInService(ctx, ps, "postscreen_tls_security_level")));
  std::string reason;
  if (!level.empty()) {
    // secure, verify and fingerprint are served as "encrypt"; none is off.
    bool offered = level == "may" || level == "encrypt" || level == "secure" || level == "verify" ||
                   level == "fingerprint";
    if (!offered) return "";
    reason = "postscreen_tls_security_level = " + level;
  } else if (IsYes(Trimmed(ExpandInService(ctx, ps, "postscreen_enforce_tls")))) {
    reason = "postscreen_enforce_tls = yes";
  } else if (IsYes(Trimmed(ExpandInService(ctx, ps, "postscreen_use_tls")))) {
    reason = "postscreen_use_tls = yes";
  } else {
    return "";
  }
  const std::string discard = ExpandInService(ctx, ps, "postscreen_discard_ehlo_keywords").value_or("");
  for (std::string_view word : master_rules::SplitList(discard)) {
    if (Lower(std::string(word)) == "starttls") return "";
  }
  return reason;
}

// Why postscreen's own SMTP engine ever talks to a client, or empty: deep
// protocol tests, or a failed test whose action is `enforce` (the client is
// kept until RCPT TO and then rejected).
std::string SmtpEngineReason(const LintContext& ctx, const MasterService& ps) {
  for (std::string_view p :
       {"postscreen_pipelining_enable", "postscreen_non_smtp_command_enable", "postscreen_bare_newline_enable"}) {
    if (IsYes(Trimmed(ExpandInService(ctx, ps, p)))) return std::string(p) + " = yes";
  }
  for (std::string_view p : {"postscreen_greet_action", "postscreen_dnsbl_action", "postscreen_denylist_action"}) {
    if (Lower(Trimmed(ExpandInService(ctx, ps, p))) == "enforce") return std::string(p) + " = enforce";
  }
  return "";
}

class PostscreenWiring : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV409",
            .slug = "postscreen-wiring",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "postscreen on smtp inet while another smtpd also listens there, or postscreen without smtpd pass, "
                       "dnsblog (when DNSBLs are set) or tlsproxy (when STARTTLS is offered)",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  // Once per configuration, with the services indexed, so that a large
  // master.cf costs linear time.
  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const MasterCf& master = ctx.master_cf();
    Index index;
    std::vector<const MasterService*> screens;
    for (const MasterService& s : master.services) {
      if (master_rules::IsArgumentLine(s)) continue;
      index.by_name.emplace(std::string(s.name()), &s);
      if (s.type != ServiceType::kInet) continue;
      std::string_view command = CommandName(s);
      if (command != "smtpd" && command != "postscreen") continue;
      std::optional<master_rules::Endpoint> e = master_rules::ServiceEndpoint(s);
      if (!e) continue;
      if (command == "postscreen") screens.push_back(&s);
      index.listeners[e->port_or_path].push_back({std::move(*e), &s});
    }
    for (const MasterService* ps : screens) CheckPostscreen(ctx, master, index, *ps, sink);
  }

 private:
  struct Listener {
    master_rules::Endpoint endpoint;
    const MasterService* service = nullptr;
  };
  struct Index {
    std::multimap<std::string, const MasterService*, std::less<>> by_name;
    std::map<std::string, std::vector<Listener>> listeners;  // inet smtpd/postscreen by port
  };

  static void CheckPostscreen(const LintContext& ctx, const MasterCf& master, const Index& index,
                              const MasterService& ps, Sink& sink) {
    const MasterWord& name = ps.field(MasterField::kService);
    Location where{master.source, name.begin, name.end};

    CheckRivals(master, index, ps, where, sink);

    std::string smtpd = Trimmed(ExpandInService(ctx, ps, "smtpd_service_name"));
    CheckHelper(master, index, ps, where, smtpd, ServiceType::kPass, "smtpd_service_name",
                "postscreen hands every client that passes its tests to this service; without it postscreen logs "
                "\"cannot connect to service private/{0}\" and answers 421 to every client",
                sink);

    std::string sites = Trimmed(ExpandInService(ctx, ps, "postscreen_dnsbl_sites"));
    if (!sites.empty()) {
      std::string dnsblog = Trimmed(ExpandInService(ctx, ps, "dnsblog_service_name"));
      CheckHelper(master, index, ps, where, dnsblog, ServiceType::kUnix, "dnsblog_service_name",
                  "postscreen_dnsbl_sites is set and postscreen queries the lists through this service; without it "
                  "postscreen logs \"connect to private/{0} service\" errors and no DNSBL ever scores",
                  sink);
    }

    std::string tls = StartTlsReason(ctx, ps);
    std::string engine = tls.empty() ? std::string() : SmtpEngineReason(ctx, ps);
    if (!engine.empty()) {
      std::string tlsproxy = Trimmed(ExpandInService(ctx, ps, "tlsproxy_service_name"));
      std::string why = fmt::format(
          "postscreen talks SMTP itself ({}) and offers STARTTLS there ({}), running TLS through this service; "
          "without it postscreen answers STARTTLS with \"454 4.7.0 TLS not available due to local problem\"",
          engine, tls);
      CheckHelper(master, index, ps, where, tlsproxy, ServiceType::kUnix, "tlsproxy_service_name", why, sink);
    }
  }

  // At most this many rivals are named, as notes of one finding.
  static constexpr size_t kMaxRivalNotes = 5;

  static void CheckRivals(const MasterCf& master, const Index& index, const MasterService& ps,
                          const Location& where, Sink& sink) {
    std::optional<master_rules::Endpoint> mine = master_rules::ServiceEndpoint(ps);
    if (!mine) return;
    auto it = index.listeners.find(mine->port_or_path);
    if (it == index.listeners.end()) return;
    std::vector<const Listener*> rivals;
    for (const Listener& l : it->second) {
      if (l.service != &ps && CommandName(*l.service) == "smtpd" && master_rules::InetOverlap(*mine, l.endpoint)) {
        rivals.push_back(&l);
      }
    }
    if (rivals.empty()) return;
    const Listener& first = *rivals.front();
    std::string what = mine->Key() == first.endpoint.Key()
                           ? "it is the same endpoint, so master(8) runs only the last of the entries"
                           : "they overlap, so one of them cannot bind (address already in use) or clients reach "
                             "smtpd without postscreen";
    std::string more = rivals.size() > 1 ? fmt::format(" (and {} more)", rivals.size() - 1) : std::string();
    Diagnostic& d = sink.Report(where,
                                fmt::format("postscreen service {} and smtpd service {}{} both listen on port {}",
                                            Label(ps), Label(*first.service), more, mine->port_or_path),
                                Label(ps) + "/rival");
    for (size_t i = 0; i < rivals.size() && i < kMaxRivalNotes; ++i) {
      const MasterWord& n = rivals[i]->service->field(MasterField::kService);
      d.notes.push_back(
          {{master.source, n.begin, n.end}, fmt::format("smtpd service {} is here", Label(*rivals[i]->service))});
    }
    d.notes.push_back({Location{}, what});
    d.notes.push_back({Location{}, "smtpd belongs behind postscreen as a `pass` service"});
  }

  // A private service `name` of type `type` must exist.
  static void CheckHelper(const MasterCf& master, const Index& index, const MasterService& ps, const Location& where,
                          const std::string& name, ServiceType type, std::string_view param,
                          std::string_view why_template, Sink& sink) {
    if (name.empty()) return;
    std::string_view type_name = type == ServiceType::kPass ? "pass" : "unix";
    const MasterService* wrong = nullptr;
    auto [first, last] = index.by_name.equal_range(name);
    for (auto it = first; it != last; ++it) {
      const MasterService& s = *it->second;
      bool is_private = s.field(MasterField::kPrivate).text != "n";
      if (s.type == type && is_private) return;
      wrong = &s;
    }
    std::string why(why_template);
    for (size_t at = why.find("{0}"); at != std::string::npos; at = why.find("{0}", at + name.size())) {
      why.replace(at, 3, name);
    }
    std::string label = name + "/" + std::string(type_name);
    std::string message =
        wrong == nullptr
            ? fmt::format("postscreen service {} needs a private `{} {}` service in master.cf, and there is none",
                          Label(ps), name, type_name)
            : fmt::format("postscreen service {} needs a private `{} {}` service, but {} is {}", Label(ps), name,
                          type_name, Label(*wrong),
                          wrong->type != type ? fmt::format("of type {}", wrong->field(MasterField::kType).text)
                                              : std::string("public (private field n)"));
    Diagnostic& d = sink.Report(where, std::move(message), Label(ps) + "/" + label);
    if (wrong != nullptr) {
      const MasterWord& n = wrong->field(MasterField::kService);
      d.notes.push_back({{master.source, n.begin, n.end}, fmt::format("{} is defined here", Label(*wrong))});
    }
    d.notes.push_back({Location{}, fmt::format("postscreen connects to private/{} ({} = {}); {}", name, param, name,
                                               why)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewPostscreenWiringRule() { return std::make_unique<PostscreenWiring>(); }

}  // namespace postvet
