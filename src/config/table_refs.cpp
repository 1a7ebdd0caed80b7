#include "src/config/table_refs.hpp"

#include <optional>
#include <utility>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/config/restriction_list.hpp"
#include "src/model/dbms_config.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"

namespace postvet {
namespace {

// `text` expanded as the daemons would (unchanged when it cannot be).
std::string Expanded(const LintContext& ctx, std::string_view text) {
  Result<std::string> out = ctx.Params().Expand(text);
  return out.ok() ? out.value() : std::string(text);
}

void FindRefs(std::string_view param, std::string_view raw_value, const std::string& expanded, Location value_loc,
              std::vector<TableReference>* refs) {
  std::string_view prev;
  for (std::string_view token : SplitPostfixList(expanded)) {
    // An access table is the argument of a check_*_access restriction.
    std::string_view before = std::exchange(prev, token);
    std::string_view restriction = before.rfind("check_", 0) == 0 && before.size() > 13 &&
                                           before.substr(before.size() - 7) == "_access"
                                       ? before
                                       : std::string_view();
    if (token.rfind("proxy:", 0) == 0) token.remove_prefix(6);
    FileKind kind;
    std::string_view type;
    if (token.rfind("regexp:", 0) == 0) {
      kind = FileKind::kRegexpTable;
      token.remove_prefix(7);
    } else if (token.rfind("pcre:", 0) == 0) {
      kind = FileKind::kPcreTable;
      token.remove_prefix(5);
    } else if (std::optional<DbmsFileRef> dbms = ParseDbmsFileRef(token)) {  // mysql:/x.cf (dbms_config.hpp)
      kind = FileKind::kDbmsConfig;
      type = dbms->type;
      token = dbms->path;
    } else {
      continue;
    }
    if (token.empty() || token.front() == '{') continue;  // inline table
    // Point at the path in the raw value when it is written there literally.
    Location where = value_loc;
    size_t at = raw_value.find(token);
    if (at != std::string_view::npos) {
      where.begin = value_loc.begin + static_cast<uint32_t>(at);
      where.end = where.begin + static_cast<uint32_t>(token.size());
    }
    refs->push_back({kind, std::string(token), std::string(param), where, std::string(restriction), std::string(type)});
  }
}

// The cached list (LintContext::Derived builds it once).
struct CachedTableReferences {
  explicit CachedTableReferences(const LintContext& ctx) : refs(FindTableReferences(ctx)) {}
  std::vector<TableReference> refs;
};

}  // namespace

std::vector<TableReference> FindTableReferences(const LintContext& ctx) {
  std::vector<TableReference> refs;
  const MainCf& main = ctx.main_cf();
  if (const InputFile* mf = ctx.main_file()) {
    for (uint32_t i : main.EffectiveInOrder()) {
      const MainCfDefinition& d = main.definitions()[i];
      Location loc{mf->source.get(), d.value_begin, d.value_end};
      FindRefs(d.name, mf->source->Slice(d.value_begin, d.value_end), Expanded(ctx, d.value), loc, &refs);
    }
  }
  if (const InputFile* ms = ctx.master_file()) {
    for (const MasterService& s : ctx.master_cf().services) {
      for (const MasterOverride& o : s.overrides) {
        if (!o.ok()) continue;
        Location loc{ms->source.get(), o.value_begin, o.value_end};
        FindRefs(fmt::format("{}/{}", s.NameSpace(), o.name), ms->source->Slice(o.value_begin, o.value_end),
                 Expanded(ctx, o.value), loc, &refs);
      }
    }
  }
  return refs;
}

const std::vector<TableReference>& TableReferencesOf(const LintContext& ctx) {
  return ctx.Derived<CachedTableReferences>().refs;
}

}  // namespace postvet
