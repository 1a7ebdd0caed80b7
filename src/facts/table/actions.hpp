// Header/body check actions: how Postfix splits a table result into an
// action word and its text, which programs understand which action, and
// what each action demands of its text. Follows Postfix 3.7's
// cleanup_act() (cleanup/cleanup_message.c), hbc_action()
// (global/header_body_checks.c, used by smtp(8) and for
// milter_header_checks) and cleanup_milter_hbc_extend()
// (cleanup/cleanup_milter.c); format spec section 7.
//
// Contract: the action word is the result up to the first space or tab,
// compared case-insensitively as a whole word; the text is the rest after
// whitespace. Results that use `$n` are split on their literal parts only:
// a word or text that depends on a match group is reported as dynamic, and
// callers must not judge what they cannot know.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/facts/table/table_common.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {

enum class CheckAction : uint8_t {
  kReject, kWarn, kInfo, kFilter, kPass, kDiscard, kHold, kPrepend,
  kReplace, kRedirect, kBcc, kStrip, kIgnore, kDunno, kOk, kUnknown,
};

/// A result split the way cleanup_act()/hbc_action() split it.
struct ActionText {
  std::string word;          ///< the action word (`$$` already `$`)
  bool word_dynamic = false; ///< the word contains a `$n` reference
  std::string text;          ///< the text after the word and whitespace; `$n` left out
  bool text_dynamic = false; ///< the text contains a `$n` reference
  size_t word_end = 0;       ///< offsets into the entry's result text
  size_t text_begin = 0;
};

/// Splits `entry`'s result.
ActionText SplitAction(const TableEntry& entry);
/// Splits a result text (RegexpTable::ResultText(), no entry needed).
ActionText SplitAction(std::string_view result);

/// The action a word names (case-insensitive, whole word), or kUnknown.
CheckAction ParseAction(std::string_view word);

/// "REJECT", "WARN", ...
std::string_view ActionName(CheckAction action);

/// Whether `program` carries out `action`. Milter's PREPEND is not: cleanup
/// warns "the milter_header/body_checks prepend action is not implemented".
bool Supports(ChecksProgram program, CheckAction action);

/// The actions `program` supports, as "REJECT, WARN, ..." for messages.
std::string SupportedList(ChecksProgram program);

/// The known action word closest to `word` (edit distance <= 2), if any.
std::optional<std::string_view> NearestAction(std::string_view word);

/// The warning Postfix logs when `action` (supported by the program) gets
/// `text` it cannot use, with `map` as the map name; nullopt when the text
/// is fine. `header` is the header context of the parameter.
std::optional<std::string> ArgumentProblem(CheckAction action, std::string_view text, bool header,
                                           std::string_view map);

/// is_header() (global/is_header.c): `text` starts with a header label,
/// optional blanks, and ':'.
bool IsHeaderText(std::string_view text);

}  // namespace postvet
