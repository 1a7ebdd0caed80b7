// PV103 undefined-reference: a `$name` (`${name}`, `$(name)`, `${name?..}`,
// `${name:..}`) in a main.cf value naming no parameter at all: not built
// in, not service-derived, not set in main.cf or in any master.cf `-o`. The
// set of names is postconf's own ("undefined parameter", computed by
// src/model/known_names.hpp, which also counts names listed in
// smtpd_restriction_classes); this rule places each at the reference. A
// daemon expands such a reference to nothing, so a typo in `$myhostnme`
// silently empties part of a value. RAW parameters are never expanded and
// are not checked. No fix: which name was meant is a guess.
#include <set>

#include <fmt/format.h>

#include "src/facts/facts.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/engine/rule.hpp"

namespace postvet {
namespace {

using main_rules::MainFacts;

bool IsClassSeparator(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// What an undefined restriction class does to smtpd.
std::string ClassNote(std::string_view name) {
  return fmt::format("smtpd stops at start-up with \"restriction class `{}' needs a definition\" (postconf: "
                     "\"undefined parameter\")",
                     name);
}

class UndefinedReference : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV103",
            .slug = "undefined-reference",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a $name reference names no parameter (postconf's \"undefined parameter\")",
            .doc = {}};
  }
  Subscription subscription() const override { return {{}, {}, false, true}; }

  void CheckConfig(const LintContext& ctx, Sink& sink) const override {
    if (ctx.main_file() == nullptr) return;
    MainFacts& facts = FactsOf(ctx).Main();
    std::set<std::string, std::less<>> undefined;
    for (const PostconfWarning& w : facts.known().warnings) {
      if (w.kind == PostconfWarning::Kind::kUndefined) undefined.insert(w.text);
    }
    if (undefined.empty()) return;
    std::set<std::string, std::less<>> placed;
    const MainCf& m = facts.main_cf();
    const Defaults& defaults = facts.defaults();
    for (uint32_t i : m.EffectiveInOrder()) {
      const MainCfDefinition& d = m.definitions()[i];
      if (facts.IsHidden(d.name) || defaults.IsRaw(d.name)) continue;  // postconf does not scan these
      for (const MacroRef& r : ListMacroRefs(d.value)) {
        if (undefined.count(r.name) == 0) continue;
        placed.emplace(r.name);
        bool test = main_rules::IsTestReference(d.value, r.end);
        std::string message = test ? fmt::format("\"{}\" in {} names no parameter", r.name, d.name)
                                   : fmt::format("${} in {} names no parameter", r.name, d.name);
        Diagnostic& diag =
            sink.Report(facts.ValueLocation(d, r.begin, r.end), std::move(message), std::string(r.name));
        diag.notes.push_back({{}, test ? "it is not built in, not service-derived and not set in main.cf or "
                                         "master.cf, so this test is always false (postconf: \"undefined parameter\")"
                                       : "it is not built in, not service-derived and not set in main.cf or "
                                         "master.cf: Postfix expands it to nothing (postconf: \"undefined "
                                         "parameter\")"});
      }
    }
    // Restriction class names that no parameter defines.
    if (const MainCfDefinition* d = m.Find("smtpd_restriction_classes")) {
      std::string_view v = d->value;
      size_t p = 0;
      while (p < v.size()) {
        while (p < v.size() && IsClassSeparator(v[p])) ++p;
        size_t b = p;
        while (p < v.size() && !IsClassSeparator(v[p])) ++p;
        std::string_view word = v.substr(b, p - b);
        if (word.empty() || undefined.count(word) == 0 || word.find('$') != std::string_view::npos) continue;
        placed.emplace(word);
        Diagnostic& diag = sink.Report(facts.ValueLocation(*d, b, p),
                                       fmt::format("restriction class \"{}\" is not defined", word),
                                       std::string(word));
        diag.notes.push_back({{}, ClassNote(word)});
      }
      // Names that come out of an expanded class list.
      for (const std::string& name : undefined) {
        if (placed.count(name) != 0) continue;
        placed.insert(name);
        Diagnostic& diag = sink.Report(
            {&facts.source(), d->value_begin, d->value_end},
            fmt::format("restriction class \"{}\" (from this list after expansion) is not defined", name), name);
        diag.notes.push_back({{}, ClassNote(name)});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> NewUndefinedReferenceRule() { return std::make_unique<UndefinedReference>(); }

}  // namespace postvet
