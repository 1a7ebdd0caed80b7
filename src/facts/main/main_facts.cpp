#include "src/facts/main/main_facts.hpp"

#include <algorithm>

#include "src/facts/computation_count.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::main_rules {
namespace {

// Postfix splits smtpd_restriction_classes on CHARS_COMMA_SP.
bool IsListSeparator(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

void AddWords(std::string_view text, std::set<std::string, std::less<>>* out) {
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsListSeparator(text[i])) ++i;
    size_t b = i;
    while (i < text.size() && !IsListSeparator(text[i])) ++i;
    if (i > b) out->emplace(text.substr(b, i - b));
  }
}

}  // namespace

PostfixVersion TargetVersion(const LintContext& ctx) {
  return ctx.target().version();
}

const ParamTable* Params() {
  const Result<ParamTable>& table = BuiltinParamTable();
  return table.ok() ? &table.value() : nullptr;
}

const ObsoleteInfo* ObsoleteParameter(const ParamTable& table, std::string_view name, PostfixVersion v) {
  const ObsoleteInfo* o = table.FindObsoleteParameter(name);
  return o != nullptr && o->ObsoleteIn(v) ? o : nullptr;
}

bool IsTestReference(std::string_view value, uint32_t end) {
  return end < value.size() && (value[end] == '?' || value[end] == ':');
}

MainFacts::MainFacts(const LintContext& ctx)
    : ctx_(ctx), version_(TargetVersion(ctx)), service_params_(ctx.service_params()), scope_(ctx.Params()) {
  facts::CountComputation(facts::Computation::kMainFacts);
  if (const InputFile* master = ctx.master_file()) services_ = ReadMasterServices(*master->cst);
  known_ = ComputeKnownNames(main_cf(), defaults(), services_, service_params_, scope_);
  if (known_.fatal) {
    // postconf would stop before it has validated every user-defined name;
    // count every name that is referenced anywhere instead.
    for (const MainCfDefinition& d : main_cf().definitions()) {
      for (const MacroRef& r : ListMacroRefs(d.value)) fallback_refs_.emplace(r.name);
      if (d.name == "smtpd_restriction_classes") AddWords(d.value, &fallback_refs_);
    }
    for (const MasterServiceInfo& s : services_) {
      for (const auto& [name, value] : s.overrides) {
        for (const MacroRef& r : ListMacroRefs(value)) fallback_refs_.emplace(r.name);
        if (name == "smtpd_restriction_classes") AddWords(value, &fallback_refs_);
      }
    }
  }
}

bool MainFacts::PostconfKnows(std::string_view name) const {
  return defaults().IsBuiltin(name) || UserOrService(name);
}

bool MainFacts::UserOrService(std::string_view name) const {
  if (service_params_.count(name) != 0 || known_.user.count(name) != 0) return true;
  return known_.fatal.has_value() && fallback_refs_.count(name) != 0;
}

bool MainFacts::IsHidden(std::string_view name) const {
  return std::find(known_.hidden.begin(), known_.hidden.end(), name) != known_.hidden.end();
}

Location MainFacts::ValueLocation(const MainCfDefinition& d, size_t b, size_t e) const {
  const Source& src = source();
  // The stored value is the joined logical-line text of the value node, cut
  // at NUL and trimmed on the right: its bytes are a prefix of the join.
  if (joined_for_ != &d) {
    joined_ = JoinLogicalLine(src, d.value_begin, d.value_end);
    joined_for_ = &d;
  }
  const LogicalLine& ll = joined_;
  if (ll.text.size() < d.value.size() || b > e || e > d.value.size()) return {&src, d.value_begin, d.value_end};
  ByteRange r = ll.Range(b, e);
  return {&src, r.begin, r.end};
}

}  // namespace postvet::main_rules
