// The smtpd access restrictions of one Postfix release, as data: every name
// generic_checks() accepts in a restriction list, what argument it takes,
// what SMTP state it needs, what it can do, and the restriction lists smtpd
// evaluates. The tables are generated from Postfix's own source
// (rules/data/gen-restrictions.py) and embedded
// (rules/data/postfix-X.Y-restrictions.tsv, -restriction-lists.tsv).
//
// Contract: RestrictionTableFor() returns a table that lives for the whole
// program; lookups of restriction names ignore case, as smtpd's strcasecmp()
// does. Tables exist for 3.5 to 3.10; another release uses the nearest
// one (Defaults::TableSeries). Parse() never throws: it keeps the rows it can read
// and lists the rest in errors().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/param_info.hpp"

namespace postvet::restriction {

/// What the list entry after a restriction must be.
enum class ArgKind : uint8_t { kNone, kTable, kZone, kServer, kNumber };
/// What smtpd does when that argument is missing or malformed.
enum class MissingArg : uint8_t { kNone, kServerError, kIgnored };
/// SMTP stages: what a restriction needs, and when a list is evaluated.
enum class Stage : uint8_t { kClient, kHelo, kSender, kRecipient, kEtrn, kData, kEndOfData };
/// What a matching restriction can do.
enum class Effect : uint8_t { kPermit, kReject, kDefer, kAny, kNeutral, kPseudo };
enum class Status : uint8_t { kCurrent, kOldName, kDeprecated };

struct RestrictionInfo {
  std::string name;
  ArgKind arg = ArgKind::kNone;
  MissingArg missing = MissingArg::kNone;
  Stage needs = Stage::kClient;
  Effect effect = Effect::kNeutral;
  Status status = Status::kCurrent;
  std::string replacement;  ///< the current name of an old one, else empty
  bool relay_guard = false; ///< counts as relay protection for smtpd's start-up check
  bool needs_sasl = false;  ///< ignored ("no SASL support") unless smtpd_sasl_auth_enable = yes
};

struct ListInfo {
  std::string param;     ///< "smtpd_client_restrictions"
  Stage stage = Stage::kClient;
  std::string implicit;  ///< what a bare type:table entry stands for; empty: none (server error)
};

class RestrictionTable {
 public:
  /// Reads the two TSV files (formats: rules/data/README.md).
  static RestrictionTable Parse(std::string_view restrictions_tsv, std::string_view lists_tsv);

  /// The restriction called `name` (any case), or nullptr.
  const RestrictionInfo* Find(std::string_view name) const;
  /// The restriction list held by parameter `param`, or nullptr.
  const ListInfo* FindList(std::string_view param) const;

  const std::vector<RestrictionInfo>& restrictions() const { return restrictions_; }
  const std::vector<ListInfo>& lists() const { return lists_; }
  /// Rows that did not parse ("line N: ...").
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::vector<RestrictionInfo> restrictions_;
  std::vector<ListInfo> lists_;
  std::vector<std::string> errors_;
};

/// The table of release series `version` (3.7's for every series today).
const RestrictionTable& RestrictionTableFor(PostfixVersion version);

std::string_view StageName(Stage stage);
std::string_view ArgKindName(ArgKind kind);

}  // namespace postvet::restriction
