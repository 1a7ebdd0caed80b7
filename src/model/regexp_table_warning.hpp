// The warnings Postfix prints while it loads a regexp: or pcre: table
// (util/dict_regexp.c, util/dict_pcre.c, util/readlline.c), as
// RegexpTable (regexp_table.hpp) records them: one code per distinct
// message, with its prefix, line, range and exact text.
#pragma once

#include <cstdint>
#include <string>

#include "src/model/logical_line.hpp"

namespace postvet {

/// Warning kinds, one per distinct Postfix message.
enum class TableWarningCode : uint8_t {
  kLeadingWhitespace,    // "logical line must not start with whitespace" (readllines)
  kUnrecognizedRequest,  // "ignoring unrecognized request"
  kNoRegexp,             // "no regexp: skipping this rule"
  kNoClosingDelimiter,   // "no closing regexp delimiter "/": skipping|ignoring this rule"
  kUnknownOption,        // "unknown regexp option "q": skipping this rule"
  kObsoleteOption,       // pcre "ignoring obsolete regexp option "X""
  kNoReplacementText,    // "no replacement text: using empty string"
  kNonNumericIndex,      // "non-numeric replacement index "x""
  kIndexZero,            // "out-of-range replacement index "0"" (pcre: "out of range")
  kTruncatedMacro,       // mac_parse "truncated macro reference: "...""
  kEmptyMacroName,       // mac_parse "empty macro name: "...""
  kBadReplacement,       // "bad replacement syntax: skipping this rule"
  kNegatedReference,     // "$number found in negative match replacement text: ..."
  kCompileError,         // regerror() text / "error in regex at offset N: ..."
  kIndexOutOfRange,      // "out of range replacement index "N": skipping this rule"
  kIfExtraText,          // "ignoring extra text after IF statement: "...""
  kIfWhitespaceHint,     // "do not prepend whitespace to statements between IF and ENDIF"
  kEndifExtraText,       // "ignoring extra text after ENDIF"
  kEndifWithoutIf,       // "ignoring ENDIF without matching IF"
  kIfWithoutEndif,       // "IF has no matching ENDIF"
  kMatchError,           // at lookup: regexec() error text / PCRE2 "match limit exceeded"
};

/// How Postfix prefixes a warning.
enum class WarningPrefix : uint8_t {
  kMap,   // "regexp map FILE, line N: " (or "pcre map")
  kFile,  // "FILE: " (readllines)
  kNone,  // mac_parse warnings carry no prefix
};

/// One warning Postfix prints when it loads the table.
struct TableWarning {
  TableWarningCode code;
  WarningPrefix prefix = WarningPrefix::kMap;
  uint32_t line = 0;   ///< Postfix's line number
  ByteRange range;     ///< the offending bytes (the whole line when nothing narrower fits)
  std::string text;    ///< Postfix's text after the prefix, raw bytes (not yet sanitised)
  uint32_t entry = 0;  ///< index of the TableEntry it belongs to
  int pcre_code = 0;   ///< kMatchError of a pcre table: the PCRE2 error code
};

}  // namespace postvet
