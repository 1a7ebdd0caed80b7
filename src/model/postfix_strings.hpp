// PostfixStrings: small string routines of Postfix's util library that the
// models need to agree with Postfix byte for byte: split_nameval(),
// mystrtokq(), extpar(), pcf_print_line()'s whitespace normalisation and
// msg_*()'s printable() sanitising.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace postvet {

/// A `name = value` pair after split_nameval() (caller checked it is valid).
struct NameValue {
  std::string name;
  std::string value;
};

/// split_nameval() on a line that SplitNameValueError() accepted.
NameValue SplitNameValue(std::string_view text);

/// mystrtokq(): tokens separated by `separators`; `{`...`}` groups
/// separators (a `}` with no open group is an ordinary byte).
std::vector<std::string_view> SplitTokensQuoted(std::string_view text, std::string_view separators);

/// extpar() result: the text inside the braces and the error (empty if none).
struct ExtparResult {
  std::string text;
  std::string error;  ///< e.g. `missing '}' in "{a"`
};

/// extpar(text, "{}", strip ? EXTPAR_FLAG_STRIP : 0) on a token starting with '{'.
ExtparResult Extpar(std::string_view token, bool strip);

/// pcf_print_line(): runs of SP/HT/CR/LF become one space; ends trimmed.
std::string NormalizeSpace(std::string_view text);

/// printable(text, '?'): what msg_warn() shows of arbitrary bytes.
std::string Printable(std::string_view text);

}  // namespace postvet
