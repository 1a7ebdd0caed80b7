// Byte edits that delete words from a list-valued parameter (a main.cf
// value, possibly over continuation lines, or a master.cf `-o` value) and
// leave a list Postfix reads as the same list minus those words.
//
// Contract: each maximal run of adjacent deleted words goes together with
// exactly one separator next to it: the separators up to the next word when
// it is on the same line; the whole physical line when the run fills a
// continuation line of its own; the separator before it when it ends the
// value (so no trailing comma is left behind). Comment lines inside a
// continuation are never touched, and every other byte of the file stays as
// it was. The edits refuse (nullopt) words that are not whole words of one
// value, or runs with a comment line between their words.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "src/engine/diagnostic.hpp"
#include "src/model/logical_line.hpp"

namespace postvet {
class LintContext;
}

namespace postvet::dnsbl {

/// The raw bytes of one parameter value: a main.cf definition's value or a
/// master.cf `-o name=value` value.
struct ValueSpan {
  const Source* source = nullptr;
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// The value that holds `where` (a word of a list), or nullopt.
std::optional<ValueSpan> FindValueSpan(const LintContext& ctx, const Location& where);

/// The words of values already scanned, for callers deleting from the same
/// value many times. Valid while the Sources it has seen live unchanged.
struct WordCache {
  std::map<std::pair<const Source*, uint32_t>, std::vector<ByteRange>> words;
};

/// Edits deleting `words` (byte ranges of whole words of `value`).
std::optional<std::vector<Edit>> DeleteWords(const ValueSpan& value, std::vector<ByteRange> words,
                                            WordCache* cache = nullptr);

/// The words of a value as Postfix splits it (", \t\r\n" outside `{}`),
/// as raw byte ranges; comment lines inside continuations are skipped.
std::vector<ByteRange> RawWords(const ValueSpan& value);

}  // namespace postvet::dnsbl
