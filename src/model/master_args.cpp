#include "src/model/master_args.hpp"

#include "grammar/cst.hpp"

namespace postvet {

bool IsMasterBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::optional<TextSpan> NextPlainWord(std::string_view text, size_t* pos) {
  size_t p = *pos;
  while (p < text.size() && IsMasterBlank(text[p])) ++p;
  if (p >= text.size()) {
    *pos = p;
    return std::nullopt;
  }
  size_t start = p;
  while (p < text.size() && !IsMasterBlank(text[p])) ++p;
  *pos = p < text.size() ? p + 1 : p;
  return TextSpan{start, p};
}

std::optional<TextSpan> NextGroupedWord(std::string_view text, size_t* pos) {
  size_t p = *pos;
  while (p < text.size() && IsMasterBlank(text[p])) ++p;
  if (p >= text.size()) {
    *pos = p;
    return std::nullopt;
  }
  size_t start = p;
  size_t level = 0;
  for (; p < text.size(); ++p) {
    char c = text[p];
    if (c == '{') {
      ++level;
    } else if (level > 0 && c == '}') {
      --level;
    } else if (level == 0 && IsMasterBlank(c)) {
      *pos = p + 1;
      return TextSpan{start, p};
    }
  }
  *pos = p;
  return TextSpan{start, p};
}

std::vector<TextSpan> SplitGroupedWords(std::string_view text, size_t pos) {
  std::vector<TextSpan> out;
  while (auto word = NextGroupedWord(text, &pos)) out.push_back(*word);
  return out;
}

namespace {

// Length of the balanced {} group at the start of `s` (balpar()), or 0 when
// it is not closed.
size_t BalancedLength(std::string_view s) {
  size_t level = 1;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i] == '}') {
      if (--level == 0) return i + 1;
    } else if (s[i] == '{') {
      ++level;
    }
  }
  return 0;
}

}  // namespace

TextSpan TrimSpan(std::string_view text, TextSpan span) {
  while (span.begin < span.end && IsSpace(text[span.begin])) ++span.begin;
  while (span.end > span.begin && IsSpace(text[span.end - 1])) --span.end;
  return span;
}

Extracted ExtractBraces(std::string_view text, TextSpan word) {
  std::string_view w = word.In(text);
  Extracted out;
  size_t len = BalancedLength(w);
  if (len == 0) {
    // Unclosed: Postfix keeps everything after the '{'.
    out.error = "missing '}' in \"" + std::string(w) + "\"";
    out.inner = TextSpan{word.begin + 1, word.end};
  } else {
    if (len != w.size()) out.error = "syntax error after '}' in \"" + std::string(w) + "\"";
    out.inner = TextSpan{word.begin + 1, word.begin + len - 1};
  }
  // Trimmed with ISSPACE(), which (unlike the word splitter) includes VT and FF.
  out.inner = TrimSpan(text, out.inner);
  return out;
}

NameValueSpans SplitNameValue(std::string_view text, TextSpan span) {
  NameValueSpans out;
  size_t p = span.begin;
  while (p < span.end && IsSpace(text[p])) ++p;
  if (p >= span.end || text[p] == '=') {
    out.error = "missing attribute name";
    return out;
  }
  size_t name_begin = p;
  while (p < span.end && !IsSpace(text[p]) && text[p] != '=') ++p;
  size_t name_end = p;
  while (p < span.end && IsSpace(text[p])) ++p;
  if (p >= span.end || text[p] != '=') {
    out.error = "missing '=' after attribute name";
    return out;
  }
  out.name = TextSpan{name_begin, name_end};
  out.value = TrimSpan(text, TextSpan{p + 1, span.end});
  return out;
}

bool PostconfOptionTakesValue(std::string_view arg) {
  // postconf tests strchr("o", arg[1]); for "-" that is the terminating NUL,
  // which strchr() finds.
  return arg.size() >= 1 && arg[0] == '-' && (arg.size() == 1 || arg[1] == 'o');
}

namespace {

bool EndsOptions(std::string_view arg) { return arg.empty() || arg[0] != '-' || arg == "--"; }

// pcf_extract_field(): replace a {} word by its inside, warning on errors.
void ExtractInPlace(PostconfArg& arg, PostconfArgs& out) {
  Extracted ex = ExtractBraces(arg.text, TextSpan{0, arg.text.size()});
  if (!ex.error.empty()) out.warnings.push_back({ex.error, arg.origin});
  arg.text = std::string(ex.inner.In(arg.text));
}

// pcf_normalize_nameval(): rewrite "name = value" as "name=value".
void NormalizeNameValueInPlace(PostconfArg& arg, PostconfArgs& out) {
  NameValueSpans nv = SplitNameValue(arg.text, TextSpan{0, arg.text.size()});
  if (nv.error != nullptr) {
    out.warnings.push_back({std::string(nv.error) + ": \"" + arg.text + "\"", arg.origin});
    return;
  }
  arg.text = std::string(nv.name.In(arg.text)) + "=" + std::string(nv.value.In(arg.text));
}

}  // namespace

PostconfArgs NormalizePostconfArgs(const std::vector<std::string>& words) {
  // postconf inserts the pieces it splits off into its argv and goes on from
  // there; here they wait in `pending` (at most two at a time), so the work
  // stays linear in the number of words.
  PostconfArgs out;
  out.args.reserve(words.size());
  std::vector<PostconfArg> pending;  // a stack: back() comes next
  size_t next_word = 0;
  auto next = [&]() -> std::optional<PostconfArg> {
    if (!pending.empty()) {
      PostconfArg a = std::move(pending.back());
      pending.pop_back();
      return a;
    }
    if (next_word < words.size()) {
      PostconfArg a{words[next_word], next_word};
      ++next_word;
      return a;
    }
    return std::nullopt;
  };
  // The value of an option: a {} value loses its braces and, after -o,
  // becomes name=value.
  auto add_value = [&](PostconfArg value, bool after_o) {
    if (!value.text.empty() && value.text[0] == '{') {
      ExtractInPlace(value, out);
      if (after_o) NormalizeNameValueInPlace(value, out);
    }
    out.args.push_back(std::move(value));
  };
  std::optional<PostconfArg> cur;
  while ((cur = next())) {
    if (EndsOptions(cur->text)) break;
    PostconfArg arg = std::move(*cur);
    // Greedy split: the first 'o' after position 1 starts a new option word,
    // even inside a value ("-omyhostname=foo").
    size_t o = arg.text.find('o', 2);
    if (o != std::string::npos) {
      pending.push_back(PostconfArg{"-" + arg.text.substr(o), arg.origin});
      arg.text.resize(o);
    }
    if (!PostconfOptionTakesValue(arg.text)) {
      out.args.push_back(std::move(arg));
      continue;
    }
    bool after_o = arg.text.size() > 1 && arg.text[1] == 'o';
    if (arg.text.size() > 2) {
      // "-oname=value" becomes "-o" "name=value".
      PostconfArg value{arg.text.substr(2), arg.origin};
      arg.text.resize(2);
      out.args.push_back(std::move(arg));
      add_value(std::move(value), after_o);
    } else {
      out.args.push_back(std::move(arg));
      if (std::optional<PostconfArg> value = next()) add_value(std::move(*value), after_o);
    }
  }
  // Non-option words (from the one that ended the options on) lose their
  // outer braces.
  for (; cur; cur = next()) {
    PostconfArg arg = std::move(*cur);
    if (!arg.text.empty() && arg.text[0] == '{') ExtractInPlace(arg, out);
    out.args.push_back(std::move(arg));
  }
  return out;
}

}  // namespace postvet
