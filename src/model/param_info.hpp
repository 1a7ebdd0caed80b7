// ParamInfo: what postvet knows about each Postfix main.cf parameter — its
// type as the daemons convert it, its bounds, enum values, the releases that
// know it, renames and deprecations, and whether its 3.7 default adapts to
// ${stress}. Loaded from the embedded rules/data/postfix-params.tsv and
// rules/data/postfix-obsolete.tsv (both made by rules/data/gen-params.py from
// the Postfix release history and the installed 3.7; see its docstring).
//
// Columns of postfix-params.tsv (header row required, tab-separated, `-` =
// none): name, type (int size bool time string raw list maps enum nint nbool
// level), unit (time default unit s/m/h/d/w), min, max (0 in Postfix's tables
// means "no bound" and is written `-`; for string-like types they bound the
// length), enum (`|`-separated words; a leading `mask:` means a list of
// words as name_mask() reads it; an empty word means the empty value is
// accepted), since, removed (first series where postconf no longer knows the
// name), deprecated, renamed_to (a pure rename: the value keeps its meaning),
// stress_default (`yes`), notes.
// postfix-obsolete.tsv: name, kind (parameter|restriction), deprecated,
// removed, replacement, fix (rename|none), notes.
//
// Contract: ParamTable::Parse() checks every row (field count, type, unit,
// numbers, versions, enum syntax, unique names, renamed_to targets exist) and
// fails with a Status naming the file and line; a ParamTable that exists is
// consistent. Versions are "major.minor" series; a patch level is ignored.
// Parameter names are case-sensitive (as in main.cf); restriction names are
// not (smtpd compares them with strcasecmp).
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <map>
#include <vector>

#include "src/base/status.hpp"

namespace postvet {

/// A Postfix release series, "major.minor" ("1.0" is the 20010228 release).
struct PostfixVersion {
  int major = 0;
  int minor = 0;

  /// Parses "3.7", "3.10" or "3.7.11" (the patch level is ignored).
  static std::optional<PostfixVersion> Parse(std::string_view text);
  /// "major.minor".
  std::string ToString() const;
  friend auto operator<=>(const PostfixVersion&, const PostfixVersion&) = default;
};

/// How the daemons convert a parameter's value (global/mail_conf_*.c).
enum class ParamType : uint8_t {
  kInt,     ///< CONFIG_INT_TABLE: strtol, must fit in int
  kSize,    ///< CONFIG_LONG_TABLE: strtol into long; every one is a byte count
  kBool,    ///< CONFIG_BOOL_TABLE: yes/no, any case
  kTime,    ///< CONFIG_TIME_TABLE: digits and an optional unit letter
  kNint,    ///< CONFIG_NINT_TABLE: an int whose default is an expression
  kNbool,   ///< CONFIG_NBOOL_TABLE: a bool whose default is an expression
  kString,  ///< CONFIG_STR_TABLE, free text
  kRaw,     ///< CONFIG_RAW_TABLE: text never $-expanded by mail_conf
  kList,    ///< string split into a list (match lists, restriction lists)
  kMaps,    ///< string naming lookup tables
  kEnum,    ///< string checked against a fixed set of words
  kLevel,   ///< compatibility_level: major[.minor[.patch]]
};

/// The TSV spelling of a type ("int", "size", ...).
std::string_view ParamTypeName(ParamType type);

/// One parameter.
struct ParamInfo {
  std::string name;
  ParamType type = ParamType::kString;
  char time_unit = 0;               ///< default unit of a time value ('s', 'm', ...)
  std::optional<int64_t> min;       ///< lower bound (length for string types)
  std::optional<int64_t> max;       ///< upper bound (length for string types)
  std::vector<std::string> enum_values;  ///< accepted words (kEnum)
  bool enum_is_mask = false;        ///< value is a list of enum words
  std::optional<PostfixVersion> since;       ///< first series that knows it
  std::optional<PostfixVersion> removed;     ///< first series that no longer does
  std::optional<PostfixVersion> deprecated;  ///< superseded from this series on
  std::string renamed_to;           ///< new name of a pure rename, or empty
  bool stress_default = false;      ///< the 3.7 default depends on ${stress}
  std::string notes;

  /// Postfix of series `v` knows the name (postconf gives no "unused
  /// parameter" for it, ignoring the ways any name can become used).
  bool KnownIn(PostfixVersion v) const;
  /// kInt, kSize, kNint.
  bool IsNumeric() const;
};

/// Why a name is or is not a parameter of a given version.
enum class Availability : uint8_t {
  kKnown,    ///< the version knows it
  kTooNew,   ///< only from a later series on (`since`)
  kRemoved,  ///< dropped before this series (`removed`)
  kUnknown,  ///< no Postfix release knows it
};

/// What an obsolete parameter or restriction is and what replaces it.
struct ObsoleteInfo {
  enum class Kind : uint8_t { kParameter, kRestriction };
  std::string name;
  Kind kind = Kind::kParameter;
  std::optional<PostfixVersion> deprecated;
  std::optional<PostfixVersion> removed;
  std::string replacement;  ///< text to suggest; may name several things
  bool rename_fix = false;  ///< replacing the name alone keeps the behaviour
  std::string notes;

  /// Deprecated or removed at or before series `v`.
  bool ObsoleteIn(PostfixVersion v) const;
  /// Removed at or before series `v` (Postfix no longer honours it).
  bool RemovedIn(PostfixVersion v) const;
};

/// The parameter and obsolete-name tables, indexed by name.
class ParamTable {
 public:
  /// Parses both TSV texts; `params_file`/`obsolete_file` name them in errors.
  static Result<ParamTable> Parse(std::string_view params_tsv, std::string_view params_file,
                                  std::string_view obsolete_tsv,
                                  std::string_view obsolete_file);

  /// The parameter called `name` (exact case), or null.
  const ParamInfo* Find(std::string_view name) const;
  /// Whether Postfix series `v` knows `name`, and if not, why.
  Availability AvailabilityIn(std::string_view name, PostfixVersion v) const;
  /// Postfix series `v` knows `name`.
  bool IsKnownIn(std::string_view name, PostfixVersion v) const;
  /// The obsolete parameter `name` (exact case), or null.
  const ObsoleteInfo* FindObsoleteParameter(std::string_view name) const;
  /// The obsolete restriction `name` (any case), or null.
  const ObsoleteInfo* FindObsoleteRestriction(std::string_view name) const;
  /// Parameters whose 3.7 default depends on ${stress} (spec 8.2), by name.
  std::vector<const ParamInfo*> StressDependent() const;
  /// Names that series `v` knows, sorted (candidates for "did you mean").
  std::vector<std::string_view> NamesKnownIn(PostfixVersion v) const;
  /// Every parameter, sorted by name.
  const std::vector<ParamInfo>& params() const { return params_; }
  /// Every obsolete entry, in file order.
  const std::vector<ObsoleteInfo>& obsolete() const { return obsolete_; }

 private:
  std::vector<ParamInfo> params_;
  std::vector<ObsoleteInfo> obsolete_;
  // Indexes into the vectors; std::less<> allows lookups by string_view.
  std::map<std::string, std::size_t, std::less<>> by_name_;
  std::map<std::string, std::size_t, std::less<>> obsolete_params_;
  std::map<std::string, std::size_t, std::less<>> obsolete_restrictions_;  // lower-case keys
};

/// The table built from the embedded data files (parsed once). A failure
/// here is a build defect; callers report it as a tool error.
const Result<ParamTable>& BuiltinParamTable();

}  // namespace postvet
