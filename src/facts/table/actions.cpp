#include "src/facts/table/actions.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "src/facts/table/action_data.hpp"

namespace postvet {
namespace {

// The spelling of each CheckAction. Which program carries out which action
// comes from the generated data (action_data.hpp), not from here.
constexpr std::array<std::string_view, 15> kNames = {
    "REJECT", "WARN", "INFO", "FILTER", "PASS", "DISCARD", "HOLD", "PREPEND",
    "REPLACE", "REDIRECT", "BCC", "STRIP", "IGNORE", "DUNNO", "OK",
};

char Upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// ISSPACE() in the C locale, as cleanup_act() skips after the word.
bool IsCSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Literal text of result bytes [b, e): `$$` becomes `$`; a `$n` reference
// sets *dynamic and contributes nothing. `scan` is the result's pre-scan,
// or null when the result has no '$' (then it is one literal part).
std::string LiteralSpan(std::string_view result, const ReplacementScan* scan, size_t b, size_t e, bool* dynamic) {
  if (scan == nullptr) return b < e ? std::string(result.substr(b, e - b)) : std::string();
  std::string out;
  for (const ReplacementPart& part : scan->parts) {
    size_t pb = std::max<size_t>(part.begin, b);
    size_t pe = std::min<size_t>(part.end, e);
    if (pb >= pe) continue;
    if (part.is_index) {
      *dynamic = true;
      continue;
    }
    std::string_view raw = result.substr(pb, pe - pb);
    for (size_t i = 0; i < raw.size(); ++i) {
      out += raw[i];
      if (raw[i] == '$' && i + 1 < raw.size() && raw[i + 1] == '$') ++i;
    }
  }
  return out;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      size_t cost = Upper(a[i - 1]) == Upper(b[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

}  // namespace

ActionText SplitAction(const TableEntry& entry) { return SplitAction(entry.result); }

ActionText SplitAction(std::string_view result) {
  ActionText out;
  // strcspn(value, " \t"): the word ends at the first blank.
  size_t word_end = result.find_first_of(" \t");
  if (word_end == std::string_view::npos) word_end = result.size();
  size_t text_begin = word_end;
  while (text_begin < result.size() && IsCSpace(result[text_begin])) ++text_begin;
  out.word_end = word_end;
  out.text_begin = text_begin;
  // The split does not depend on the dialect (only warning texts do).
  std::optional<ReplacementScan> scan;
  if (result.find('$') != std::string_view::npos) scan = ScanReplacement(result, RegexDialect::kPosix);
  const ReplacementScan* parts = scan ? &*scan : nullptr;
  out.word = LiteralSpan(result, parts, 0, word_end, &out.word_dynamic);
  out.text = LiteralSpan(result, parts, text_begin, result.size(), &out.text_dynamic);
  return out;
}

CheckAction ParseAction(std::string_view word) {
  // STREQUAL(): strncasecmp over the word's length plus an exact end.
  for (size_t i = 0; i < kNames.size(); ++i) {
    std::string_view name = kNames[i];
    if (name.size() != word.size()) continue;
    bool same = std::equal(name.begin(), name.end(), word.begin(), [](char a, char b) { return a == Upper(b); });
    if (same) return static_cast<CheckAction>(i);
  }
  return CheckAction::kUnknown;
}

std::string_view ActionName(CheckAction action) {
  size_t i = static_cast<size_t>(action);
  return i < kNames.size() ? kNames[i] : std::string_view("unknown");
}

bool Supports(ChecksProgram program, CheckAction action) {
  if (action == CheckAction::kUnknown) return false;
  const ActionWord* row = FindActionWord(ActionTable::kHeader, ActionName(action));
  if (row == nullptr) return false;
  switch (program) {
    case ChecksProgram::kCleanup: return (row->programs & kProgramCleanup) != 0;
    case ChecksProgram::kSmtp: return (row->programs & kProgramSmtp) != 0;
    // Milter's PREPEND is left out of the data: cleanup warns "the
    // milter_header/body_checks prepend action is not implemented".
    case ChecksProgram::kMilter: return (row->programs & kProgramMilter) != 0;
    case ChecksProgram::kOther: return false;
  }
  return false;
}

std::string SupportedList(ChecksProgram program) {
  std::string out;
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (!Supports(program, static_cast<CheckAction>(i))) continue;
    if (!out.empty()) out += ", ";
    out += kNames[i];
  }
  return out;
}

std::optional<std::string_view> NearestAction(std::string_view word) {
  if (word.empty()) return std::nullopt;
  std::optional<std::string_view> best;
  size_t best_distance = 3;
  for (std::string_view name : LiveWords(ActionTable::kHeader)) {
    size_t d = EditDistance(word, name);
    if (d < best_distance && d < name.size()) {
      best_distance = d;
      best = name;
    }
  }
  return best;
}

bool IsHeaderText(std::string_view text) {
  // A label of printable ASCII (no blank, no ':'), optional blanks, ':'.
  enum { kInit, kInLabel, kInBlank } state = kInit;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == ':') return state != kInit;
    if (c == ' ' || c == '\t') {
      if (state == kInit) return false;
      state = kInBlank;
      continue;
    }
    if (c == 0 || c >= 0x80 || c < 0x20 || c == 0x7f) return false;
    if (state == kInBlank) return false;
    state = kInLabel;
  }
  return false;
}

std::optional<std::string> ArgumentProblem(CheckAction action, std::string_view text, bool header,
                                           std::string_view map) {
  switch (action) {
    case CheckAction::kFilter:
      if (text.empty()) return fmt::format("missing FILTER command argument in {} map", map);
      if (text.find(':') == std::string_view::npos) {
        return fmt::format("bad FILTER command {} in {} -- need transport:destination", text, map);
      }
      return std::nullopt;
    case CheckAction::kPrepend:
    case CheckAction::kReplace: {
      std::string_view name = ActionName(action);
      if (text.empty()) return fmt::format("{} action without text in {} map", name, map);
      if (header && !IsHeaderText(text)) {
        return fmt::format("bad {} header text \"{}\" in {} map -- need \"headername: headervalue\"", name, text,
                           map);
      }
      return std::nullopt;
    }
    case CheckAction::kRedirect:
      if (text.find('@') == std::string_view::npos) {
        return fmt::format("bad REDIRECT target \"{}\" in {} map -- need user@domain", text, map);
      }
      return std::nullopt;
    case CheckAction::kBcc:
      if (text.find('@') == std::string_view::npos) {
        return fmt::format("bad BCC address \"{}\" in {} map -- need user@domain", text, map);
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace postvet
