#include "src/facts/master/master_common.hpp"

#include <cstdlib>

#include "grammar/cst_builder.hpp"
#include "grammar/cst.hpp"
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

namespace {

// An empty main.cf: the built-in defaults alone.
const MainCf& EmptyMainCf() {
  static const Source kSource("", "", "");
  static const Cst kCst = ParseMainCf(kSource);
  static const MainCf kMain = MainCf::Build(kCst);
  return kMain;
}

std::optional<std::string> ExpandWith(ParamContext& pc, std::string_view name) {
  Result<std::string> r = pc.ExpandParam(name);
  if (r.ok()) return std::move(*r);
  // main.cf's value does not expand (PV107 and friends report that): fall
  // back to the built-in default, which is what the author can rely on.
  ParamContext plain(EmptyMainCf(), Defaults::Postfix37());
  Result<std::string> d = plain.ExpandParam(name);
  if (d.ok()) return std::move(*d);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ExpandMain(const LintContext& ctx, std::string_view name) {
  ParamContext pc(ctx.main_cf(), Defaults::Postfix37());
  return ExpandWith(pc, name);
}

std::optional<std::string> ExpandInService(const LintContext& ctx, const MasterService& service,
                                           std::string_view name) {
  ParamContext pc(ctx.main_cf(), Defaults::Postfix37());
  pc.SetService(std::string(service.name()), std::string(CommandName(service)), OverridePairs(service));
  return ExpandWith(pc, name);
}

long DefaultProcessLimit(const LintContext& ctx) {
  std::optional<std::string> v = ExpandMain(ctx, "default_process_limit");
  if (!v || v->empty()) return 100;
  char* end = nullptr;
  long n = std::strtol(v->c_str(), &end, 10);
  // Postfix refuses anything else (bad numerical configuration / < 1);
  // PV106 says so. Assume the default meanwhile.
  if (end == v->c_str() || *end != '\0' || n < 1) return 100;
  return n;
}

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
