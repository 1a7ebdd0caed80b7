#include "rules/registry.hpp"

#include <algorithm>
#include <cctype>

#include "rules/security_rules.hpp"
#include "src/base/embedded.hpp"

namespace postvet {

// Factories, one per rule file. Keep this list sorted by rule ID.
std::unique_ptr<Rule> NewSyntaxErrorRule();          // PV001 rules/input/syntax_error.cpp
std::unique_ptr<Rule> NewUnreadableInputRule();      // PV002 rules/input/unreadable_input.cpp
std::unique_ptr<Rule> NewLeadingWhitespaceRule();    // PV003 rules/input/leading_whitespace.cpp
std::unique_ptr<Rule> NewUnusedSuppressionRule();    // PV004 rules/input/unused_suppression_rule.cpp
std::unique_ptr<Rule> NewUnknownParameterRule();      // PV101 rules/main/unknown_parameter.cpp
std::unique_ptr<Rule> NewDuplicateParameterRule();    // PV102 rules/main/duplicate_parameter.cpp
std::unique_ptr<Rule> NewUndefinedReferenceRule();    // PV103 rules/main/undefined_reference.cpp
std::unique_ptr<Rule> NewStressOverrideRule();        // PV104 rules/main/stress_override.cpp
std::unique_ptr<Rule> NewObsoleteParameterRule();     // PV105 rules/main/obsolete_parameter.cpp
std::unique_ptr<Rule> NewInvalidValueRule();          // PV106 rules/main/invalid_value.cpp
std::unique_ptr<Rule> NewExpansionLoopRule();         // PV107 rules/main/expansion_loop.cpp
std::unique_ptr<Rule> NewListTooLargeRule();          // PV108 rules/main/list_too_large.cpp
std::unique_ptr<Rule> NewUnknownRestrictionRule();    // PV109 rules/main/unknown_restriction.cpp
std::unique_ptr<Rule> NewRestrictionArgumentRule();   // PV110 rules/main/restriction_argument.cpp
std::unique_ptr<Rule> NewRestrictionStageRule();      // PV111 rules/main/restriction_stage.cpp
std::unique_ptr<Rule> NewDuplicateDnsblRule();          // PV201 rules/dnsbl/duplicate_dnsbl.cpp
std::unique_ptr<Rule> NewRedundantDnsblRule();          // PV202 rules/dnsbl/redundant_dnsbl.cpp
std::unique_ptr<Rule> NewObsoleteDnsblRule();           // PV203 rules/dnsbl/obsolete_dnsbl.cpp
std::unique_ptr<Rule> NewDangerousDnsblRule();          // PV204 rules/dnsbl/dangerous_dnsbl.cpp
std::unique_ptr<Rule> NewUnfilteredDnsblRule();         // PV205 rules/dnsbl/unfiltered_dnsbl.cpp
std::unique_ptr<Rule> NewDnsblBeforePermitRule();       // PV206 rules/dnsbl/dnsbl_before_permit.cpp
std::unique_ptr<Rule> NewDnsblLatencyBudgetRule();      // PV207 rules/dnsbl/dnsbl_latency_budget.cpp
std::unique_ptr<Rule> NewDnsblNeedsRegistrationRule();  // PV208 rules/dnsbl/dnsbl_needs_registration.cpp
std::unique_ptr<Rule> NewMalformedDnsblEntryRule();     // PV209 rules/dnsbl/malformed_dnsbl_entry.cpp
std::unique_ptr<Rule> NewUngroupedHeaderChecksRule();  // PV301 rules/table/ungrouped_header_checks.cpp
std::unique_ptr<Rule> NewInvalidRegexRule();           // PV302 rules/table/invalid_regex.cpp
std::unique_ptr<Rule> NewUnknownActionRule();          // PV303 rules/table/unknown_action.cpp
std::unique_ptr<Rule> NewUnbalancedIfRule();           // PV304 rules/table/unbalanced_if.cpp
std::unique_ptr<Rule> NewDuplicatePatternRule();       // PV305 rules/table/duplicate_pattern.cpp
std::unique_ptr<Rule> NewWrongTableTypeRule();         // PV306 rules/table/wrong_table_type.cpp
std::unique_ptr<Rule> NewUnanchoredHeaderPatternRule();  // PV307 rules/table/unanchored_header_pattern.cpp
std::unique_ptr<Rule> NewActionMissingArgumentRule();  // PV308 rules/table/action_missing_argument.cpp
std::unique_ptr<Rule> NewCatastrophicPatternRule();    // PV309 rules/table/catastrophic_pattern.cpp
std::unique_ptr<Rule> NewForcedStressRule();            // PV401 rules/master/forced_stress.cpp
std::unique_ptr<Rule> NewStressDisabledRule();          // PV402 rules/master/stress_disabled.cpp
std::unique_ptr<Rule> NewUnindentedOptionRule();        // PV403 rules/master/unindented_option.cpp
std::unique_ptr<Rule> NewSpacedOptionRule();            // PV404 rules/master/spaced_option.cpp
std::unique_ptr<Rule> NewSplitOptionValueRule();        // PV405 rules/master/split_option_value.cpp
std::unique_ptr<Rule> NewUnknownOptionParameterRule();  // PV406 rules/master/unknown_option_parameter.cpp
std::unique_ptr<Rule> NewDuplicateServiceRule();        // PV407 rules/master/duplicate_service.cpp
std::unique_ptr<Rule> NewBadServiceFieldRule();         // PV408 rules/master/bad_service_field.cpp
std::unique_ptr<Rule> NewPostscreenWiringRule();        // PV409 rules/master/postscreen_wiring.cpp
std::unique_ptr<Rule> NewUndefinedTransportRule();      // PV410 rules/master/undefined_transport.cpp
std::unique_ptr<Rule> NewUnlimitedPublicServiceRule();  // PV411 rules/master/unlimited_public_service.cpp
std::unique_ptr<Rule> NewUndersizedProcessLimitRule();  // PV501 rules/tune/undersized_process_limit.cpp
std::unique_ptr<Rule> NewProcessMemoryBudgetRule();     // PV502 rules/tune/process_memory_budget.cpp
std::unique_ptr<Rule> NewManyProcessesRule();           // PV503 rules/tune/many_processes.cpp
std::unique_ptr<Rule> NewIndexedTableMemoryRule();      // PV504 rules/tune/indexed_table_memory.cpp
std::unique_ptr<Rule> NewPostscreenRecommendedRule();   // PV505 rules/tune/postscreen_recommended.cpp
std::unique_ptr<Rule> NewOpenRelayRule();            // PV601 rules/security/open_relay.cpp
std::unique_ptr<Rule> NewBroadMynetworksRule();      // PV602 rules/security/broad_mynetworks.cpp
std::unique_ptr<Rule> NewSaslRelayOrderRule();       // PV604 rules/security/sasl_relay_order.cpp
std::unique_ptr<Rule> NewDnsblDeadRule();             // PV901 rules/probe/dnsbl_dead.cpp
std::unique_ptr<Rule> NewDnsblListsEverythingRule();  // PV902 rules/probe/dnsbl_lists_everything.cpp
std::unique_ptr<Rule> NewDnsblRefusedRule();          // PV903 rules/probe/dnsbl_refused.cpp
std::unique_ptr<Rule> NewDnsblSlowRule();             // PV904 rules/probe/dnsbl_slow.cpp
std::unique_ptr<Rule> NewDnsblTimeoutRule();          // PV905 rules/probe/dnsbl_timeout.cpp

namespace {

std::vector<RegisteredRule> Build() {
  std::unique_ptr<Rule> (*const factories[])() = {
      NewSyntaxErrorRule,
      NewUnreadableInputRule,
      NewLeadingWhitespaceRule,
      NewUnusedSuppressionRule,
      NewUnknownParameterRule,
      NewDuplicateParameterRule,
      NewUndefinedReferenceRule,
      NewStressOverrideRule,
      NewObsoleteParameterRule,
      NewInvalidValueRule,
      NewExpansionLoopRule,
      NewListTooLargeRule,
      NewUnknownRestrictionRule,
      NewRestrictionArgumentRule,
      NewRestrictionStageRule,
      NewDuplicateDnsblRule,
      NewRedundantDnsblRule,
      NewObsoleteDnsblRule,
      NewDangerousDnsblRule,
      NewUnfilteredDnsblRule,
      NewDnsblBeforePermitRule,
      NewDnsblLatencyBudgetRule,
      NewDnsblNeedsRegistrationRule,
      NewMalformedDnsblEntryRule,
      NewUngroupedHeaderChecksRule,
      NewInvalidRegexRule,
      NewUnknownActionRule,
      NewUnbalancedIfRule,
      NewDuplicatePatternRule,
      NewWrongTableTypeRule,
      NewUnanchoredHeaderPatternRule,
      NewActionMissingArgumentRule,
      NewCatastrophicPatternRule,
      NewForcedStressRule,
      NewStressDisabledRule,
      NewUnindentedOptionRule,
      NewSpacedOptionRule,
      NewSplitOptionValueRule,
      NewUnknownOptionParameterRule,
      NewDuplicateServiceRule,
      NewBadServiceFieldRule,
      NewPostscreenWiringRule,
      NewUndefinedTransportRule,
      NewUnlimitedPublicServiceRule,
      NewUndersizedProcessLimitRule,
      NewProcessMemoryBudgetRule,
      NewManyProcessesRule,
      NewIndexedTableMemoryRule,
      NewPostscreenRecommendedRule,
      NewOpenRelayRule,
      NewBroadMynetworksRule,
      NewSaslRelayOrderRule,
      NewDnsblDeadRule,
      NewDnsblListsEverythingRule,
      NewDnsblRefusedRule,
      NewDnsblSlowRule,
      NewDnsblTimeoutRule,
  };
  std::vector<RegisteredRule> rules;
  for (auto* factory : factories) {
    RegisteredRule r{{}, factory()};
    r.info = r.rule->info();
    // The doc page is rules/<family>/<ID>.md, wherever the family folder is.
    for (const EmbeddedFile* f = EmbeddedFiles(); f->path != nullptr; ++f) {
      std::string_view path = f->path;
      std::string suffix = "/" + std::string(r.info.id) + ".md";
      if (path.size() > suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
        r.info.doc = f->data;
        // "rules/<family>/<ID>.md": the family is the folder's name.
        const std::string_view folder = path.substr(0, path.size() - suffix.size());
        r.info.family = folder.substr(folder.rfind('/') + 1);
      }
    }
    r.info.security_severity = SecuritySeverity(r.info.id);
    rules.push_back(std::move(r));
  }
  return rules;
}

}  // namespace

const std::vector<RegisteredRule>& Registry() {
  static const std::vector<RegisteredRule> rules = Build();
  return rules;
}

const RegisteredRule* FindRule(std::string_view id_or_slug) { return FindRule(Registry(), id_or_slug); }

std::vector<RuleInfo> AllRuleInfos() {
  std::vector<RuleInfo> out;
  for (const RegisteredRule& r : Registry()) out.push_back(r.info);
  return out;
}

std::vector<Diagnostic> Lint(const LintContext& ctx, const RuleFilter& filter) {
  return Lint(ctx, filter, Registry());
}

void DropSubsumed(std::vector<Diagnostic>* diagnostics) { DropSubsumed(diagnostics, Registry()); }

}  // namespace postvet
