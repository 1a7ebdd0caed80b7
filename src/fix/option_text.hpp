// What an `-o` option in master.cf was meant to say, and the byte edits that
// write it properly (format spec 5.3). Shared by PV401 (delete an option),
// PV404 (blanks around '=') and PV405 (a value whose words became daemon
// arguments), so PV404 and PV405 propose the very same rewrite when both
// apply to one option. Not a rule.
//
// The daemon's getopt() stops reading options at the first word that is not
// one; `-o name = value`, `-o name= value` and `-o name=a b` all leave words
// behind that were meant as part of the value. Those words are the ones that
// follow the option up to the next word starting with `-`, except for pipe(8)
// and spawn(8), whose own `attribute=value` arguments legitimately follow
// the options.
//
// Contract: works on the MasterCf model and its Source; the rewrite keeps
// the bytes between the value's words as they are (continuation lines and
// comments included), so only the option's own bytes change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "src/engine/diagnostic.hpp"
#include "src/model/master_cf.hpp"

namespace postvet::master_rules {

/// The option as its author meant it.
struct IntendedOption {
  const MasterOverride* option = nullptr;
  std::string name;
  /// The value's bytes in the Source (words and what lies between them).
  std::string value;
  /// '=' is set off by blanks from the name or the value (PV404).
  bool spaced = false;
  /// Words after the option that the daemon reads as arguments but that
  /// belong to the value (PV405).
  size_t stray_words = 0;
  /// Bytes of the stray words: from the first to the end of the last.
  uint32_t stray_begin = 0;
  uint32_t stray_end = 0;
  /// The bytes a rewrite replaces: the option through its last value word.
  uint32_t begin = 0;
  uint32_t end = 0;
  /// The canonical spelling (`-o name=value` or `-o { name = value }`), or
  /// nullopt when no rewrite is safe (other option letters in the same
  /// word, unbalanced braces in the value, a name Postfix could not read).
  std::optional<std::string> rewrite;
};

/// The intended form of the service's option number `index`, or nullopt for
/// forms these rules leave alone (braced, no '=', missing name or value).
std::optional<IntendedOption> IntendOption(const Source& source, const MasterService& service, size_t index);
/// The same for an option of `service` given by reference (one of its
/// overrides or stranded_overrides).
std::optional<IntendedOption> IntendOption(const Source& source, const MasterService& service,
                                           const MasterOverride& option);

/// What the service's daemon does with `word` when it is the first
/// argument after the options: "dies: unexpected command-line argument: X"
/// for most daemons, "ignores it" for smtp/lmtp and postscreen, "takes it as
/// its own argument" for pipe and spawn.
std::string ArgumentFate(const MasterService& service, std::string_view word);

/// `-o name=value` when the value has no blanks, else `-o { name = value }`
/// (Postfix 3.0 and later); nullopt when braces in the value would break the
/// grouping or the name is empty or holds blanks, '=' or braces.
std::optional<std::string> CanonicalOption(std::string_view name, std::string_view value);

/// The edit that deletes the option in [begin, end) with the blanks that set
/// it off: the whole physical line when the option is alone on it, else the
/// blanks before it (or after it, at the start of a line).
Edit DeleteOptionEdit(const Source& source, uint32_t begin, uint32_t end);

}  // namespace postvet::master_rules
