#include "src/facts/restriction/restriction_lists.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>

#include "src/config/lint_context.hpp"
#include "src/facts/computation_count.hpp"
#include "src/facts/master/master_common.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/target_version.hpp"
#include "src/template/static_view.hpp"

namespace postvet::restriction {
namespace {

bool HasColon(std::string_view s) { return s.find(':') != std::string_view::npos; }

// Postfix's alldig().
bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// An entry that reads as a DNS list domain rather than a restriction name.
bool LooksLikeDomain(std::string_view s) {
  return s.find('.') != std::string_view::npos && !HasColon(s) && s.find('{') == std::string_view::npos;
}

}  // namespace

std::vector<Item> ParseRestrictions(const std::vector<ListEntry>& entries, const RestrictionTable& table,
                                    const std::set<std::string, std::less<>>& classes, const ListInfo* list) {
  std::vector<Item> items;
  bool warn_next = false;
  constexpr size_t kNoZone = static_cast<size_t>(-1);
  size_t zone_item = kNoZone;  // the last zone restriction, while strays may follow it
  const size_t n = entries.size();
  for (size_t i = 0; i < n; ++i) {
    std::string_view name = entries[i].text;
    Item item;
    item.entry = i;
    item.warn_only = warn_next;
    warn_next = false;
    // generic_checks(): warn_if_reject first, then a bare type:table, then
    // the built-in names, then the restriction classes.
    if (const RestrictionInfo* info = table.Find(name); info != nullptr && info->effect == Effect::kPseudo) {
      item.kind = Item::Kind::kRestriction;
      item.info = info;
      warn_next = true;
      zone_item = kNoZone;
      items.push_back(item);
      continue;
    }
    if (HasColon(name)) {
      item.kind = Item::Kind::kImplicitTable;
      if (list != nullptr && !list->implicit.empty()) item.info = table.Find(list->implicit);
      zone_item = kNoZone;
      items.push_back(item);
      continue;
    }
    if (const RestrictionInfo* info = table.Find(name)) {
      item.kind = Item::Kind::kRestriction;
      item.info = info;
      zone_item = kNoZone;
      bool has_next = i + 1 < n;
      std::string_view next = has_next ? std::string_view(entries[i + 1].text) : std::string_view();
      switch (info->arg) {
        case ArgKind::kNone:
          break;
        case ArgKind::kTable:  // is_map_command(): consumes the next entry, then checks it
          if (!has_next) {
            item.problem = ArgProblem::kMissing;
          } else {
            item.arg = ++i;
            if (!HasColon(next)) item.problem = ArgProblem::kNotTable;
          }
          break;
        case ArgKind::kZone:  // consumes whatever comes next
          if (!has_next) {
            item.problem = ArgProblem::kMissing;
          } else {
            item.arg = ++i;
            if (table.Find(next) != nullptr || classes.count(next) != 0 || HasColon(next)) {
              item.problem = ArgProblem::kSwallowed;
            } else {
              zone_item = items.size();
            }
          }
          break;
        case ArgKind::kServer:  // checks before consuming
          if (!has_next) item.problem = ArgProblem::kMissing;
          else if (!HasColon(next)) item.problem = ArgProblem::kNotServer;
          else item.arg = ++i;
          break;
        case ArgKind::kNumber:
          if (!has_next) item.problem = ArgProblem::kMissing;
          else if (!AllDigits(next)) item.problem = ArgProblem::kNotNumber;
          else item.arg = ++i;
          break;
      }
      items.push_back(item);
      continue;
    }
    if (classes.count(name) != 0) {
      item.kind = Item::Kind::kClass;
      zone_item = kNoZone;
      items.push_back(item);
      continue;
    }
    if (zone_item != kNoZone && LooksLikeDomain(name)) {
      item.kind = Item::Kind::kStrayArgument;
      item.of = zone_item;
    } else {
      item.kind = Item::Kind::kUnknown;
      zone_item = kNoZone;
    }
    items.push_back(item);
  }
  return items;
}

bool RunsSmtpd(const MasterService& service) {
  return !master_rules::IsArgumentLine(service) && master_rules::CommandName(service) == "smtpd";
}

std::set<std::string, std::less<>> RestrictionClasses(const LintContext& ctx, const MasterService* service) {
  std::set<std::string, std::less<>> out;
  for (ListEntry& e : ExpandList(ctx, "smtpd_restriction_classes", service)) out.insert(std::move(e.text));
  return out;
}

namespace {

// The parameters whose values can change what `roots` expand to: the roots
// and, transitively, every name their main.cf values (or built-in
// defaults) mention as $name, ${name...} or $(name...). Bounded.
std::set<std::string, std::less<>> ReferencedParams(const LintContext& ctx, std::vector<std::string> roots) {
  constexpr size_t kMaxNames = 2000;
  std::set<std::string, std::less<>> seen(roots.begin(), roots.end());
  while (!roots.empty() && seen.size() < kMaxNames) {
    std::string name = std::move(roots.back());
    roots.pop_back();
    std::string_view value;
    if (const MainCfDefinition* d = ctx.main_cf().Find(name)) value = d->value;
    else if (auto def = ctx.target().defaults().Default(name)) value = *def;
    for (size_t i = 0; i + 1 < value.size(); ++i) {
      if (value[i] != '$') continue;
      size_t b = i + 1;
      if (value[b] == '{' || value[b] == '(') ++b;
      size_t e = b;
      while (e < value.size() && (std::isalnum(static_cast<unsigned char>(value[e])) != 0 || value[e] == '_')) ++e;
      if (e > b && seen.emplace(value.substr(b, e - b)).second) roots.emplace_back(value.substr(b, e - b));
    }
  }
  return seen;
}

// Names whose value differs per service although no -o sets them.
bool ServiceDependent(const std::set<std::string, std::less<>>& names) {
  for (std::string_view n : {"service_name", "process_name", "process_id", "stress"}) {
    if (names.count(n) != 0) return true;
  }
  return false;
}

}  // namespace

std::vector<RestrictionList> CollectRestrictionLists(const LintContext& ctx) {
  facts::CountComputation(facts::Computation::kRestrictionLists);
  const RestrictionTable& table = RestrictionTableFor(ctx.target().version());
  std::vector<const MasterService*> scopes;
  if (ctx.main_file() != nullptr) scopes.push_back(nullptr);
  if (ctx.master_file() != nullptr) {
    for (const MasterService& s : ctx.master_cf().services) {
      if (RunsSmtpd(s)) scopes.push_back(&s);
    }
  }
  std::vector<RestrictionList> out;
  // main.cf's parsed lists, by parameter, and what each depends on.
  std::map<std::string, std::shared_ptr<const ParsedList>, std::less<>> main_lists;
  std::map<std::string, std::set<std::string, std::less<>>, std::less<>> depends;
  std::set<std::string, std::less<>> main_classes;
  for (const MasterService* scope : scopes) {
    std::set<std::string, std::less<>> classes = RestrictionClasses(ctx, scope);
    if (scope == nullptr) main_classes = classes;
    auto add = [&](const std::string& param, const ListInfo* list) {
      RestrictionList l;
      l.param = param;
      l.service = scope;
      l.list = list;
      if (scope == nullptr) {
        depends[param] = ReferencedParams(ctx, {param, "smtpd_restriction_classes"});
      } else if (auto it = main_lists.find(param); it != main_lists.end() && classes == main_classes) {
        bool same = !ServiceDependent(depends[param]);
        for (const MasterOverride& o : scope->overrides) {
          if (!same) break;
          same = depends[param].count(o.name) == 0;
        }
        if (same) l.parsed = it->second;  // the service sees main.cf's list unchanged
      }
      if (l.parsed == nullptr) {
        auto parsed = std::make_shared<ParsedList>();
        parsed->entries = ExpandList(ctx, param, scope, &parsed->truncated);
        parsed->opaque = std::any_of(parsed->entries.begin(), parsed->entries.end(),
                                     [](const ListEntry& e) { return tmpl::HasOpaque(e.text); });
        parsed->items = ParseRestrictions(parsed->entries, table, classes, list);
        l.parsed = std::move(parsed);
      }
      if (scope == nullptr) main_lists[param] = l.parsed;
      out.push_back(std::move(l));
    };
    for (const ListInfo& list : table.lists()) add(list.param, &list);
    for (const std::string& name : classes) add(name, nullptr);
  }
  return out;
}

}  // namespace postvet::restriction
