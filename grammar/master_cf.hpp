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
/// Space between words, possibly spanning continuation lines.
struct space : pegtl::plus<pegtl::sor<separator, join>> {};

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
struct word : pegtl::plus<pegtl::sor<brace_group, word_byte>> {};
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
