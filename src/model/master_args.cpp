#include "src/model/master_args.hpp"

#include "src/cst.hpp"

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

TextSpan TrimSpan(std::string_view text, TextSpan span) {
  while (span.begin < span.end && IsSpace(text[span.begin])) ++span.begin;
  while (span.end > span.begin && IsSpace(text[span.end - 1])) --span.end;
  return span;
}

}  // namespace

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
void ExtractInPlace(PostconfArgs& out, size_t i) {
  std::string& arg = out.args[i].text;
  Extracted ex = ExtractBraces(arg, TextSpan{0, arg.size()});
  if (!ex.error.empty()) out.warnings.push_back({ex.error, out.args[i].origin});
  arg = std::string(ex.inner.In(arg));
}

// pcf_normalize_nameval(): rewrite "name = value" as "name=value".
void NormalizeNameValueInPlace(PostconfArgs& out, size_t i) {
  std::string& arg = out.args[i].text;
  NameValueSpans nv = SplitNameValue(arg, TextSpan{0, arg.size()});
  if (nv.error != nullptr) {
    out.warnings.push_back({std::string(nv.error) + ": \"" + arg + "\"", out.args[i].origin});
    return;
  }
  arg = std::string(nv.name.In(arg)) + "=" + std::string(nv.value.In(arg));
}

}  // namespace

PostconfArgs NormalizePostconfArgs(const std::vector<std::string>& words) {
  PostconfArgs out;
  out.args.reserve(words.size());
  for (size_t i = 0; i < words.size(); ++i) out.args.push_back({words[i], i});
  auto& args = out.args;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    if (EndsOptions(args[i].text)) break;
    // Greedy split: the first 'o' after position 1 starts a new option word,
    // even inside a value ("-omyhostname=foo").
    {
      const std::string& arg = args[i].text;
      size_t o = arg.find('o', 2);
      if (o != std::string::npos) {
        PostconfArg tail{"-" + arg.substr(o), args[i].origin};
        args[i].text.resize(o);
        args.insert(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(tail));
      }
    }
    if (!PostconfOptionTakesValue(args[i].text)) continue;
    bool extract = false;
    if (args[i].text.size() > 2) {
      // "-oname=value" becomes "-o" "name=value".
      PostconfArg value{args[i].text.substr(2), args[i].origin};
      args[i].text.resize(2);
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(value));
      ++i;
      extract = args[i].text.size() > 0 && args[i].text[0] == '{';
    } else if (i + 1 < args.size()) {
      ++i;
      extract = args[i].text.size() > 0 && args[i].text[0] == '{';
    }
    if (extract) {
      ExtractInPlace(out, i);
      if (args[i - 1].text.size() > 1 && args[i - 1].text[1] == 'o') NormalizeNameValueInPlace(out, i);
    }
  }
  // Non-option words lose their outer braces.
  for (; i < args.size(); ++i) {
    if (!args[i].text.empty() && args[i].text[0] == '{') ExtractInPlace(out, i);
  }
  return out;
}

}  // namespace postvet
