// MainCf: main.cf as Postfix's dict_load_fp() stores it (format spec
// section 2), built from the lossless Cst of ParseMainCf().
//
// Contract: every definition is kept in file order with its byte ranges;
// the effective value of a name is its last definition; values are exactly
// the C strings Postfix stores (continuations joined, cut at the first NUL,
// whitespace trimmed). Lines Postfix rejects are reported as data with
// Postfix's own reason text and an offset. Nothing here prints.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/cst.hpp"

namespace postvet {

/// One `name = value` line.
struct MainCfDefinition {
  std::string_view name;     ///< view into the Source
  /// The value Postfix stores: a view into the Source, or into the model's
  /// own storage when it had to be joined from several lines.
  std::string_view value;
  uint32_t node = 0;         ///< Cst index of the parameter node
  uint32_t line = 0;         ///< first physical line (Postfix's line number)
  uint32_t name_begin = 0;   ///< byte range of the name
  uint32_t name_end = 0;
  uint32_t value_begin = 0;  ///< raw byte range of the value (empty when no value)
  uint32_t value_end = 0;
};

/// A logical line Postfix does not accept as a definition.
struct MainCfBadLine {
  enum class Kind {
    kMissingEquals,      ///< fatal: missing '=' after attribute name
    kMissingName,        ///< fatal: missing attribute name
    kLeadingWhitespace,  ///< warning: logical line must not start with whitespace
  };
  Kind kind = Kind::kMissingEquals;
  std::string reason;  ///< Postfix's text, e.g. `missing attribute name: "= a"`
  uint32_t node = 0;   ///< Cst index of the bad_line / bad_leading node
  uint32_t line = 0;
  uint32_t begin = 0;  ///< byte range of the logical line
  uint32_t end = 0;
  /// True when Postfix stops reading (msg_fatal) at this line.
  bool fatal() const { return kind != Kind::kLeadingWhitespace; }
};

/// A definition that replaces an earlier one of the same name.
struct MainCfOverride {
  uint32_t earlier = 0;  ///< index into definitions()
  uint32_t later = 0;    ///< index into definitions()
  /// Postfix warns "overriding earlier entry" only when the values differ.
  bool value_differs = false;
};

/// The definitions of one main.cf.
class MainCf {
 public:
  /// Builds the model from a Cst made by ParseMainCf().
  static MainCf Build(const Cst& cst);
  /// Builds the same model straight from main.cf's bytes, without a Cst,
  /// for commands that read only the definitions (`show`): a hand-written
  /// scanner of the same grammar (grammar/main_cf.hpp), so nothing but the
  /// definitions and bad lines is materialised. Every `node` is Cst::kNone.
  /// `bytes` must outlive the model and is changed in place: a value
  /// continued over several lines is joined where it stands (its join bytes
  /// squeezed out), so the bytes between the joined value's end and
  /// `value_end` are stale; all other bytes are left as they were.
  static MainCf BuildInPlace(std::string& bytes) { return BuildInPlace(bytes.data(), bytes.size()); }
  /// BuildInPlace() of the `size` bytes at `data`.
  static MainCf BuildInPlace(char* data, size_t size);
  /// The model of an empty main.cf (the built-in defaults alone), built once.
  static const MainCf& Empty();

  MainCf() = default;
  MainCf(MainCf&&) = default;
  MainCf& operator=(MainCf&&) = default;
  MainCf(const MainCf&) = delete;  // values may point into this object's storage
  MainCf& operator=(const MainCf&) = delete;

  /// Every definition, in file order (also those after a fatal bad line).
  const std::vector<MainCfDefinition>& definitions() const { return definitions_; }
  /// The effective (last) definition of `name`, or null.
  const MainCfDefinition* Find(std::string_view name) const;
  /// The effective value of `name`, or nullopt when main.cf does not set it.
  std::optional<std::string_view> Value(std::string_view name) const;
  /// Each redefinition, in file order.
  const std::vector<MainCfOverride>& overrides() const { return overrides_; }
  /// Lines Postfix rejects or discards, in file order.
  const std::vector<MainCfBadLine>& bad_lines() const { return bad_lines_; }
  /// The first line at which Postfix would stop with a fatal error, or null.
  const MainCfBadLine* FirstFatal() const;
  /// Indices of the effective definitions, in the order their names first appear.
  const std::vector<uint32_t>& EffectiveInOrder() const { return effective_; }

 private:
  std::vector<MainCfDefinition> definitions_;
  std::deque<std::string> joined_values_;  // values of continued lines (stable addresses)
  std::vector<MainCfOverride> overrides_;
  std::vector<MainCfBadLine> bad_lines_;
  std::vector<uint32_t> effective_;                      // see EffectiveInOrder()
  // Name index: open addressing over a power-of-two table; a bucket holds
  // the name's position in effective_ plus one (0 = empty) in its low 32
  // bits and the high 32 bits of the name's hash above, so that a probe
  // past another name rarely has to read that name.
  std::vector<uint64_t> index_;
  // The bucket that holds `name` (whose hash is `hash`), or the empty bucket
  // where it would go.
  size_t Probe(std::string_view name, uint64_t hash) const;
  // Fills index_, effective_ and overrides_ from definitions_.
  void IndexDefinitions();
};

/// Postfix's split_nameval() applied to a logical line `text` (already cut at
/// NUL): returns the error text ("missing attribute name" / "missing '=' after
/// attribute name") or nullopt when the line is a valid definition.
std::optional<std::string_view> SplitNameValueError(std::string_view text);

/// `text` cut at its first NUL byte, as Postfix's C strings are.
std::string_view CutAtNul(std::string_view text);

}  // namespace postvet
