// Terminal-safe text for the text and gcc formats. Configuration bytes and
// messages quoting them may hold control characters (an ESC would let a
// crafted file drive the user's terminal), invalid UTF-8, or invisible and
// bidirectional code points that make the shown text differ from what
// Postfix reads. Those are written as visible escapes instead: `\n`, `\r`,
// `\xNN` for a byte, `\u{XXXX}` for a code point. A backslash itself is not
// escaped: Postfix regexps are full of them and must stay readable.
//
// This is the one escaping path for input-derived text (config bytes, log
// lines, DNS names, file names) that postvet writes to a terminal, stdout
// or stderr: the check reporters, `diff`, `tune`, `.postvet.cf` errors and
// warnings, `--baseline-report` and the `diff --git` export errors all go
// through TerminalSafe() or TerminalSafeLines(). Both are idempotent: text
// they produced passes through unchanged.
#pragma once

#include <string>
#include <string_view>

#include "src/base/utf8.hpp"

namespace postvet::report {

/// The escape to show instead of `unit`, or "" when it prints as itself.
/// A tab prints as itself (the caller expands it where columns matter).
std::string EscapeForTerminal(const Utf8Unit& unit);

/// `text` with every unit that EscapeForTerminal() escapes replaced, so that
/// it prints on one line and sends no control sequence.
std::string TerminalSafe(std::string_view text);

/// Like TerminalSafe(), but keeps line feeds: for multi-line text built
/// from input (a report whose lines each quote input).
std::string TerminalSafeLines(std::string_view text);

/// Terminal columns a code point that prints as itself occupies: 0 for
/// combining marks, 2 for East Asian wide and emoji ranges, else 1.
unsigned DisplayWidth(char32_t code_point);

}  // namespace postvet::report
