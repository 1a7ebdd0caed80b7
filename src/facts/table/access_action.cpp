#include "src/facts/table/access_action.hpp"

#include "src/config/lint_context.hpp"
#include "src/config/restriction_list.hpp"

namespace postvet {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// The first restriction name of a result as argv_splitq(value, ", \t\r\n", "{}") gives it.
std::string_view FirstName(std::string_view value) {
  std::vector<std::string_view> names = SplitPostfixList(value);
  return names.empty() ? std::string_view() : names.front();
}

}  // namespace

AccessAction ClassifyAccess(const ActionText& split, const std::vector<std::string>& classes,
                            const restriction::RestrictionTable& restrictions) {
  AccessAction out;
  if (split.word_dynamic) return out;
  if (const ActionWord* row = FindActionWord(ActionTable::kAccess, split.word)) {
    out.action = row;
    out.verdict = row->programs != 0 ? AccessVerdict::kAction : AccessVerdict::kCompiledOut;
    return out;
  }
  const bool text_empty = split.text.empty() && !split.text_dynamic;
  // alldig(value): the whole result, word and text.
  if (text_empty && AllDigits(split.word)) {
    out.verdict = AccessVerdict::kAllNumeric;
    return out;
  }
  const std::string_view w = split.word;
  if (w.size() == 3 && !text_empty && (w[0] == '4' || w[0] == '5') && IsDigit(w[1]) && IsDigit(w[2])) {
    out.verdict = AccessVerdict::kReplyCode;
    out.code = (w[0] - '0') * 100 + (w[1] - '0') * 10 + (w[2] - '0');
    return out;
  }
  if (split.word.find(':') != std::string::npos || split.text.find(':') != std::string::npos) {
    out.verdict = AccessVerdict::kLookupTable;
    return out;
  }
  if (split.text_dynamic && split.word.empty()) return out;
  std::string value = split.word + (split.text.empty() ? "" : " " + split.text);
  std::string_view first = FirstName(value);
  if (first.empty()) {
    out.verdict = split.text_dynamic ? AccessVerdict::kDynamic : AccessVerdict::kEmpty;
    return out;
  }
  if (restrictions.Find(first) != nullptr) {
    out.verdict = AccessVerdict::kRestriction;
    return out;
  }
  for (const std::string& c : classes) {
    if (c == first) {  // htable_find(): classes match case-sensitively
      out.verdict = AccessVerdict::kRestriction;
      return out;
    }
  }
  out.verdict = AccessVerdict::kUnknownRestriction;
  return out;
}

std::vector<std::string> RestrictionClasses(const LintContext& ctx) {
  std::vector<std::string> out;
  if (ctx.main_file() == nullptr) return out;
  std::optional<std::string_view> v = ctx.main_cf().Value("smtpd_restriction_classes");
  if (!v) return out;
  for (std::string_view name : SplitPostfixList(*v)) out.emplace_back(name);
  return out;
}

std::optional<std::string_view> LeadingDsn(std::string_view text) {
  // dsn_valid(): class 2/4/5, '.', 1-3 digits, '.', 1-3 digits; then a blank or the end.
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return std::nullopt;
  size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    size_t b = i;
    while (i < text.size() && IsDigit(text[i]) && i - b < 4) ++i;
    if (i == b || i - b > 3) return std::nullopt;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return std::nullopt;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ' && text[i] != '\t') return std::nullopt;
  return text.substr(0, i);
}

char ReplyClassOf(const ActionWord& action) {
  if (action.word == "REJECT") return '5';
  if (action.word == "DEFER" || action.word == "DEFER_IF_PERMIT" || action.word == "DEFER_IF_REJECT") return '4';
  return 0;
}

}  // namespace postvet
