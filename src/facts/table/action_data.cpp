#include "src/facts/table/action_data.hpp"

#include "src/base/embedded.hpp"
#include "src/base/tsv.hpp"

namespace postvet {
namespace {

uint8_t ParsePrograms(std::string_view field) {
  uint8_t bits = 0;
  while (!field.empty()) {
    size_t comma = field.find(',');
    std::string_view name = field.substr(0, comma);
    if (name == "smtpd") bits |= kProgramSmtpd;
    if (name == "cleanup") bits |= kProgramCleanup;
    if (name == "smtp") bits |= kProgramSmtp;
    if (name == "milter") bits |= kProgramMilter;
    field = comma == std::string_view::npos ? std::string_view() : field.substr(comma + 1);
  }
  return bits;
}

std::vector<ActionWord> Load() {
  std::vector<ActionWord> rows;
  // "kind	word	programs"
  for (const auto& f : TsvRows(FindEmbedded("rules/data/postfix-actions.tsv").value_or(std::string_view()), 3)) {
    std::string_view kind = f[0];
    ActionWord row;
    if (kind == "access") {
      row.table = ActionTable::kAccess;
    } else if (kind == "header") {
      row.table = ActionTable::kHeader;
    } else {
      continue;
    }
    row.word = std::string(f[1]);
    row.programs = ParsePrograms(f[2]);
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = (a[i] >= 'a' && a[i] <= 'z') ? static_cast<char>(a[i] - 'a' + 'A') : a[i];
    char y = (b[i] >= 'a' && b[i] <= 'z') ? static_cast<char>(b[i] - 'a' + 'A') : b[i];
    if (x != y) return false;
  }
  return true;
}

const std::vector<ActionWord>& ActionWords() {
  static const std::vector<ActionWord> rows = Load();
  return rows;
}

const ActionWord* FindActionWord(ActionTable table, std::string_view word) {
  for (const ActionWord& row : ActionWords()) {
    if (row.table == table && EqualsIgnoreCase(row.word, word)) return &row;
  }
  return nullptr;
}

std::vector<std::string_view> LiveWords(ActionTable table) {
  std::vector<std::string_view> out;
  for (const ActionWord& row : ActionWords()) {
    if (row.table == table && row.programs != 0) out.push_back(row.word);
  }
  return out;
}

}  // namespace postvet
