// PV306 wrong-table-type: a header/body check parameter (header_checks,
// body_checks, smtp_header_checks, ...) that names an indexed table
// (hash:, btree:, lmdb:, cdb:, dbm:, sdbm:, texthash:). Postfix looks up
// each whole header or body line as one exact key in such a table, so an
// entry matches only a line that is byte for byte the same (after case
// folding): no "contains" or "starts with" matching, which is what checks
// are for. Fires on main.cf definitions and on master.cf `-o` overrides;
// `$name` references in the list are expanded as Postfix would expand them.
#include <fmt/format.h>

#include "src/engine/rule.hpp"
#include "src/facts/table/table_common.hpp"
#include "src/config/lint_context.hpp"
#include "src/model/defaults.hpp"
#include "src/model/expand.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"

namespace postvet {
namespace {

// mystrtokq() with the map-list separators ", \t\r\n", keeping `{}` groups.
std::vector<std::string_view> SplitList(std::string_view value) {
  std::vector<std::string_view> out;
  auto sep = [](char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && sep(value[i])) ++i;
    if (i >= value.size()) break;
    size_t begin = i;
    int level = 0;
    while (i < value.size() && (level > 0 || !sep(value[i]))) {
      if (value[i] == '{') ++level;
      else if (value[i] == '}' && level > 0) --level;
      ++i;
    }
    out.push_back(value.substr(begin, i - begin));
  }
  return out;
}

// The indexed type a map names ("hash" for "proxy:hash:/x"), if any.
std::optional<std::string_view> IndexedType(std::string_view map) {
  if (map.substr(0, 6) == "proxy:") map.remove_prefix(6);
  size_t colon = map.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view type = map.substr(0, colon);
  for (std::string_view indexed : {"hash", "btree", "lmdb", "cdb", "dbm", "sdbm", "texthash"}) {
    if (type == indexed) return indexed;
  }
  return std::nullopt;
}

class WrongTableType : public Rule {
 public:
  RuleInfo info() const override {
    return {.id = "PV306",
            .slug = "wrong-table-type",
            .severity = Severity::kWarning,
            .fix = FixKind::kNone,
            .summary = "a *_checks parameter names an indexed table type that matches whole lines only",
            .doc = {}};
  }
  Subscription subscription() const override {
    Subscription s;
    s.parameters = ChecksParameterNames();
    s.services = true;
    return s;
  }

  void CheckParameter(const LintContext& ctx, std::string_view name, Sink& sink) const override {
    const MainCfDefinition* d = ctx.main_cf().Find(name);
    if (d == nullptr || ctx.main_file() == nullptr) return;
    Check(ctx, std::string(name), d->value, {ctx.main_file()->source.get(), d->value_begin, d->value_end}, sink);
  }

  void CheckService(const LintContext& ctx, size_t service, Sink& sink) const override {
    const MasterService& s = ctx.master_cf().services[service];
    const InputFile* master = ctx.master_file();
    for (const MasterOverride& o : s.overrides) {
      if (!o.ok()) continue;
      bool header = false;
      if (!ChecksProgramOf(o.name, &header)) continue;
      Check(ctx, fmt::format("{}/{}", s.NameSpace(), o.name), o.value,
            {master->source.get(), o.value_begin, o.value_end}, sink);
    }
  }

 private:
  static void Check(const LintContext& ctx, const std::string& param, std::string_view value, Location value_loc,
                    Sink& sink) {
    std::string_view raw = value_loc.source->Slice(value_loc.begin, value_loc.end);
    size_t cursor = 0;
    for (std::string_view token : SplitList(value)) {
      // Point at the token where it is written, else at the whole value.
      Location where = value_loc;
      size_t at = raw.find(token, cursor);
      if (at != std::string_view::npos) {
        where.begin = value_loc.begin + static_cast<uint32_t>(at);
        where.end = where.begin + static_cast<uint32_t>(token.size());
        cursor = at + token.size();
      }
      std::vector<std::string> maps;
      if (token.find('$') != std::string_view::npos) {
        std::string expanded = Expand(ctx, token);
        for (std::string_view m : SplitList(expanded)) maps.emplace_back(m);
      } else {
        maps.emplace_back(token);
      }
      for (const std::string& map : maps) {
        std::optional<std::string_view> type = IndexedType(map);
        if (!type) continue;
        std::string shown = QuoteText(map, 80);
        std::string via = map == token ? std::string() : fmt::format(" (from {})", QuoteText(token, 40));
        Diagnostic& d =
            sink.Report(where, fmt::format("{} names {}{}, an indexed {}: table", param, shown, via, *type),
                        param + " " + shown);
        d.notes.push_back({Location{}, fmt::format("Postfix looks up every {} line as one exact key there, so an "
                                                   "entry matches only an identical line, never part of one",
                                                   param.find("body_checks") != std::string::npos ? "body"
                                                                                                  : "header")});
        d.notes.push_back({Location{}, "checks need regexp: or pcre:"});
      }
    }
  }

  static std::string Expand(const LintContext& ctx, std::string_view text) {
    const MainCf& main = ctx.main_cf();
    const Defaults& defaults = ctx.target().defaults();
    MacroOutcome out = MacroExpand(text, ExpandMode::kRecurse, [&](std::string_view name, bool) {
      std::optional<std::string_view> v = main.Value(name);
      return v ? v : defaults.Default(name);
    });
    return out.error || out.fatal ? std::string(text) : out.value;
  }
};

}  // namespace

std::unique_ptr<Rule> NewWrongTableTypeRule() { return std::make_unique<WrongTableType>(); }

}  // namespace postvet
