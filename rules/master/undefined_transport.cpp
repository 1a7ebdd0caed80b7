// PV410 undefined-transport: a main.cf setting or a master.cf `-o` option
// names a delivery transport that master.cf does not define. The queue
// manager delivers through the `transport` part of `transport:nexthop` by
// connecting to private/<transport> (qmgr_transport.c, mail_connect with
// MAIL_CLASS_PRIVATE), so the transport must be a private `unix` service;
// without one the mail waits in the queue, deferred with "mail transport
// unavailable". Checked: content_filter, default_transport,
// relay_transport, local_transport, virtual_transport, mailbox_transport,
// fallback_transport and the address_verify_*_transport overrides, where
// main.cf or a service's `-o` sets them explicitly, after $-expansion in
// their scope. Built-in defaults are not checked (a partial master.cf in a
// test setup would light up), nor are transport_maps and other tables.
// No fix: the service to add is the author's to write.
#include <fmt/format.h>

#include <map>

#include "src/facts/master/master_common.hpp"
#include "src/engine/rule.hpp"
#include "src/model/main_cf.hpp"

namespace postvet {
namespace {

using master_rules::Label;

constexpr std::string_view kTransportParams[] = {
    "content_filter",
    "default_transport",
    "relay_transport",
    "local_transport",
    "virtual_transport",
    "mailbox_transport",
    "fallback_transport",
    "address_verify_default_transport",
    "address_verify_relay_transport",
    "address_verify_local_transport",
    "address_verify_virtual_transport",
};

// The transport part of `transport:nexthop`, trimmed.
std::string TransportOf(std::string_view value) {
  size_t b = value.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  value.remove_prefix(b);
  size_t e = value.find_first_of(": \t\r\n");
  return std::string(value.substr(0, e));
}

// master.cf services by name.
using ByName = std::multimap<std::string, const MasterService*, std::less<>>;

class UndefinedTransport : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV410",
            .slug = "undefined-transport",
            .severity = Severity::kError,
            .fix = FixKind::kNone,
            .summary = "content_filter, default/relay/local/virtual_transport, or an -o filter names a transport with no "
                       "master.cf service",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.master_file() == nullptr) return;
    const MasterCf& master = ctx.master_cf();
    const MainCf& main_cf = ctx.main_cf();
    const InputFile* main_file = ctx.main_file();
    ByName by_name;
    for (const MasterService& s : master.services) {
      if (!master_rules::IsArgumentLine(s)) by_name.emplace(std::string(s.name()), &s);
    }

    if (main_file != nullptr) {
      for (std::string_view param : kTransportParams) {
        const MainCfDefinition* d = main_cf.Find(param);
        if (d == nullptr) continue;
        std::optional<std::string> value = master_rules::ExpandMain(ctx, param);
        if (!value) continue;
        Check(master, by_name, param, *value, {main_file->source.get(), d->value_begin, d->value_end}, "main.cf", sink);
      }
    }
    for (const MasterService& svc : master.services) {
      if (master_rules::IsArgumentLine(svc)) continue;
      for (std::string_view param : kTransportParams) {
        const MasterOverride* ov = svc.FindOverride(param);
        if (ov == nullptr) continue;
        std::optional<std::string> value = master_rules::ExpandInService(ctx, svc, param);
        if (!value) continue;
        Check(master, by_name, param, *value, {master.source, ov->begin, ov->end}, "service " + Label(svc), sink);
      }
    }
  }

 private:
  static void Check(const MasterCf& master, const ByName& by_name, std::string_view param, const std::string& value, Location where,
                    const std::string& setter, Sink& sink) {
    std::string transport = TransportOf(value);
    if (transport.empty()) return;
    const MasterService* wrong = nullptr;
    auto [first, last] = by_name.equal_range(transport);
    for (auto it = first; it != last; ++it) {
      const MasterService& s = *it->second;
      if (s.type == ServiceType::kUnix && s.field(MasterField::kPrivate).text != "n") return;
      wrong = &s;
    }
    std::string problem =
        wrong == nullptr
            ? fmt::format("master.cf has no `{} unix` service", transport)
            : fmt::format("{} is not a private unix service ({})", Label(*wrong),
                          wrong->type != ServiceType::kUnix ? "wrong type" : "private field n");
    Diagnostic& d = sink.Report(where, fmt::format("{} ({}) names transport `{}`, but {}", param, setter,
                                                   transport, problem),
                                std::string(param) + "=" + transport);
    if (wrong != nullptr) {
      const MasterWord& n = wrong->field(MasterField::kService);
      d.notes.push_back({{master.source, n.begin, n.end}, fmt::format("{} is defined here", Label(*wrong))});
    }
    d.notes.push_back({Location{}, fmt::format("the queue manager connects to private/{} and defers the mail with "
                                               "\"mail transport unavailable\"",
                                               transport)});
  }
};

}  // namespace

std::unique_ptr<Rule> NewUndefinedTransportRule() { return std::make_unique<UndefinedTransport>(); }

}  // namespace postvet
