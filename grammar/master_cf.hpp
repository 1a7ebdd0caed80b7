// master.cf grammar (format spec section 5): each logical line is one
// service, words separated by SP, HT or CR (VT and FF are word bytes here).
// The first 8 words are the fields; the rest are arguments. Inside a word,
// '{' opens a group that may hold separators and continuation lines, and the
// matching '}' closes it (mystrtokq()); a '}' with no open group is an
// ordinary byte; an unclosed '{' swallows the rest of the logical line.
// postconf groups braces in all fields, the master daemon only in arguments:
// the model reports where the two disagree.
#pragma once

#include "grammar/line_layer.hpp"

namespace postvet::grammar::master_cf {

struct separator : pegtl::one<' ', '\t', '\r'> {};
/// Lookahead, consuming nothing and making no nodes: at an LF that joins a
/// continuation line whose first byte is VT or FF. Those bytes are not word
/// separators for Postfix (it splits at SP HT CR LF only), so the word before
/// the LF goes on into the continuation line.
struct glued_join_ahead {
  using rule_t = glued_join_ahead;
  using subs_t = pegtl::type_list<>;

  template <typename ParseInput>
  static bool match(ParseInput& in) {
    size_t join = JoinLength(in.current(), in.end());
    if (join == 0 || static_cast<size_t>(in.end() - in.current()) <= join) return false;
    char next = in.current()[join];
    return next == '\v' || next == '\f';
  }
};
/// A join that does not glue two words together.
struct splitting_join : pegtl::seq<pegtl::not_at<glued_join_ahead>, join> {};
/// A join inside a word (see glued_join_ahead).
struct glued_join : pegtl::seq<pegtl::at<glued_join_ahead>, join> {};

/// Space between words, possibly spanning continuation lines.
struct space : pegtl::plus<pegtl::sor<separator, splitting_join>> {};

/// A '{' group inside a word, matched iteratively (no recursion, so nesting
/// depth cannot overflow the stack). Steps over joins; stops at the end of
/// the logical line when the group is not closed.
struct brace_group {
  using rule_t = brace_group;
  using subs_t = pegtl::type_list<>;

  template <typename ParseInput>
  static bool match(ParseInput& in) {
    if (in.empty() || in.peek_char() != '{') return false;
    size_t level = 0;
    while (!in.empty()) {
      char c = in.peek_char();
      if (c == '\n') {
        size_t join = JoinLength(in.current(), in.end());
        if (join == 0) break;  // end of the logical line: the group stays open
        in.bump(join);
        continue;
      }
      in.bump(1);
      if (c == '{') {
        ++level;
      } else if (c == '}' && --level == 0) {
        break;
      }
    }
    return true;
  }
};

struct word_byte : pegtl::not_one<' ', '\t', '\r', '\n'> {};
struct word : pegtl::plus<pegtl::sor<brace_group, word_byte, glued_join>> {};
struct field : word {};
struct argument : word {};

// Named, so that a failed attempt drops the space node it made (the CST
// builder only rewinds named rules).
struct spaced_field : pegtl::seq<space, field> {};
struct spaced_argument : pegtl::seq<space, argument> {};

struct service : pegtl::seq<field, pegtl::rep<7, spaced_field>, pegtl::star<spaced_argument>,
                            pegtl::opt<space>, line_end> {};

/// A whole master.cf. Total: lines with fewer than 8 fields become bad_line.
struct file : pegtl::seq<pegtl::star<pegtl::sor<dropped_line, service, bad_leading, bad_line>>,
                         pegtl::eof> {};

}  // namespace postvet::grammar::master_cf
