#include "rules/main/main_facts.hpp"

#include <algorithm>

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
  std::optional<PostfixVersion> v = PostfixVersion::Parse(ctx.config().postfix_version);
  return v ? *v : PostfixVersion{3, 7};
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
    : ctx_(ctx), version_(TargetVersion(ctx)), scope_(ctx.Params()) {
  if (const InputFile* master = ctx.master_file()) services_ = ReadMasterServices(*master->cst);
  service_params_ = DeriveServiceParams(services_, defaults());
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
  auto it = joined_.find(&d);
  if (it == joined_.end()) it = joined_.emplace(&d, JoinLogicalLine(src, d.value_begin, d.value_end)).first;
  const LogicalLine& ll = it->second;
  if (ll.text.size() < d.value.size() || b > e || e > d.value.size()) return {&src, d.value_begin, d.value_end};
  ByteRange r = ll.Range(b, e);
  return {&src, r.begin, r.end};
}

std::string NearestName(std::string_view name, const std::vector<std::string_view>& candidates) {
  if (name.size() < 4) return {};  // any short word is one edit from some name
  const size_t limit = name.size() <= 5 ? 1 : name.size() <= 11 ? 2 : 3;
  size_t best = limit + 1;
  std::string_view best_name;
  // Optimal string alignment distance: insert, delete, substitute, and swap
  // of two adjacent bytes ("recipeint") all cost one edit.
  std::vector<size_t> two(name.size() + 1), prev(name.size() + 1), cur(name.size() + 1);
  for (std::string_view cand : candidates) {
    if (cand == name) continue;
    size_t diff = cand.size() > name.size() ? cand.size() - name.size() : name.size() - cand.size();
    if (diff >= best) continue;
    for (size_t j = 0; j <= name.size(); ++j) prev[j] = j;
    size_t row_min = 0;
    for (size_t i = 1; i <= cand.size(); ++i) {
      cur[0] = i;
      row_min = cur[0];
      for (size_t j = 1; j <= name.size(); ++j) {
        size_t cost = cand[i - 1] == name[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && cand[i - 1] == name[j - 2] && cand[i - 2] == name[j - 1]) {
          cur[j] = std::min(cur[j], two[j - 2] + 1);
        }
        row_min = std::min(row_min, cur[j]);
      }
      std::swap(two, prev);
      std::swap(prev, cur);
      if (row_min >= best) break;  // this candidate cannot beat the best so far
    }
    if (row_min >= best) continue;
    size_t d = prev[name.size()];
    if (d < best) {
      best = d;
      best_name = cand;
    }
  }
  return best <= limit ? std::string(best_name) : std::string();
}

}  // namespace postvet::main_rules
