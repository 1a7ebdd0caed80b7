// Fuzz target: regexp: and pcre: table grammar, model and lookup. The first
// byte picks the type; the last line of the input (after the final LF) is
// also used as a lookup key, so patterns are compiled and run (PCRE2 under
// its match limits). Properties: no crash or hang, CST contract and
// byte-exact round trip, Scope() parents come before their children,
// every packed entry materialises as the builder computed it.
#include "fuzz/fuzz_util.hpp"
#include "src/match/regcomp_cost.hpp"
#include "grammar/cst_builder.hpp"
#include "src/model/table_lookup.hpp"
#include "src/model/regexp_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The regcomp budget is per run (one postvet process); each input is a run.
  postvet::ResetRunRegcompBudget();
  using namespace postvet;
  if (size == 0) return 0;
  TableType type = (data[0] & 1) != 0 ? TableType::kPcre : TableType::kRegexp;
  Source source = fuzz::MakeSource(data + 1, size - 1, "table");
  Cst cst = ParseTable(source, type);
  fuzz::CheckCst(cst, source.text());
  std::vector<TableEntry> full;
  RegexpTable table = RegexpTable::BuildKeepingFullEntries(cst, type, Residency::kResident, &full);
  fuzz::Require(full.size() == table.size());
  for (uint32_t i = 0; i < table.entries().size(); ++i) {
    for (uint32_t parent : table.Scope(i)) fuzz::Require(parent < i);
    // The packed entry materialises as the builder computed it.
    fuzz::Require(SameEntry(table.entries()[i], full[i]));
  }
  (void)table.BadLines();
  for (const TableWarning& w : table.warnings()) (void)FormatTableWarning(w, type, "t");
  std::string_view text = source.text();
  size_t last = text.rfind('\n');
  std::string_view key = last == std::string_view::npos ? text : text.substr(last + 1);
  (void)Lookup(table, key.substr(0, 256));
  return 0;
}
