// TargetVersion: the Postfix release one configuration is checked against,
// as a value the configuration carries (LintContext::target()) rather than
// a global: its series (--postfix-version / postfix_version; when neither is
// given, 3.7, or the higher series main.cf's compatibility_level implies)
// and the built-in parameter table that goes with it.
//
// Contract: tables are embedded for 3.5 to 3.10 (Defaults::For); a series
// outside that range uses the nearest table, and exact_table() is false, so
// rules decide availability from the parameter table (src/model/param_info)
// instead. Rules and tools read target().defaults(), never a fixed table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "src/model/defaults.hpp"
#include "src/model/param_info.hpp"

namespace postvet {

class TargetVersion {
 public:
  /// The series used when nothing says otherwise.
  static constexpr PostfixVersion kDefault{3, 7};

  /// The target for a `postfix_version` setting ("3.7", "3.4.13"); 3.7 when
  /// the text does not parse (the CLI and .postvet.cf reject such text).
  static TargetVersion For(std::string_view postfix_version);
  /// The target when no version was given: 3.7, or the series a main.cf
  /// `compatibility_level` value (its text, unexpanded) implies when that is
  /// higher, capped at the newest embedded series; guessed() tells which.
  static TargetVersion FromCompatibilityLevel(std::optional<std::string_view> level);
  /// For(`given`) when it is not empty, else FromCompatibilityLevel(`level`).
  static TargetVersion Choose(std::string_view given, std::optional<std::string_view> level);

  /// The release series ("3.7").
  PostfixVersion version() const { return version_; }
  /// The built-in parameter table used for this series.
  const Defaults& defaults() const { return *defaults_; }
  /// The table is this series' own (not the nearest one's).
  bool exact_table() const { return Defaults::TableSeries(version_) == version_; }
  /// The series was taken from compatibility_level, not given.
  bool guessed() const { return !guessed_from_.empty(); }
  /// The compatibility_level text it was guessed from (empty if not guessed).
  const std::string& guessed_from() const { return guessed_from_; }
  /// "judged against Postfix 3.10, as compatibility_level = 3.10 implies
  /// Postfix 3.10 or later" (guessed() only).
  std::string GuessSentence() const;
  /// GuessSentence() and how `postvet show` is told another version.
  std::string GuessNote() const;

 private:
  explicit TargetVersion(PostfixVersion version) : version_(version), defaults_(&Defaults::For(version)) {}
  PostfixVersion version_;
  const Defaults* defaults_;
  std::string guessed_from_;
};

}  // namespace postvet
