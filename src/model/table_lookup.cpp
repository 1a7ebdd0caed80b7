#include "src/model/table_lookup.hpp"

namespace postvet {
namespace {

enum class Test : uint8_t { kTrue, kFalse };

// DICT_REGEXP_REGEXEC / DICT_PCRE_EXEC: a match gives `!negated`, no match
// gives `negated`, an error is logged and gives false.
Test Run(const RegexpTable& table, bool second, bool negated, std::string_view key, size_t groups,
         uint32_t index, MatchOutcome* outcome, LookupResult* result) {
  Result<const Regex*> regex = table.Compiled(index, second);
  if (regex.ok()) {
    *outcome = (*regex)->Match(key, groups);
  } else {
    // Compiling again failed (out of memory): as regexec() failing.
    *outcome = MatchOutcome{};
    outcome->status = MatchStatus::kError;
    outcome->error = regex.status().message();
  }
  switch (outcome->status) {
    case MatchStatus::kMatch: return negated ? Test::kFalse : Test::kTrue;
    case MatchStatus::kNoMatch: return negated ? Test::kTrue : Test::kFalse;
    case MatchStatus::kError: break;
  }
  const TableEntry entry = table.Entry(index);
  TableWarning w;
  w.code = TableWarningCode::kMatchError;
  w.line = entry.line;
  w.range = entry.pattern ? entry.pattern->range : entry.range;
  w.text = outcome->error;
  w.entry = index;
  w.pcre_code = outcome->pcre_code;
  result->warnings.push_back(std::move(w));
  return Test::kFalse;
}

}  // namespace

std::string ExpandResult(const TableEntry& entry, std::string_view key,
                         const std::vector<GroupSpan>& groups) {
  if (entry.max_sub == 0 && entry.result.find('$') == std::string_view::npos) {
    return std::string(entry.result);
  }
  // The split does not depend on the dialect (only warning texts do).
  const ReplacementScan scan = ScanReplacement(entry.result, RegexDialect::kPosix);
  if (scan.max_sub == 0) return scan.literal;
  std::string out;
  for (const ReplacementPart& part : scan.parts) {
    if (!part.is_index) {
      out += part.text;
      continue;
    }
    if (part.index >= groups.size()) continue;
    const GroupSpan& span = groups[part.index];
    if (span.begin < 0 || span.end <= span.begin) continue;  // unset or empty
    out.append(key.substr(static_cast<size_t>(span.begin),
                          static_cast<size_t>(span.end - span.begin)));
  }
  return out;
}

LookupResult Lookup(const RegexpTable& table, std::string_view key) {
  LookupResult result;
  key = key.substr(0, std::min(key.find('\0'), key.size()));
  MatchOutcome outcome;
  const auto count = static_cast<uint32_t>(table.size());
  for (uint32_t i = 0; i < count; ++i) {
    if (!table.Active(i)) continue;
    // Single fields, not the whole entry: this runs for every rule tried.
    switch (table.Kind(i)) {
      case TableLineKind::kMatch: {
        const size_t groups = table.MaxSub(i);
        if (Run(table, false, table.Negated(i), key, groups, i, &outcome, &result) != Test::kTrue) break;
        std::vector<GroupSpan> spans = std::move(outcome.groups);
        const TablePattern* second = table.Second(i);
        if (second != nullptr &&
            Run(table, true, second->negated(), key, 0, i, &outcome, &result) != Test::kTrue) {
          break;
        }
        result.found = true;
        result.entry = i;
        result.value = ExpandResult(table.Entry(i), key, spans);
        return result;
      }
      case TableLineKind::kIf: {
        if (Run(table, false, table.Negated(i), key, 0, i, &outcome, &result) == Test::kTrue) break;
        // An IF without ENDIF that fails ends the lookup (dict_*_lookup()).
        const uint32_t partner = table.Partner(i);
        if (partner == TableEntry::kNoEntry) return result;
        i = partner;  // the loop's ++i steps past the ENDIF
        break;
      }
      default:
        break;
    }
  }
  return result;
}

}  // namespace postvet
