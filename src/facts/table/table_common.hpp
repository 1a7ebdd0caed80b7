// Shared knowledge of the PV3xx (regexp:/pcre: table) rules: which
// parameters use a table and what kind of check each one is, where an
// entry's logical line sits in the CST, and how to quote a pattern.
//
// Contract: a table's users come from InputFile::used_by, where the loader
// records each main.cf parameter ("header_checks") or master.cf override
// ("cleanup/unix/header_checks") that names the file. A table named on the
// command line has no users; its file name stands in for one when it ends
// in a known *_checks name ("smtp_header_checks.pcre"). Only the
// header/body check parameters interpret results as actions
// (cleanup_message.c cleanup_act(), header_body_checks.c hbc_action(),
// cleanup_milter.c cleanup_milter_hbc_extend()); every other user
// (check_*_access, smtpd_command_filter, smtp_dsn_filter, ...) reads the
// result as something else, and action rules must leave it alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/logical_line.hpp"
#include "src/model/regexp_table.hpp"

namespace postvet {

class Cst;
class LintContext;
struct InputFile;

/// Which program acts on a check table's results.
enum class ChecksProgram : uint8_t {
  kCleanup,  // header_checks, mime_header_checks, nested_header_checks, body_checks
  kSmtp,     // smtp_*_checks and lmtp_*_checks (delivery time, hbc_action())
  kMilter,   // milter_header_checks (cleanup's milter hook)
  kOther,    // not a header/body check: access tables, filters, ...
};

/// One parameter that uses a table.
struct TableUse {
  std::string param;         ///< as recorded: "header_checks" or "smtp/inet/header_checks"
  std::string name;          ///< the parameter name alone ("header_checks")
  ChecksProgram program = ChecksProgram::kOther;
  bool header = false;       ///< header context (PREPEND/REPLACE need "Name: value")
  bool guessed = false;      ///< taken from the file name, not from the configuration
  /// The check_*_access restriction naming the table ("" when none): the
  /// results are access(5) actions (smtpd_check.c check_table_result()).
  std::string restriction;
  bool access() const { return !restriction.empty(); }
};

/// The header/body check kind of parameter `name`; nullopt when it is no
/// *_checks parameter. Sets `*header` to whether it checks headers.
std::optional<ChecksProgram> ChecksProgramOf(std::string_view name, bool* header);

/// Every *_checks parameter Postfix 3.7 has, cleanup's first.
const std::vector<std::string_view>& ChecksParameterNames();

/// The users of `file` (a regexp/pcre table), in the order the loader found them.
std::vector<TableUse> TableUses(const InputFile& file);

/// The users that act on results as header/body check actions.
std::vector<TableUse> ChecksUses(const InputFile& file);

/// The users that read results as access(5) actions: a check_*_access
/// restriction, or, for a lone file, a name ending in "access"
/// ("helo_access.pcre"; restriction "check_*_access", guessed).
std::vector<TableUse> AccessUses(const InputFile& file);

/// The users that check header lines (header context), for PV301/PV307.
std::vector<TableUse> HeaderChecksUses(const InputFile& file);

/// "header_checks", "header_checks and smtp_header_checks", ... for messages.
std::string JoinUseNames(const std::vector<TableUse>& uses);

/// " (used by header_checks)" or "" when the table has no known user.
std::string UsedBySuffix(const InputFile& file);

/// The top-level CST nodes of a table, for finding an entry's node.
///
/// The top-level nodes are found without a list when the tree is flat (no
/// line has children: the linter's tree of a table without continued
/// lines, ParseTableLines()), else listed (4 bytes a line) on the first call
/// that needs them; a rule that finds nothing on a big table pays nothing.
class TableNodes {
 public:
  explicit TableNodes(const Cst& cst);
  /// Index of the top-level node holding `entry`'s logical line (its range
  /// includes the final LF), or UINT32_MAX.
  uint32_t Find(const TableEntry& entry) const;
  /// The position among the top-level nodes of that node, or kNotFound (a
  /// binary search).
  size_t FindPosition(const TableEntry& entry) const;
  static constexpr size_t kNotFound = SIZE_MAX;
  /// The number of top-level nodes, and the one at position `at`, in file order.
  size_t TopCount() const;
  uint32_t TopAt(size_t at) const;
  const Cst& cst() const { return cst_; }

 private:
  const std::vector<uint32_t>& List() const;

  const Cst& cst_;
  bool flat_ = false;  // top-level node `at` is node at + 1
  mutable std::optional<std::vector<uint32_t>> top_;
};

/// The pattern as written (negation, delimiters and, unless `with_flags`
/// is false, flags), sanitised and shortened to at most ~60 bytes.
std::string QuotePattern(const RegexpTable& table, const TablePattern& pattern, bool with_flags = true);

/// `text` sanitised and shortened for messages.
std::string QuoteText(std::string_view text, size_t max = 60);

/// "regcomp() (regexp: table)" / "PCRE2 (pcre: table)".
std::string_view EngineName(TableType type);

/// The Source range of bytes [b, e) of `entry`'s result text (offsets into
/// entry.result), following continuation joins.
ByteRange ResultSubrange(const RegexpTable& table, const TableEntry& entry, size_t b, size_t e);

/// IF/ENDIF pairs as the file looks: every `if` line opens a block, even
/// one Postfix drops, and each `endif` closes the innermost open one.
/// out[i] is the partner of entry i (TableEntry::kNoEntry when none).
/// Postfix's own pairing is TableEntry::partner.
std::vector<uint32_t> WrittenPartners(const RegexpTable& table);

}  // namespace postvet
