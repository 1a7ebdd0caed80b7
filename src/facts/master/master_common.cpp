#include "src/facts/master/master_common.hpp"

#include <cstdlib>

#include "grammar/cst.hpp"
#include "grammar/cst_builder.hpp"
#include "src/facts/facts.hpp"
#include "src/model/defaults.hpp"
#include "src/model/main_cf.hpp"

namespace postvet::master_rules {

std::string_view CommandName(const MasterService& service) {
  std::string_view command = service.field(MasterField::kCommand).text;
  size_t slash = command.rfind('/');
  return slash == std::string_view::npos ? command : command.substr(slash + 1);
}

bool IsArgumentLine(const MasterService& service) {
  std::string_view name = service.name();
  return !name.empty() && name[0] == '-';
}

std::vector<std::pair<std::string, std::string>> OverridePairs(const MasterService& service) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const MasterOverride& ov : service.overrides) {
    if (ov.ok()) out.emplace_back(ov.name, ov.value);
  }
  return out;
}

std::string Label(const MasterService& service) { return service.NameSpace(); }

std::optional<std::string> ExpandMain(const LintContext& ctx, std::string_view name) {
  return FactsOf(ctx).ValueOrDefault(nullptr, name);
}

std::optional<std::string> ExpandInService(const LintContext& ctx, const MasterService& service,
                                           std::string_view name) {
  return FactsOf(ctx).ValueOrDefault(&service, name);
}

long DefaultProcessLimit(const LintContext& ctx) { return FactsOf(ctx).DefaultProcessLimit(); }

std::string InetInterfaces(const LintContext& ctx) {
  std::optional<std::string> v = ExpandMain(ctx, "inet_interfaces");
  return v ? *v : std::string("all");
}

std::optional<long> ProcessLimit(const LintContext& ctx, const MasterService& service) {
  return EffectiveProcessLimit(service, DefaultProcessLimit(ctx));
}

int RequiredProcessLimit(std::string_view command) {
  // Postfix 3.7: the daemons built with CA_MAIL_SERVER_SOLITARY and
  // CA_MAIL_SERVER_UNLIMITED (format spec 9).
  static constexpr std::string_view kSolitary[] = {"postscreen", "qmgr",   "oqmgr",  "pickup",  "tlsmgr",
                                                   "anvil",      "scache", "verify", "postlogd"};
  static constexpr std::string_view kUnlimited[] = {"dnsblog", "tlsproxy", "bounce", "cleanup", "flush"};
  for (std::string_view c : kSolitary) {
    if (command == c) return 1;
  }
  for (std::string_view c : kUnlimited) {
    if (command == c) return 0;
  }
  return -1;
}

bool IsYes(std::string_view value) {
  return value.size() == 3 && (value[0] == 'y' || value[0] == 'Y') && (value[1] == 'e' || value[1] == 'E') &&
         (value[2] == 's' || value[2] == 'S');
}

std::vector<std::string_view> SplitList(std::string_view value) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < value.size()) {
    size_t b = value.find_first_not_of(", \t\r\n", pos);
    if (b == std::string_view::npos) break;
    size_t e = value.find_first_of(", \t\r\n", b);
    if (e == std::string_view::npos) e = value.size();
    out.push_back(value.substr(b, e - b));
    pos = e;
  }
  return out;
}

}  // namespace postvet::master_rules
