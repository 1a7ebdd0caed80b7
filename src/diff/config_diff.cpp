#include "src/diff/config_diff.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "src/facts/dnsbl/dnsbl_uses.hpp"
#include "src/facts/facts.hpp"
#include "src/match/regex_engine.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/postfix_strings.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {
namespace {

using Level = ConfigChange::Level;

// Parameters whose changes are risky: they decide who may relay, what is
// accepted, and how much load the server takes.
bool IsRiskyParameter(std::string_view name) {
  static const std::set<std::string_view> kRisky = {
      "mynetworks", "mynetworks_style", "relay_domains", "mydestination", "inet_interfaces",
      "smtpd_relay_restrictions", "smtpd_recipient_restrictions", "smtpd_client_restrictions",
      "smtpd_sender_restrictions", "smtpd_helo_restrictions", "smtpd_data_restrictions",
      "default_process_limit", "content_filter", "default_transport", "relay_transport",
      "local_transport", "virtual_transport", "relayhost", "stress", "smtpd_tls_security_level",
      "postscreen_dnsbl_sites", "postscreen_dnsbl_threshold", "header_checks", "body_checks",
      "compatibility_level", "message_size_limit"};
  return kRisky.count(name) > 0;
}

Location NameLocation(const LintContext& ctx, std::string_view name) {
  if (const MainCfDefinition* d = ctx.main_cf().Find(name)) {
    return {ctx.main_file()->source.get(), d->name_begin, d->name_end};
  }
  return {};
}

std::string Effective(const LintContext& ctx, std::string_view name) {
  Result<std::string> v = FactsOf(ctx).ValueFor(nullptr, name);
  return NormalizeSpace(v.ok() ? v.value() : std::string("<expansion error: ") + v.status().message() + ">");
}

std::string Raw(const LintContext& ctx, std::string_view name) {
  std::optional<std::string_view> v = ctx.main_cf().Value(name);
  return v ? NormalizeSpace(*v) : std::string("(default)");
}

void DiffParameters(const LintContext& a, const LintContext& b, std::vector<ConfigChange>* out) {
  std::set<std::string> names;
  for (std::string_view n : a.ParameterNames()) names.emplace(n);
  for (std::string_view n : b.ParameterNames()) names.emplace(n);
  for (const std::string& name : names) {
    std::string ea = Effective(a, name);
    std::string eb = Effective(b, name);
    std::string ra = Raw(a, name);
    std::string rb = Raw(b, name);
    Location where = NameLocation(b, name);
    if (where.source == nullptr) where = NameLocation(a, name);
    if (ea != eb) {
      std::string how = ra == rb ? " (through a $name it references)" : "";
      out->push_back({IsRiskyParameter(name) ? Level::kRisky : Level::kNotable, name,
                      fmt::format("{}: \"{}\" → \"{}\"{}", name, ea, eb, how), where});
    } else if (ra != rb) {
      out->push_back({Level::kCosmetic, name,
                      fmt::format("{}: rewritten (\"{}\" → \"{}\"), same effective value", name, ra, rb), where});
    }
  }
}

std::string ServiceKey(const MasterService& s) { return s.NameSpace(); }

// Names of transports main.cf (and -o overrides) route mail to.
std::set<std::string> UsedTransports(const LintContext& ctx) {
  std::set<std::string> used;
  for (const char* p : {"content_filter", "default_transport", "relay_transport", "local_transport",
                        "virtual_transport", "lmtp_transport", "fallback_transport"}) {
    std::string v = Effective(ctx, p);
    std::string name = v.substr(0, v.find(':'));
    if (!name.empty()) used.insert(name);
  }
  for (const MasterService& s : ctx.master_cf().services) {
    if (const MasterOverride* o = s.FindOverride("content_filter")) used.insert(o->value.substr(0, o->value.find(':')));
  }
  // postscreen's helpers.
  for (const MasterService& s : ctx.master_cf().services) {
    if (s.field(MasterField::kCommand).text == "postscreen") {
      used.insert(Effective(ctx, "dnsblog_service_name"));
      used.insert(Effective(ctx, "tlsproxy_service_name"));
      used.insert("smtpd");
    }
  }
  return used;
}

std::string LimitText(std::optional<long> limit) {
  if (!limit) return "invalid";
  return *limit == 0 ? "unlimited" : fmt::format("{}", *limit);
}

void DiffServices(const LintContext& a, const LintContext& b, std::vector<ConfigChange>* out) {
  std::map<std::string, const MasterService*> sa;
  std::map<std::string, const MasterService*> sb;
  for (const MasterService& s : a.master_cf().services) sa[ServiceKey(s)] = &s;
  for (const MasterService& s : b.master_cf().services) sb[ServiceKey(s)] = &s;
  long dpl_a = FactsOf(a).DefaultProcessLimit();
  long dpl_b = FactsOf(b).DefaultProcessLimit();
  std::set<std::string> used_b = UsedTransports(b);
  const Source* master_a = a.master_file() != nullptr ? a.master_file()->source.get() : nullptr;
  const Source* master_b = b.master_file() != nullptr ? b.master_file()->source.get() : nullptr;
  for (const auto& [key, s] : sa) {
    if (sb.count(key) != 0) continue;
    std::string name(s->name());
    bool still_used = used_b.count(name) != 0;
    bool public_smtp = s->type == ServiceType::kInet;
    out->push_back({still_used || public_smtp ? Level::kRisky : Level::kNotable, key,
                    fmt::format("service {} removed{}", key,
                                still_used ? "; the configuration still routes mail to it" : ""),
                    {master_a, s->begin, s->begin + static_cast<uint32_t>(s->name().size())}});
  }
  for (const auto& [key, s] : sb) {
    Location where{master_b, s->begin, s->begin + static_cast<uint32_t>(s->name().size())};
    auto it = sa.find(key);
    if (it == sa.end()) {
      out->push_back({s->type == ServiceType::kInet ? Level::kRisky : Level::kNotable, key,
                      fmt::format("service {} added ({})", key, s->field(MasterField::kCommand).text), where});
      continue;
    }
    const MasterService* old = it->second;
    // Process limit, with where the number comes from.
    std::optional<long> la = EffectiveProcessLimit(*old, dpl_a);
    std::optional<long> lb = EffectiveProcessLimit(*s, dpl_b);
    if (la != lb) {
      bool via_default = s->field(MasterField::kProcessLimit).text == "-";
      std::string source = via_default ? fmt::format(" (default_process_limit changed{})",
                                                     dpl_a != dpl_b ? fmt::format(": {} → {}", dpl_a, dpl_b) : "")
                                       : "";
      bool lower = lb && la && *lb != 0 && (*la == 0 || *lb < *la);
      bool public_service = s->type == ServiceType::kInet || s->type == ServiceType::kPass;
      out->push_back({lower && public_service ? Level::kRisky : Level::kNotable, key,
                      fmt::format("{}: process limit {} → {}{}", key, LimitText(la), LimitText(lb), source), where});
    }
    for (size_t f = 0; f < kMasterFieldCount; ++f) {
      if (f == static_cast<size_t>(MasterField::kProcessLimit)) continue;
      const std::string& ta = old->fields[f].text;
      const std::string& tb = s->fields[f].text;
      if (ta != tb) {
        out->push_back({f == static_cast<size_t>(MasterField::kCommand) ? Level::kRisky : Level::kNotable, key,
                        fmt::format("{}: {} {} → {}", key, MasterFieldName(static_cast<MasterField>(f)), ta, tb),
                        where});
      }
    }
    // Stress handling: what the master passes, and user overrides.
    bool stress_a = ReceivesStressOption(*old, dpl_a, Effective(a, "inet_interfaces"));
    bool stress_b = ReceivesStressOption(*s, dpl_b, Effective(b, "inet_interfaces"));
    const MasterOverride* oa = old->FindOverride("stress");
    const MasterOverride* ob = s->FindOverride("stress");
    std::string mode_a = oa != nullptr ? (oa->value.empty() ? "off (-o stress=)" : "forced on (-o stress=" + oa->value + ")")
                                       : (stress_a ? "adaptive" : "not used");
    std::string mode_b = ob != nullptr ? (ob->value.empty() ? "off (-o stress=)" : "forced on (-o stress=" + ob->value + ")")
                                       : (stress_b ? "adaptive" : "not used");
    if (mode_a != mode_b) {
      out->push_back({Level::kRisky, key, fmt::format("{}: stress-adaptive behaviour {} → {}", key, mode_a, mode_b), where});
    }
    // Other -o overrides.
    std::map<std::string, std::string> va;
    std::map<std::string, std::string> vb;
    for (const MasterOverride& o : old->overrides) if (o.ok() && o.name != "stress") va[o.name] = o.value;
    for (const MasterOverride& o : s->overrides) if (o.ok() && o.name != "stress") vb[o.name] = o.value;
    std::set<std::string> names;
    for (const auto& [n, v] : va) names.insert(n);
    for (const auto& [n, v] : vb) names.insert(n);
    for (const std::string& n : names) {
      auto xa = va.find(n);
      auto xb = vb.find(n);
      std::string from = xa == va.end() ? "(main.cf)" : NormalizeSpace(xa->second);
      std::string to = xb == vb.end() ? "(main.cf)" : NormalizeSpace(xb->second);
      if (from != to) {
        out->push_back({IsRiskyParameter(n) ? Level::kRisky : Level::kNotable, key,
                        fmt::format("{}: -o {}: {} → {}", key, n, from, to), where});
      }
    }
  }
}

std::string UseKey(const dnsbl::DnsblUse& u) {
  return fmt::format("{}|{}|{}", dnsbl::ScopeName(u.service), u.list, u.CanonicalZone());
}

void DiffDnsbl(const LintContext& a, const LintContext& b, std::vector<ConfigChange>* out) {
  std::map<std::string, std::vector<const dnsbl::DnsblUse*>> ua;
  std::map<std::string, std::vector<const dnsbl::DnsblUse*>> ub;
  std::vector<dnsbl::DnsblUse> la = FactsOf(a).DnsblUses();
  std::vector<dnsbl::DnsblUse> lb = FactsOf(b).DnsblUses();
  for (const auto& u : la) ua[UseKey(u)].push_back(&u);
  for (const auto& u : lb) ub[UseKey(u)].push_back(&u);
  auto describe = [](const std::vector<const dnsbl::DnsblUse*>& v) {
    std::vector<std::string> parts;
    for (const auto* u : v) {
      parts.push_back(fmt::format("{}{}{}", u->filter_text.empty() ? "" : "=" + u->filter_text,
                                  u->has_weight ? fmt::format(" weight {}", u->weight) : "",
                                  u->log_only ? " (warn_if_reject)" : ""));
    }
    std::sort(parts.begin(), parts.end());
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : ", ") + (p.empty() ? std::string("no filter") : p);
    return s;
  };
  std::set<std::string> keys;
  for (const auto& [k, v] : ua) keys.insert(k);
  for (const auto& [k, v] : ub) keys.insert(k);
  for (const std::string& k : keys) {
    auto ia = ua.find(k);
    auto ib = ub.find(k);
    const dnsbl::DnsblUse* any = ib != ub.end() ? ib->second.front() : ia->second.front();
    std::string where_list = any->service != nullptr ? fmt::format("{} ({})", any->list, dnsbl::ScopeName(any->service)) : any->list;
    Location loc = any->zone_location;
    if (ia == ua.end()) {
      out->push_back({Level::kRisky, any->list, fmt::format("{}: zone {} added ({})", where_list, any->CanonicalZone(), describe(ib->second)), loc});
    } else if (ib == ub.end()) {
      out->push_back({Level::kNotable, any->list, fmt::format("{}: zone {} removed", where_list, any->CanonicalZone()), loc});
    } else if (describe(ia->second) != describe(ib->second)) {
      out->push_back({Level::kRisky, any->list,
                      fmt::format("{}: zone {}: {} → {}", where_list, any->CanonicalZone(), describe(ia->second), describe(ib->second)), loc});
    }
  }
}

std::string RuleText(const TableEntry& e) {
  std::string s = e.kind == TableLineKind::kIf ? "if " : e.kind == TableLineKind::kEndif ? "endif" : "";
  if (e.pattern) s += fmt::format("{}/{}/{}", std::string(e.pattern->negations % 2, '!'), e.pattern->body, e.pattern->flags());
  if (e.second) s += fmt::format("!{}/{}", e.second->body, e.second->flags());
  if (!e.result.empty()) s += " " + NormalizeSpace(e.result);
  return s;
}

void DiffTables(const LintContext& a, const LintContext& b, std::vector<ConfigChange>* out) {
  std::map<std::string, const InputFile*> ta;
  std::map<std::string, const InputFile*> tb;
  auto base = [](const InputFile& f) {
    const std::string& p = f.source->display();
    return p.substr(p.rfind('/') == std::string::npos ? 0 : p.rfind('/') + 1);
  };
  for (const auto& f : a.files()) if (f->kind == FileKind::kRegexpTable || f->kind == FileKind::kPcreTable) ta[base(*f)] = f.get();
  for (const auto& f : b.files()) if (f->kind == FileKind::kRegexpTable || f->kind == FileKind::kPcreTable) tb[base(*f)] = f.get();
  for (const auto& [name, fb] : tb) {
    auto it = ta.find(name);
    if (it == ta.end()) continue;  // a newly named table shows as a parameter change
    std::multiset<std::string> ra;
    std::multiset<std::string> rb;
    std::vector<std::string> order_a;
    std::vector<std::string> order_b;
    for (const TableEntry& e : a.table(*it->second).entries()) if (e.active) { ra.insert(RuleText(e)); order_a.push_back(RuleText(e)); }
    for (const TableEntry& e : b.table(*fb).entries()) if (e.active) { rb.insert(RuleText(e)); order_b.push_back(RuleText(e)); }
    size_t added = 0;
    size_t removed = 0;
    for (const auto& r : rb) if (ra.count(r) < rb.count(r)) ++added;
    for (const auto& r : ra) if (rb.count(r) < ra.count(r)) ++removed;
    Location where{fb->source.get(), 0, 0};
    std::string subject = "table:" + name;
    if (added != 0 || removed != 0) {
      out->push_back({Level::kNotable, subject, fmt::format("{}: {} rule(s) added, {} removed", name, added, removed), where});
    } else if (order_a != order_b) {
      out->push_back({Level::kRisky, subject, fmt::format("{}: rules reordered (first match wins, so results may change)", name), where});
    } else if (it->second->source->text() != fb->source->text()) {
      out->push_back({Level::kCosmetic, subject, fmt::format("{}: comments or layout only", name), where});
    }
  }
}

}  // namespace

std::string_view ChangeLevelName(ConfigChange::Level level) {
  switch (level) {
    case Level::kRisky: return "risky";
    case Level::kNotable: return "notable";
    case Level::kCosmetic: return "cosmetic";
    case Level::kSafeFix: return "safe-fix";
  }
  return "?";
}

std::vector<ConfigChange> DiffConfigs(const LintContext& before, const LintContext& after) {
  std::vector<ConfigChange> out;
  DiffParameters(before, after, &out);
  DiffServices(before, after, &out);
  DiffDnsbl(before, after, &out);
  DiffTables(before, after, &out);
  // Text that changed without any effective change: one cosmetic note per file.
  if (out.empty()) {
    for (const auto& fb : after.files()) {
      for (const auto& fa : before.files()) {
        if (fa->kind == fb->kind && fa->kind != FileKind::kRegexpTable && fa->kind != FileKind::kPcreTable &&
            fa->kind != FileKind::kDbmsConfig &&  // database client files: not compared yet
            fa->source->text() != fb->source->text()) {
          out.push_back({Level::kCosmetic, fb->source->display(),
                         fmt::format("{}: comments or layout only; the effective configuration is unchanged",
                                     fb->source->display()),
                         {fb->source.get(), 0, 0}});
        }
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ConfigChange& x, const ConfigChange& y) {
    return std::tie(x.subject, x.level) < std::tie(y.subject, y.level);
  });
  return out;
}

}  // namespace postvet
