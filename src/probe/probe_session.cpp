#include "src/probe/probe_session.hpp"

#include <fmt/format.h>

#include "src/probe/cares_resolver.hpp"
#include "src/probe/resolver_check.hpp"
#include "src/probe/which_resolver.hpp"

namespace postvet::probe {

Result<ProbeOptions> MakeProbeOptions(const ProbeSettings& settings) {
  ProbeOptions o;
  for (const std::string& list : settings.resolvers) {
    // Each value may hold several servers, comma-separated.
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? list.size() + 1 : comma + 1;
      if (item.empty()) continue;
      ServerAddress server;
      if (!ParseServerAddress(item, &server)) {
        return Status::Error(fmt::format("--resolver \"{}\": expected IP, IP:PORT or [IPv6]:PORT", item));
      }
      o.resolver.servers.push_back(server);
    }
  }
  if (settings.timeout_ms <= 0) return Status::Error("--timeout must be a positive number of milliseconds");
  if (settings.deadline_ms <= 0) return Status::Error("--deadline must be a positive number of milliseconds");
  if (settings.tries <= 0 || settings.tries > 16) return Status::Error("--tries must be between 1 and 16");
  if (settings.slow_ms < 0) return Status::Error("--slow must not be negative");
  if (settings.samples < 0 || settings.samples > 20) return Status::Error("--samples must be between 0 and 20");
  if (settings.concurrency <= 0) return Status::Error("--concurrency must be positive");
  o.resolver.timeout_ms = settings.timeout_ms;
  o.resolver.tries = settings.tries;
  o.resolver.max_in_flight = static_cast<std::size_t>(settings.concurrency);
  o.deadline_ms = settings.deadline_ms;
  o.slow_ms = settings.slow_ms;
  o.samples = settings.samples;
  return o;
}

Result<ProbeResults> ProbeConfig(const LintContext& ctx, const ProbeOptions& options) {
  std::vector<ZoneTarget> targets = ZonesToProbe(ctx);
  if (targets.empty()) {
    ProbeResults empty;
    empty.options = options;
    return empty;
  }
  // The resolver Postfix would use, unless --resolver says otherwise.
  ResolverChoice choice = ChooseResolver(options.resolver.servers, SmtpdChroot(ctx));
  ProbeOptions used = options;
  used.resolver.servers = choice.servers;
  const std::string resolver = fmt::format("{} ({})", ServersText(choice.servers),
                                           choice.source == "--resolver" ? "--resolver" : "from " + choice.source);
  if (std::optional<std::string> refusal = PublicResolverRefusal(choice.servers, targets)) {
    return Status::Error(*refusal);
  }
  Result<std::unique_ptr<CaresResolver>> cares = CaresResolver::Create(used.resolver);
  if (!cares.ok()) return cares.status();
  ProbeResults results = RunProbe(targets, **cares, used);
  results.resolver = resolver;
  results.resolver_note = choice.note;
  // A resolver that fails the controls judges no list: one message, no verdicts, no fixes.
  if (std::optional<std::string> failure = ResolverFailure(results, resolver)) {
    return Status::Error(choice.note.empty() ? *failure : *failure + " (" + choice.note + ")");
  }
  return results;
}

}  // namespace postvet::probe
