#include "src/config/restriction_list.hpp"

#include <map>
#include <tuple>

#include <fmt/format.h>

#include "src/config/lint_context.hpp"
#include "src/model/defaults.hpp"
#include "src/model/logical_line.hpp"
#include "src/model/main_cf.hpp"
#include "src/model/master_cf.hpp"
#include "src/model/param_context.hpp"

namespace postvet {
namespace {

// Postfix gives up after about 100 nested expansions; lists never need more.
constexpr int kMaxDepth = 100;

bool IsNameByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The name when `token` is exactly `$name`, `${name}` or `$(name)`.
std::optional<std::string_view> SingleReference(std::string_view token) {
  if (token.size() < 2 || token[0] != '$') return std::nullopt;
  std::string_view name;
  if (token[1] == '{' || token[1] == '(') {
    char close = token[1] == '{' ? '}' : ')';
    if (token.back() != close) return std::nullopt;
    name = token.substr(2, token.size() - 3);
  } else {
    name = token.substr(1);
  }
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (!IsNameByte(c)) return std::nullopt;
  }
  return name;
}

// The joined logical lines of the values ExpandList reads, once per context:
// joining a value continued over several lines is most of a lookup, and the
// scope of every master.cf service looks the same main.cf values up again.
class JoinedValues {
 public:
  explicit JoinedValues(const LintContext& /*ctx*/) {}

  const LogicalLine& Get(const Source& source, uint32_t begin, uint32_t end) {
    auto [it, added] = lines_.try_emplace({&source, begin, end});
    if (added) it->second = JoinLogicalLine(source, begin, end);
    return it->second;
  }

 private:
  std::map<std::tuple<const Source*, uint32_t, uint32_t>, LogicalLine> lines_;
};

struct Walker {
  const LintContext& ctx;
  const MasterService* service;
  std::vector<ListEntry>* out;
  std::vector<std::string> stack;  // parameters being walked (loop guard)
  size_t work = 0;                 // kMaxListWork units spent
  bool truncated = false;          // a bound was reached: stop everywhere

  // Spends `units` of work; false (and truncated) when the bounds are passed.
  bool Spend(size_t units) {
    work += units;
    if (work > kMaxListWork || out->size() >= kMaxListEntries) truncated = true;
    return !truncated;
  }

  // The raw text of `param` in scope, and where it is written.
  struct Raw {
    std::string text;
    const Source* source = nullptr;
    std::vector<uint32_t> offsets;  // source offset of each byte of text (+1 past the end)
  };

  std::optional<Raw> Lookup(std::string_view param) const {
    if (service != nullptr) {
      if (const MasterOverride* o = service->FindOverride(param)) {
        Raw r;
        r.text = o->value;
        r.source = ctx.master_file() != nullptr ? ctx.master_file()->source.get() : nullptr;
        // The value is one word (or a braced group) of the master.cf line.
        if (r.source != nullptr) {
          const LogicalLine& ll = ctx.Derived<JoinedValues>().Get(*r.source, o->value_begin, o->value_end);
          if (ll.text == r.text) r.offsets = ll.offsets;
        }
        return r;
      }
    }
    if (const MainCfDefinition* d = ctx.main_cf().Find(param)) {
      Raw r;
      r.text = d->value;
      r.source = ctx.main_file()->source.get();
      const LogicalLine& ll = ctx.Derived<JoinedValues>().Get(*r.source, d->value_begin, d->value_end);
      if (ll.text.substr(0, r.text.size()) == r.text) {
        r.offsets = ll.offsets;
        r.offsets.resize(r.text.size());
        r.offsets.push_back(r.text.empty() ? d->value_begin : ll.offsets[r.text.size() - 1] + 1);
      }
      return r;
    }
    if (std::optional<std::string_view> def = ctx.target().defaults().Default(param)) {
      Raw r;
      r.text = std::string(*def);
      return r;
    }
    return std::nullopt;
  }

  Location Where(const Raw& raw, size_t b, size_t e) const {
    if (raw.source == nullptr || raw.offsets.empty()) return {raw.source, 0, 0};
    if (b >= e) return {raw.source, raw.offsets[b], raw.offsets[b]};
    return {raw.source, raw.offsets[b], raw.offsets[e - 1] + 1};
  }

  void Walk(std::string_view param, std::vector<Location> via, std::vector<std::string> via_params) {
    if (static_cast<int>(stack.size()) >= kMaxDepth) return;
    for (const std::string& p : stack) {
      if (p == param) return;  // a reference loop: Postfix fails to expand it (PV107)
    }
    std::optional<Raw> raw = Lookup(param);
    if (!raw) return;
    stack.emplace_back(param);
    std::string_view text = raw->text;
    for (std::string_view token : SplitPostfixList(text)) {
      if (!Spend(1 + via.size())) break;
      size_t b = static_cast<size_t>(token.data() - text.data());
      size_t e = b + token.size();
      Location where = Where(*raw, b, e);
      if (token.find('$') == std::string_view::npos) {
        out->push_back({std::string(token), where, true, std::string(param), via, via_params});
        continue;
      }
      if (std::optional<std::string_view> name = SingleReference(token)) {
        std::vector<Location> v = via;
        std::vector<std::string> vp = via_params;
        v.push_back(where);
        vp.emplace_back(param);
        Walk(*name, std::move(v), std::move(vp));
        continue;
      }
      ParamContext pc = ctx.Params(service);
      Result<std::string> expanded = pc.Expand(token);
      if (!expanded.ok()) continue;  // PV103/PV107 report broken expansions
      std::string value = expanded.value();
      for (std::string_view sub : SplitPostfixList(value)) {
        if (!Spend(1 + via.size())) break;
        out->push_back({std::string(sub), where, false, std::string(param), via, via_params});
      }
    }
    stack.pop_back();
  }
};

}  // namespace

std::vector<std::string_view> SplitPostfixList(std::string_view text) {
  std::vector<std::string_view> out;
  auto sep = [](char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && sep(text[i])) ++i;
    if (i >= text.size()) break;
    size_t begin = i;
    int level = 0;
    while (i < text.size() && (level > 0 || !sep(text[i]))) {
      if (text[i] == '{') ++level;
      else if (text[i] == '}' && level > 0) --level;
      ++i;
    }
    out.push_back(text.substr(begin, i - begin));
  }
  return out;
}

std::vector<ListEntry> ExpandList(const LintContext& ctx, std::string_view param, const MasterService* service,
                                  bool* truncated) {
  std::vector<ListEntry> out;
  Walker w{ctx, service, &out, {}, 0, false};
  w.Walk(param, {}, {});
  if (truncated != nullptr) *truncated = w.truncated;
  return out;
}

}  // namespace postvet
