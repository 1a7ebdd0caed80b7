#include "src/facts/restriction/restriction_table.hpp"

#include <fmt/format.h>

#include <array>
#include <mutex>
#include <optional>

#include "src/base/embedded.hpp"
#include "src/model/defaults.hpp"

namespace postvet::restriction {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::vector<std::string_view> Fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

std::vector<std::string_view> SplitCommas(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

template <typename E, size_t N>
std::optional<E> Lookup(std::string_view text, const std::array<std::pair<std::string_view, E>, N>& names) {
  for (const auto& [name, value] : names) {
    if (name == text) return value;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, ArgKind>, 5> kArgs{{
    {"-", ArgKind::kNone}, {"table", ArgKind::kTable}, {"zone", ArgKind::kZone},
    {"server", ArgKind::kServer}, {"number", ArgKind::kNumber}}};
constexpr std::array<std::pair<std::string_view, MissingArg>, 3> kMissing{{
    {"-", MissingArg::kNone}, {"error", MissingArg::kServerError}, {"ignored", MissingArg::kIgnored}}};
constexpr std::array<std::pair<std::string_view, Stage>, 7> kStages{{
    {"client", Stage::kClient}, {"helo", Stage::kHelo}, {"sender", Stage::kSender},
    {"recipient", Stage::kRecipient}, {"etrn", Stage::kEtrn}, {"data", Stage::kData},
    {"end_of_data", Stage::kEndOfData}}};
constexpr std::array<std::pair<std::string_view, Effect>, 6> kEffects{{
    {"permit", Effect::kPermit}, {"reject", Effect::kReject}, {"defer", Effect::kDefer},
    {"any", Effect::kAny}, {"neutral", Effect::kNeutral}, {"pseudo", Effect::kPseudo}}};
constexpr std::array<std::pair<std::string_view, Status>, 3> kStatus{{
    {"current", Status::kCurrent}, {"old-name", Status::kOldName}, {"deprecated", Status::kDeprecated}}};

// Calls `row(line_number, fields)` for each data row after the header `header`.
template <typename F>
void ForEachRow(std::string_view tsv, std::string_view header, std::vector<std::string>& errors, F row) {
  bool seen_header = false;
  size_t number = 0;
  while (!tsv.empty()) {
    size_t eol = tsv.find('\n');
    std::string_view line = tsv.substr(0, eol);
    tsv = eol == std::string_view::npos ? std::string_view() : tsv.substr(eol + 1);
    ++number;
    if (line.empty() || line[0] == '#') continue;
    if (!seen_header) {
      if (line != header) errors.push_back(fmt::format("line {}: header is not \"{}\"", number, header));
      seen_header = true;
      continue;
    }
    row(number, Fields(line));
  }
}

}  // namespace

RestrictionTable RestrictionTable::Parse(std::string_view restrictions_tsv, std::string_view lists_tsv) {
  RestrictionTable t;
  ForEachRow(restrictions_tsv, "name\targ\tmissing_arg\tneeds\teffect\tstatus\treplacement\tflags", t.errors_,
             [&](size_t n, const std::vector<std::string_view>& f) {
               if (f.size() != 8) {
                 t.errors_.push_back(fmt::format("line {}: {} fields, want 8", n, f.size()));
                 return;
               }
               auto arg = Lookup(f[1], kArgs);
               auto missing = Lookup(f[2], kMissing);
               auto needs = Lookup(f[3], kStages);
               auto effect = Lookup(f[4], kEffects);
               auto status = Lookup(f[5], kStatus);
               bool guard = false;
               bool sasl = false;
               bool bad_flag = false;
               if (f[7] != "-") {
                 for (std::string_view flag : SplitCommas(f[7])) {
                   if (flag == "relay-guard") guard = true;
                   else if (flag == "sasl") sasl = true;
                   else bad_flag = true;
                 }
               }
               if (f[0].empty() || !arg || !missing || !needs || !effect || !status || bad_flag ||
                   t.Find(f[0]) != nullptr) {
                 t.errors_.push_back(fmt::format("line {}: bad row for \"{}\"", n, f[0]));
                 return;
               }
               t.restrictions_.push_back({std::string(f[0]), *arg, *missing, *needs, *effect, *status,
                                          f[6] == "-" ? std::string() : std::string(f[6]), guard, sasl});
             });
  ForEachRow(lists_tsv, "param\tstage\timplicit", t.errors_, [&](size_t n, const std::vector<std::string_view>& f) {
    auto stage = f.size() == 3 ? Lookup(f[1], kStages) : std::nullopt;
    if (!stage || f[0].empty()) {
      t.errors_.push_back(fmt::format("line {}: bad list row", n));
      return;
    }
    t.lists_.push_back({std::string(f[0]), *stage, f[2] == "-" ? std::string() : std::string(f[2])});
  });
  return t;
}

const RestrictionInfo* RestrictionTable::Find(std::string_view name) const {
  for (const RestrictionInfo& r : restrictions_) {
    if (EqualsIgnoreCase(r.name, name)) return &r;
  }
  return nullptr;
}

const ListInfo* RestrictionTable::FindList(std::string_view param) const {
  for (const ListInfo& l : lists_) {
    if (l.param == param) return &l;
  }
  return nullptr;
}

const RestrictionTable& RestrictionTableFor(PostfixVersion version) {
  // The series of the embedded tables are those of the defaults tables
  // (3.5 to 3.10; the nearest for others). Each is parsed on first use.
  constexpr PostfixVersion kSeries[] = {{3, 5}, {3, 6}, {3, 7}, {3, 8}, {3, 9}, {3, 10}};
  constexpr size_t kCount = sizeof(kSeries) / sizeof(kSeries[0]);
  static const RestrictionTable* tables[kCount] = {};
  static std::once_flag once[kCount];
  const PostfixVersion series = Defaults::TableSeries(version);
  size_t i = 0;
  while (i + 1 < kCount && kSeries[i] != series) ++i;
  std::call_once(once[i], [i, &series] {
    const std::string base = "rules/data/postfix-" + series.ToString();
    tables[i] = new RestrictionTable(
        RestrictionTable::Parse(FindEmbedded(base + "-restrictions.tsv").value_or(std::string_view()),
                                FindEmbedded(base + "-restriction-lists.tsv").value_or(std::string_view())));
  });
  return *tables[i];
}

std::string_view StageName(Stage stage) {
  for (const auto& [name, value] : kStages) {
    if (value == stage) return name;
  }
  return "?";
}

std::string_view ArgKindName(ArgKind kind) {
  for (const auto& [name, value] : kArgs) {
    if (value == kind) return name;
  }
  return "?";
}

}  // namespace postvet::restriction
