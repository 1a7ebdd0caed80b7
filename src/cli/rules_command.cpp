// `postvet rules`: the catalogue, one rule a line (id, slug, severity, fix).
// `postvet explain ID|SLUG`: a rule's doc page, offline.
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/cli/cli.hpp"

namespace postvet {

void AddRulesCommand(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("rules", "List every rule: id, slug, severity, fix safety, summary");
  cmd->callback([exit_code] {
    fmt::print("{:<6} {:<28} {:<8} {:<7} {}\n", "ID", "SLUG", "SEVERITY", "FIX", "FIRES WHEN");
    for (const RegisteredRule& r : Registry()) {
      fmt::print("{:<6} {:<28} {:<8} {:<7} {}\n", r.info.id, r.info.slug, SeverityName(r.info.severity),
                 FixKindName(r.info.fix), r.info.summary);
    }
    *exit_code = kExitOk;
  });
}

void AddExplainCommand(CLI::App& app, int* exit_code) {
  auto name = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("explain", "Show a rule's documentation (by ID or slug)");
  cmd->add_option("rule", *name, "Rule ID (PV203) or slug (obsolete-dnsbl)")->required();
  cmd->callback([name, exit_code] {
    const RegisteredRule* r = FindRule(*name);
    if (r == nullptr) {
      fmt::print(stderr, "postvet: no rule \"{}\"; `postvet rules` lists them\n", *name);
      *exit_code = kExitError;
      return;
    }
    std::fwrite(r->info.doc.data(), 1, r->info.doc.size(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace postvet
