// regexp: and pcre: table grammar (dict_regexp.c, dict_pcre.c; format spec
// section 6). The first byte of a logical line decides what it is: a byte
// that is not a letter or digit starts a rule `[!]/pattern/flags result`;
// `if` or `endif` (any case) followed by a non-alphanumeric byte is IF or
// ENDIF; anything else is an unrecognized request (bad_line). The pattern
// delimiter is any byte but space, '!' and NUL; a backslash escapes the next
// byte. Both table types share this grammar except for the flags: regexp
// flags stop at '!' (for the `/a/!/b/` form), pcre flags only at space.
// Validation of flags, patterns and results is the model's job.
#pragma once

#include "grammar/line_layer.hpp"

namespace postvet::grammar::regexp_table {

/// Space, possibly spanning continuation lines.
struct space : pegtl::plus<pegtl::sor<sp, join>> {};
/// The run of '!' and space before a pattern; each '!' flips the match.
struct negation : pegtl::plus<pegtl::sor<pegtl::one<'!'>, sp, join>> {};

/// Scans `<d>body<d>` at `p` for any delimiter byte d; returns the byte after
/// the closing delimiter, or nullptr when the delimiter is not closed before
/// the end of the logical line.
inline const char* ScanPattern(const char* p, const char* end) {
  if (p == end) return nullptr;
  const char delim = *p;
  if (delim == ' ' || delim == '\t' || delim == '\v' || delim == '\f' || delim == '\r' ||
      delim == '\n' || delim == '!' || delim == '\0') {
    return nullptr;
  }
  ++p;
  bool escaped = false;
  while (p != end) {
    if (*p == '\n') {
      size_t join = JoinLength(p, end);
      if (join == 0) return nullptr;
      p += join;
      continue;
    }
    if (escaped) {
      escaped = false;
    } else if (*p == '\\') {
      escaped = true;
    } else if (*p == delim) {
      return p + 1;
    }
    ++p;
  }
  return nullptr;
}

/// `<d>body<d>` for any delimiter byte d (see ScanPattern).
struct pattern {
  using rule_t = pattern;
  using subs_t = pegtl::type_list<>;

  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const char* after = ScanPattern(in.current(), in.end());
    if (after == nullptr) return false;
    in.bump(static_cast<size_t>(after - in.current()));
    return true;
  }
};

/// Lookahead for the regexp second pattern: a '!' right after the flags
/// (dict_regexp_get_pats() tests the very next byte), more '!' and space,
/// then a closed pattern. Hand-written and non-consuming, so that a failed
/// attempt leaves no stray CST nodes behind.
struct second_pattern_ahead {
  using rule_t = second_pattern_ahead;
  using subs_t = pegtl::type_list<>;

  template <typename ParseInput>
  static bool match(ParseInput& in) {
    const char* p = in.current();
    const char* end = in.end();
    if (p == end || *p != '!') return false;
    while (p != end) {
      if (*p == '!' || *p == ' ' || *p == '\t' || *p == '\v' || *p == '\f' || *p == '\r') {
        ++p;
      } else if (*p == '\n') {
        size_t join = JoinLength(p, end);
        if (join == 0) return false;
        p += join;
      } else {
        break;
      }
    }
    return ScanPattern(p, end) != nullptr;
  }
};

struct regexp_flags : pegtl::star<pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n', '!'>> {};
struct pcre_flags : pegtl::star<pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n'>> {};

struct text_byte : pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n'> {};
struct result : trimmed_text<sp, text_byte> {};
struct extra_text : trimmed_text<sp, text_byte> {};

/// The regexp-only second pattern that must not match: `/a/!/b/`.
template <typename Flags>
struct second_pattern : pegtl::seq<second_pattern_ahead, negation, pattern, Flags> {};

template <typename Flags>
struct rule_line
    : pegtl::seq<pegtl::not_at<pegtl::alnum>, pegtl::opt<negation>, pattern, Flags,
                 pegtl::opt<second_pattern<Flags>>, pegtl::opt<space>, pegtl::opt<result>,
                 pegtl::opt<trailing_space>, line_end> {};

struct if_keyword : pegtl::seq<pegtl::istring<'i', 'f'>, pegtl::not_at<pegtl::alnum>> {};
struct endif_keyword
    : pegtl::seq<pegtl::istring<'e', 'n', 'd', 'i', 'f'>, pegtl::not_at<pegtl::alnum>> {};

template <typename Flags>
struct if_line
    : pegtl::seq<if_keyword, pegtl::opt<negation>, pegtl::opt<pattern, Flags>, pegtl::opt<space>,
                 pegtl::opt<extra_text>, pegtl::opt<trailing_space>, line_end> {};

struct endif_line : pegtl::seq<endif_keyword, pegtl::opt<space>, pegtl::opt<extra_text>,
                               pegtl::opt<trailing_space>, line_end> {};

/// A whole table; `Flags` is regexp_flags or pcre_flags.
/// bad_leading comes before rule_line: a rule's negation run accepts leading
/// whitespace, and readllines() discards a first line that starts with it.
template <typename Flags>
struct file : pegtl::seq<pegtl::star<pegtl::sor<dropped_line, bad_leading, if_line<Flags>,
                                                endif_line, rule_line<Flags>, bad_line>>,
                         pegtl::eof> {};

}  // namespace postvet::grammar::regexp_table
