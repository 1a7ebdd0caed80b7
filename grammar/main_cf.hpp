// main.cf grammar (split_nameval(), util/split_nameval.c; format spec
// section 2): each logical line is `name = value`. The name is the longest
// run of bytes that are neither whitespace nor '='; whitespace (also across
// a continuation) may stand before the '='; the value is the rest, with the
// whitespace at both ends trimmed. There are no inline comments: a '#' after
// a value belongs to the value.
#pragma once

#include "grammar/line_layer.hpp"

namespace postvet::grammar::main_cf {

/// Bytes that end a name. NUL ends it too: Postfix reads the line as a C
/// string, so "ab\0 = x" has the name "ab" and no '='.
struct name_byte : pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n', '=', '\0'> {};
struct name : pegtl::plus<name_byte> {};
struct equals : pegtl::one<'='> {};
/// Whitespace around '=', possibly spanning continuation lines.
struct space : pegtl::plus<pegtl::sor<sp, join>> {};
struct value_byte : pegtl::not_one<' ', '\t', '\v', '\f', '\r', '\n'> {};
struct value : trimmed_text<sp, value_byte> {};

struct parameter : pegtl::seq<name, pegtl::opt<space>, equals, pegtl::opt<space>, pegtl::opt<value>,
                              pegtl::opt<trailing_space>, line_end> {};

/// A whole main.cf. Total: every input parses; lines that are not
/// parameters become bad_leading / bad_line nodes.
struct file : pegtl::seq<pegtl::star<pegtl::sor<dropped_line, parameter, bad_leading, bad_line>>,
                         pegtl::eof> {};

}  // namespace postvet::grammar::main_cf
