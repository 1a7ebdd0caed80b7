// The line layer every Postfix configuration file shares (readllines(),
// util/readlline.c; format spec section 1), as PEGTL rules.
//
// A physical line that is empty, all whitespace, or whose first non-space
// byte is '#' is dropped wherever it stands, even inside a continuation. A
// line that starts with whitespace continues the current logical line.
// There is no backslash continuation and no quoting. CR is an ordinary
// whitespace byte, NUL an ordinary byte (consumers cut the text there).
//
// Grammar only: no actions, no CST types. grammar/cst_builder.cpp decides
// which of these rules become nodes.
#pragma once

#include <cstddef>

#include <tao/pegtl.hpp>

namespace postvet::grammar {

namespace pegtl = tao::pegtl;

/// ISSPACE() bytes other than LF: SP HT VT FF CR.
struct sp : pegtl::one<' ', '\t', '\v', '\f', '\r'> {};
/// The end of a physical line.
struct eol : pegtl::one<'\n'> {};
/// Any byte of a physical line.
struct line_byte : pegtl::not_one<'\n'> {};

// Grammar rules made of unnamed combinators (seq<>, star<A, B>, ...) must not
// hold a node-producing rule that can succeed before a later part fails:
// PEGTL runs no control hooks for its internal rules, so only named rules
// can rewind the CST. Wrap such sequences in a named struct.

/// Empty or all-whitespace line; never zero-length, so star<> terminates.
struct blank_line
    : pegtl::sor<pegtl::seq<pegtl::star<sp>, eol>, pegtl::seq<pegtl::plus<sp>, pegtl::eof>> {};
/// A line whose first non-space byte is '#'.
struct comment_line
    : pegtl::seq<pegtl::star<sp>, pegtl::one<'#'>, pegtl::star<line_byte>, pegtl::opt<eol>> {};
struct dropped_line : pegtl::sor<comment_line, blank_line> {};

/// Lookahead: the next physical line continues the logical line (starts
/// with whitespace and is neither blank nor a comment).
struct continuation_ahead
    : pegtl::at<pegtl::plus<sp>, pegtl::not_at<pegtl::sor<pegtl::one<'#'>, eol, pegtl::eof>>> {};

/// The glue inside a logical line: LF, dropped lines, and a continuation
/// line ahead. Contributes no bytes to the text Postfix sees.
struct join : pegtl::seq<eol, pegtl::star<dropped_line>, continuation_ahead> {};

/// Length of the join that starts at `p` (an LF), or 0 when the logical
/// line ends there. The same test as `join`, for hand-written rules.
inline size_t JoinLength(const char* p, const char* end) {
  if (p == end || *p != '\n') return 0;
  const char* q = p + 1;
  for (;;) {  // skip dropped lines
    const char* r = q;
    while (r != end && (*r == ' ' || *r == '\t' || *r == '\v' || *r == '\f' || *r == '\r')) ++r;
    if (r == end) return 0;
    if (*r == '\n' || *r == '#') {
      while (r != end && *r != '\n') ++r;
      if (r == end) return 0;
      q = r + 1;
      continue;
    }
    return r == q ? 0 : static_cast<size_t>(q - p);  // continuation must start with space
  }
}

/// Any byte of the logical line's text, stepping over joins.
struct logical_byte : pegtl::sor<join, line_byte> {};

/// The end of a logical line.
struct line_end : pegtl::sor<eol, pegtl::eof> {};

/// Space (and joins) followed by non-space text. A named rule, because the
/// CST builder only rewinds the nodes of named rules when they fail.
template <typename Space, typename Byte>
struct text_run : pegtl::seq<pegtl::star<pegtl::sor<Space, join>>, pegtl::plus<Byte>> {};

/// Non-space text of the logical line, with runs of space (and joins) only
/// where more non-space text follows: trailing whitespace is left out.
template <typename Space, typename Byte>
struct trimmed_text : pegtl::plus<text_run<Space, Byte>> {};

/// Whitespace at the end of a logical line (before its LF).
struct trailing_space : pegtl::plus<sp> {};

/// A logical line that starts with whitespace before any other logical line
/// ("logical line must not start with whitespace"); Postfix discards it.
struct bad_leading : pegtl::seq<pegtl::plus<sp>, pegtl::star<logical_byte>, line_end> {};

/// A logical line no other rule accepts; it runs to the end of the logical line.
struct bad_line : pegtl::seq<pegtl::plus<logical_byte>, line_end> {};

}  // namespace postvet::grammar
