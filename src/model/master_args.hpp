// The string primitives master.cf parsing rests on, as Postfix 3.7 has them
// (util/mystrtok.c, util/extpar.c, util/split_nameval.c; format spec 4 and
// 5.3), written over spans of one logical line's text instead of cutting the
// text in place, so every piece keeps its position and can be reported at
// its bytes. Also postconf's own rewriting of daemon arguments
// (pcf_normalize_daemon_args, postconf/postconf_master.c), which differs from
// what the daemons see.
//
// Contract: pure functions on byte strings; no allocation beyond results; no
// recursion; never read outside the given spans.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postvet {

/// A range [begin, end) of positions in a logical line's text.
struct TextSpan {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  std::string_view In(std::string_view text) const { return text.substr(begin, end - begin); }
};

/// True for the bytes master.cf splits words at: SP HT CR LF (CHARS_SPACE).
/// VT and FF are word bytes.
bool IsMasterBlank(char c);

/// The next word at or after `*pos`, split at blanks with no grouping
/// (mystrtok(), what master(8) uses for fields 1-8). Advances `*pos` past the
/// word and one separator; nullopt at the end of the text.
std::optional<TextSpan> NextPlainWord(std::string_view text, size_t* pos);

/// The next word at or after `*pos`, where a `{` anywhere raises a nesting
/// level that blanks do not split (mystrtokq() with "{}"). A `}` at level 0
/// is an ordinary byte; an unclosed `{` runs to the end of the text.
std::optional<TextSpan> NextGroupedWord(std::string_view text, size_t* pos);

/// Every grouped word of `text` from `pos` on (argv_splitq()).
std::vector<TextSpan> SplitGroupedWords(std::string_view text, size_t pos = 0);

/// `span` without ISSPACE() bytes (SP HT VT FF CR LF) at either end, as
/// extpar() and split_nameval() trim.
TextSpan TrimSpan(std::string_view text, TextSpan span);

/// What extpar(EXTPAR_FLAG_STRIP) makes of a word that starts with `{`: the
/// text inside the braces with blanks trimmed at both ends, and Postfix's
/// error message when the braces are unbalanced (`missing '}' in "..."`) or
/// followed by more text (`syntax error after '}' in "..."`). Postfix still
/// uses the extracted text after either error.
struct Extracted {
  TextSpan inner;
  std::string error;  // empty when well-formed
};
/// `word` must start with `{`.
Extracted ExtractBraces(std::string_view text, TextSpan word);

/// What split_nameval() makes of `span`: the name (up to blank or `=`) and the
/// value (after `=`, blanks trimmed), or an error: "missing attribute name"
/// or "missing '=' after attribute name".
struct NameValueSpans {
  TextSpan name;
  TextSpan value;
  const char* error = nullptr;  // static string; nullptr when well-formed
};
NameValueSpans SplitNameValue(std::string_view text, TextSpan span);

/// One argument after postconf's rewriting, and which original argument word
/// (index into the words after the 8 fields) it came from.
struct PostconfArg {
  std::string text;
  size_t origin = 0;
};

/// postconf's rewriting of the words after the 8 fields, warnings included
/// (`missing '}' in "..."`, `missing attribute name: ""`, ...). Reproduces
/// its greedy option splitting: any `o` after the first letter of a `-` word
/// in the option part splits the word there, so `-omyhostname=foo` becomes
/// `-o myh -o stname=f -o -o` (format spec 5.3). A lone `-` counts as an
/// option that takes the next word as its value, as it does in postconf.
struct PostconfArgs {
  std::vector<PostconfArg> args;
  struct Warning {
    std::string message;  // postconf's text after "master.cf: "
    size_t origin = 0;
  };
  std::vector<Warning> warnings;
};
PostconfArgs NormalizePostconfArgs(const std::vector<std::string>& words);

/// True when postconf treats `arg` (in the option part) as an option that
/// takes the next word as its value: `-o...` and, by an off-by-one in
/// postconf, a lone `-`.
bool PostconfOptionTakesValue(std::string_view arg);

}  // namespace postvet
