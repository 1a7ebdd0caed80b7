// Rule: the interface every lint rule implements, one rule per file under
// rules/<family>/. A rule declares what it wants to see (Subscription) and
// the engine calls it for exactly that; a rule never walks the whole
// configuration itself. Findings go to a Sink, which stamps them with the
// rule's ID and default severity.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/base/file_kind.hpp"
#include "src/engine/rule_info.hpp"

namespace postvet {

class LintContext;
struct InputFile;

/// What a rule is called for.
struct Subscription {
  /// CheckFile() for every input file of these kinds.
  std::vector<FileKind> files;
  /// CheckParameter() for each of these main.cf names that is set
  /// explicitly; "*" means every name.
  std::vector<std::string_view> parameters;
  /// CheckService() for every master.cf service.
  bool services = false;
  /// CheckConfig() once per configuration directory.
  bool config = false;
};

/// Collects one rule's findings.
class Sink {
 public:
  Sink(const RuleInfo& info, std::vector<Diagnostic>* out) : info_(info), out_(out) {}

  /// Adds a finding at `location` about `subject` (a parameter name, zone,
  /// service or pattern: what baselines key on) and returns it, so the
  /// caller can add notes and a fix.
  Diagnostic& Report(Location location, std::string message, std::string subject = {});

 private:
  const RuleInfo& info_;
  std::vector<Diagnostic>* out_;
};

class Rule {
 public:
  virtual ~Rule() = default;

  /// ID, slug, default severity, fix kind, summary (doc filled by the registry).
  virtual RuleInfo info() const = 0;
  virtual Subscription subscription() const = 0;
  /// IDs of less precise rules this one subsumes: when this rule and one of
  /// them report the same place (same file, overlapping ranges), the engine
  /// keeps only this rule's finding, so one defect is reported once.
  virtual std::vector<std::string_view> subsumes() const { return {}; }

  virtual void CheckFile(const LintContext& /*ctx*/, const InputFile& /*file*/, Sink& /*sink*/) const {}
  virtual void CheckParameter(const LintContext& /*ctx*/, std::string_view /*name*/, Sink& /*sink*/) const {}
  /// `service` indexes the master.cf model's services.
  virtual void CheckService(const LintContext& /*ctx*/, size_t /*service*/, Sink& /*sink*/) const {}
  virtual void CheckConfig(const LintContext& /*ctx*/, Sink& /*sink*/) const {}
};

/// A rule with its metadata, as the rule list holds it (rules/registry.hpp
/// builds the list; the engine runs whatever list it is given).
struct RegisteredRule {
  RuleInfo info;  // with `doc` filled from rules/<family>/<ID>.md
  std::unique_ptr<Rule> rule;
};

/// The rule of `rules` with this ID (case-insensitive) or slug, or null.
const RegisteredRule* FindRule(const std::vector<RegisteredRule>& rules, std::string_view id_or_slug);

}  // namespace postvet
