// Defaults: the built-in parameter table of one Postfix series, as
// `postconf -d` prints it, embedded from rules/data/postfix-X.Y-defaults.tsv
// (3.7 measured by rules/data/gen-defaults.sh with an empty master.cf, so no
// service-derived names are in it; 3.5, 3.6, 3.8, 3.9 and 3.10 derived from
// it and the release sources by rules/data/gen-version-defaults.py).
// Only the table a caller asks for is parsed, on first use.
//
// Contract: lookups by name; default texts are unexpanded, exactly as
// postconf prints them. Entries of class kHost (myhostname, mydomain,
// mynetworks) hold the generating host's value; callers that emulate Postfix
// compute those at run time (see HostName()).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "src/model/param_info.hpp"

namespace postvet {

/// How Postfix treats a built-in name.
enum class ParamClass : unsigned char {
  kBuiltin,   ///< ordinary built-in parameter
  kRaw,       ///< never $-expanded (raw_table.h)
  kReadOnly,  ///< process_name, process_id, service_name: assignments are ignored
  kLegacy,    ///< accepted for backwards compatibility; not listed by postconf -d
  kHost,      ///< default computed from the host (myhostname, mydomain, mynetworks)
};

/// One row of the defaults table.
struct DefaultEntry {
  std::string_view name;
  std::string_view value;
  ParamClass cls = ParamClass::kBuiltin;
};

/// The built-in parameter table of one Postfix version.
class Defaults {
 public:
  /// The Postfix 3.7 table (parsed once from the embedded TSV).
  static const Defaults& Postfix37();
  /// The table of `series` when one is embedded (3.5 to 3.10), else the
  /// nearest embedded series' (3.5 for older, 3.10 for newer ones); parsed
  /// on first use.
  static const Defaults& For(PostfixVersion series);
  /// The series whose table For(`series`) returns.
  static PostfixVersion TableSeries(PostfixVersion series);
  /// Parses a table in the TSV format (`#` comment lines, a header row,
  /// then name/default/class).
  static Defaults Parse(std::string_view tsv);

  /// The row for `name`, or null when `name` is not built in.
  const DefaultEntry* Find(std::string_view name) const;
  /// True when Postfix knows `name` without any configuration (any class).
  bool IsBuiltin(std::string_view name) const { return Find(name) != nullptr; }
  /// The default text of a built-in parameter, unexpanded.
  std::optional<std::string_view> Default(std::string_view name) const;
  /// True for parameters whose values are never $-expanded.
  bool IsRaw(std::string_view name) const;
  /// True for read-only parameters (process_name, process_id, service_name).
  bool IsReadOnly(std::string_view name) const;
  /// True for legacy names (virtual_maps, fallback_relay, ...).
  bool IsLegacy(std::string_view name) const;
  /// All rows, sorted by name.
  const std::vector<DefaultEntry>& entries() const { return entries_; }

 private:
  std::vector<DefaultEntry> entries_;
  std::unordered_map<std::string_view, size_t> index_;
};

/// This machine's name as gethostname() gives it (Postfix's get_hostname()).
std::string HostName();

}  // namespace postvet
