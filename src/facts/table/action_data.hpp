// The words Postfix 3.7 acts on in access and header/body check tables,
// as rules/data/gen-actions.py extracted them from the Postfix sources into
// rules/data/postfix-actions.tsv (embedded in the binary). The SMTP server's
// restriction names are the restriction table's
// (src/facts/restriction/restriction_table.hpp).
//
// Contract: words are upper case, as in the data; lookups are
// case-insensitive, like
// Postfix's STREQUAL()/strcasecmp(). A word whose program set is empty is
// known to Postfix's source but compiled out (DELAY).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace postvet {

/// Programs that carry out an action, as bits.
enum ActionProgram : uint8_t {
  kProgramSmtpd = 1,    // smtpd(8) access tables (check_table_result())
  kProgramCleanup = 2,  // cleanup(8) header/body checks (cleanup_act())
  kProgramSmtp = 4,     // smtp(8)/lmtp(8) *_checks (hbc_action())
  kProgramMilter = 8,   // milter_header_checks (hbc_action() + cleanup_milter_hbc_extend())
};

enum class ActionTable : uint8_t { kAccess, kHeader };

struct ActionWord {
  ActionTable table;
  std::string word;
  uint8_t programs = 0;  ///< ActionProgram bits; 0: compiled out
};

/// Every row of postfix-actions.tsv, in file order.
const std::vector<ActionWord>& ActionWords();

/// The row of `table` whose word equals `word` ignoring case, or null.
const ActionWord* FindActionWord(ActionTable table, std::string_view word);

/// The words of `table` carried out by some program, in file order.
std::vector<std::string_view> LiveWords(ActionTable table);

/// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace postvet
