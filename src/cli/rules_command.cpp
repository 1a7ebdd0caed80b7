// `postvet rules`: every registered rule, one a line (id, slug, severity,
// fix, summary); `--format json` gives the same as
//   {"version": 1, "rules": [{"id", "slug", "severity", "fix", "summary"}]}
// with fix one of "none", "safe", "unsafe", "sometimes".
// `postvet explain ID|SLUG`: a rule's doc page, offline.
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "rules/registry.hpp"
#include "src/cli/cli.hpp"
#include "src/base/json_writer.hpp"
#include "rules/rule_selector.hpp"

namespace postvet {
namespace {

std::string RulesJson() {
  std::string out;
  report::JsonWriter w(&out);
  w.BeginObject();
  w.UintField("version", 1);
  w.Key("rules");
  w.BeginArray();
  for (const RegisteredRule& r : Registry()) {
    w.BeginObject();
    w.StringField("id", r.info.id);
    w.StringField("slug", r.info.slug);
    w.StringField("severity", SeverityName(r.info.severity));
    w.StringField("fix", r.info.fix == FixKind::kNone ? "none" : FixKindName(r.info.fix));
    w.StringField("summary", r.info.summary);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

}  // namespace

void AddRulesCommand(CLI::App& app, int* exit_code) {
  auto format = std::make_shared<std::string>("text");
  CLI::App* cmd = app.add_subcommand("rules", "List every rule: id, slug, severity, fix safety, summary");
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([exit_code, format] {
    if (*format == "json") {
      std::string out = RulesJson();
      std::fwrite(out.data(), 1, out.size(), stdout);
      *exit_code = kExitOk;
      return;
    }
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
      std::string closest = ClosestRule(*name);
      if (closest.empty()) {
        fmt::print(stderr, "postvet: no rule \"{}\"; `postvet rules` lists them\n", *name);
      } else {
        fmt::print(stderr, "postvet: no rule \"{}\" (did you mean {}?)\n", *name, closest);
      }
      *exit_code = kExitError;
      return;
    }
    std::fwrite(r->info.doc.data(), 1, r->info.doc.size(), stdout);
    *exit_code = kExitOk;
  });
}

}  // namespace postvet
