// PV103 undefined-reference: a `$name` (`${name}`, `$(name)`, `${name?..}`,
// `${name:..}`) in a main.cf value naming no parameter at all: not built
// in, not service-derived, not set in main.cf or in any master.cf `-o`. The
// set of names is postconf's own ("undefined parameter", computed by
// src/model/known_names.hpp, which also counts names listed in
// smtpd_restriction_classes); this rule places each at the reference. A
// daemon expands such a reference to nothing, so a typo in `$myhostnme`
// silently empties part of a value. RAW parameters are never expanded and
// are not checked. The same goes for master.cf: a `$name` in an `-o` value
// that neither that service's `-o` options, main.cf nor Postfix define
// (postconf: "DIR/master.cf: undefined parameter: NAME", the per-service
// list of src/model/master_warnings.hpp that `postvet show` prints too) is
// placed at the reference in the `-o` value. No fix: which name was meant is
// a guess.
#include <set>

#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/facts.hpp"
#include "src/facts/main/main_facts.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/model/master_warnings.hpp"

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
    CheckMain(facts, sink);
    if (ctx.master_file() != nullptr) CheckMaster(ctx, facts, sink);
  }

 private:
  // $name in master.cf -o values, per service.
  static void CheckMaster(const LintContext& ctx, const MainFacts& facts, Sink& sink) {
    const std::vector<MasterServiceInfo>& infos = facts.services();
    std::vector<std::set<std::string, std::less<>>> undefined =
        MasterUndefinedByService(facts.known(), infos.size());
    const MasterCf& master = ctx.master_cf();
    const Cst& cst = *ctx.master_file()->cst;
    for (size_t i = 0; i < infos.size(); ++i) {
      if (undefined[i].empty()) continue;
      // The model's entry that starts where postconf's does.
      const uint32_t begin = cst.node(infos[i].node).begin;
      const MasterService* svc = nullptr;
      for (const MasterService& s : master.services) {
        if (s.begin == begin) svc = &s;
      }
      if (svc == nullptr) continue;
      std::set<std::string, std::less<>> placed;
      for (const MasterOverride& ov : svc->overrides) {
        if (!ov.ok()) continue;
        const bool exact = master.source->Slice(ov.value_begin, ov.value_end) == ov.value;
        for (const MacroRef& r : ListMacroRefs(ov.value)) {
          if (undefined[i].count(r.name) == 0) continue;
          placed.emplace(r.name);
          Location where = exact ? Location{master.source, ov.value_begin + r.begin, ov.value_begin + r.end}
                                 : Location{master.source, ov.value_begin, ov.value_end};
          ReportMaster(*svc, where, r.name, fmt::format("-o {}", ov.name),
                       main_rules::IsTestReference(ov.value, r.end), sink);
        }
      }
      for (const std::string& name : undefined[i]) {
        if (placed.count(name) != 0) continue;
        const MasterWord& field = svc->field(MasterField::kService);
        ReportMaster(*svc, {master.source, field.begin, field.end}, name, "an -o value", false, sink);
      }
    }
  }

  static void ReportMaster(const MasterService& svc, Location where, std::string_view name, std::string_view in,
                           bool test, Sink& sink) {
    std::string label = master_rules::Label(svc);
    std::string message = test ? fmt::format("\"{}\" in {} of service {} names no parameter", name, in, label)
                               : fmt::format("${} in {} of service {} names no parameter", name, in, label);
    Diagnostic& diag = sink.Report(where, std::move(message), label + "/" + std::string(name));
    diag.notes.push_back({{}, test ? "neither this service's -o options, main.cf nor Postfix define it, so this "
                                     "test is always false (postconf: \"master.cf: undefined parameter\")"
                                   : "neither this service's -o options, main.cf nor Postfix define it: the daemon "
                                     "expands it to nothing (postconf: \"master.cf: undefined parameter\")"});
  }

  static void CheckMain(MainFacts& facts, Sink& sink) {
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
