#include "src/fix/option_text.hpp"

#include <algorithm>
#include <vector>

#include "src/facts/master/master_common.hpp"
#include "grammar/cst.hpp"

namespace postvet::master_rules {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// The argument word is written as it is (not `{...}`), so its bytes are its
// text and a rewrite may move them.
bool IsPlainWord(const Source& source, const MasterWord& word) {
  std::string_view text = source.text();
  if (word.begin == 0 || word.end > text.size()) return false;
  if (!IsBlank(text[word.begin - 1])) return false;
  if (word.end < text.size() && !IsBlank(text[word.end])) return false;
  return source.Slice(word.begin, word.end) == word.text;
}

// `{` and `}` pair up, so wrapping the text in braces (or leaving it in a
// word) does not change where master(8)'s grouping ends.
bool BalancedBraces(std::string_view text) {
  int level = 0;
  for (char c : text) {
    if (c == '{') ++level;
    if (c == '}' && --level < 0) return false;
  }
  return level == 0;
}

}  // namespace

std::string ArgumentFate(const MasterService& service, std::string_view word) {
  std::string_view command = CommandName(service);
  // smtp(8), lmtp(8) and postscreen(8) never look at their arguments;
  // pipe(8) and spawn(8) read them; every other daemon refuses any.
  if (command == "smtp" || command == "lmtp" || command == "postscreen") {
    return "silently ignores `" + std::string(word) + "` and everything after it";
  }
  if (command == "pipe" || command == "spawn") {
    return "takes `" + std::string(word) + "` and everything after it as its own arguments";
  }
  return "dies: \"unexpected command-line argument: " + std::string(word) + "\"";
}

std::optional<std::string> CanonicalOption(std::string_view name, std::string_view value) {
  if (name.empty()) return std::nullopt;
  for (char c : name) {
    if (IsSpace(c) || c == '\n' || c == '=' || c == '{' || c == '}' || c == '\0') return std::nullopt;
  }
  if (!BalancedBraces(value) || value.find('\0') != std::string_view::npos) return std::nullopt;
  bool blanks = false;
  for (char c : value) blanks = blanks || IsSpace(c) || c == '\n';
  if (!blanks) return "-o " + std::string(name) + "=" + std::string(value);
  return "-o { " + std::string(name) + " = " + std::string(value) + " }";
}

std::optional<IntendedOption> IntendOption(const Source& source, const MasterService& service, size_t index) {
  if (index >= service.overrides.size()) return std::nullopt;
  return IntendOption(source, service, service.overrides[index]);
}

std::optional<IntendedOption> IntendOption(const Source& source, const MasterService& service,
                                           const MasterOverride& ov) {
  bool plain_form = ov.ok() && (ov.form == OverrideForm::kSeparate || ov.form == OverrideForm::kAttached ||
                                ov.form == OverrideForm::kCombined);
  if (!plain_form && ov.form != OverrideForm::kSpaced) return std::nullopt;

  IntendedOption out;
  out.option = &ov;
  out.name = ov.name;
  out.begin = ov.begin;
  out.end = ov.end;

  // Words the daemon takes as arguments that continue the value.
  std::vector<const MasterWord*> strays;
  if (ov.followed_by_argument) {
    std::string_view command = CommandName(service);
    bool takes_arguments = command == "pipe" || command == "spawn";
    for (const MasterWord& w : service.daemon_args) {
      if (w.begin < ov.end) continue;  // before a stranded option
      if (!IsPlainWord(source, w)) break;
      if (w.text.empty() || w.text[0] == '-') break;
      if (takes_arguments && w.text.find('=') != std::string::npos) break;
      strays.push_back(&w);
    }
  }

  uint32_t value_begin = ov.value_begin;
  uint32_t value_end = ov.value_end;
  size_t first_stray = 0;
  bool ends_with_equals = ov.end > ov.begin && source.text()[ov.end - 1] == '=';
  if (ov.form == OverrideForm::kSpaced) {
    out.spaced = true;
  } else if (ov.value.empty() && ends_with_equals && !strays.empty()) {
    // "-o name= value": the daemon sets name to "" and stops at "value".
    out.spaced = true;
    value_begin = strays[0]->begin;
    value_end = strays[0]->end;
    first_stray = 1;
  }
  if (first_stray < strays.size()) {
    out.stray_words = strays.size() - first_stray;
    out.stray_begin = strays[first_stray]->begin;
    out.stray_end = strays.back()->end;
    if (value_begin == value_end) value_begin = out.stray_begin;
    value_end = out.stray_end;
  }
  // An empty value's position may map past a continuation join (the next
  // byte of the logical line): it must not widen the edit.
  if (value_begin < value_end) {
    out.end = std::max(out.end, value_end);
    out.value = std::string(source.Slice(value_begin, value_end));
  }
  if (ov.form != OverrideForm::kCombined) out.rewrite = CanonicalOption(out.name, out.value);
  return out;
}

Edit DeleteOptionEdit(const Source& source, uint32_t begin, uint32_t end) {
  std::string_view text = source.text();
  // Walk over the blanks on each side only, so that many options on one
  // long line cost linear time.
  uint32_t before = begin;
  while (before > 0 && IsSpace(text[before - 1])) --before;
  bool blank_before = before == 0 || text[before - 1] == '\n';
  uint32_t after = end;
  while (after < text.size() && IsSpace(text[after])) ++after;
  bool blank_after = after == text.size() || text[after] == '\n';
  if (blank_before && blank_after) {
    // Alone on its line: the whole line goes, with its LF.
    uint32_t stop = after < text.size() ? after + 1 : after;
    return Edit{&source, before, stop, ""};
  }
  if (!blank_before) return Edit{&source, before, end, ""};
  return Edit{&source, begin, after, ""};
}

}  // namespace postvet::master_rules
