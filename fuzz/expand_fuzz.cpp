// Fuzz target: `$`-expansion (src/model/expand.hpp). The input is a list of
// `name=value` lines; the first value is expanded with the others as the
// lookup table (so values may reference each other and loop), in both modes.
// Properties: no crash, no hang (the nesting and work budgets hold), the
// result is bounded, and expanding twice gives the same outcome.
#include <map>
#include <string>

#include "fuzz/fuzz_util.hpp"
#include "src/model/expand.hpp"

namespace {

bool Same(const postvet::MacroOutcome& a, const postvet::MacroOutcome& b) {
  return a.value == b.value && a.error == b.error && a.undefined == b.undefined &&
         a.fatal == b.fatal && a.fatal_message == b.fatal_message && a.warnings == b.warnings;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace postvet;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::map<std::string, std::string, std::less<>> table;
  std::string_view first;
  bool have_first = false;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    size_t eq = line.find('=');
    if (!have_first) {
      first = eq == std::string_view::npos ? line : line.substr(eq + 1);
      have_first = true;
    }
    if (eq != std::string_view::npos) table[std::string(line.substr(0, eq))] = std::string(line.substr(eq + 1));
  }
  MacroLookup lookup = [&](std::string_view name, bool) -> std::optional<std::string_view> {
    auto it = table.find(name);
    if (it == table.end()) return std::nullopt;
    return std::string_view(it->second);
  };
  MacroOutcome a = MacroExpand(first, ExpandMode::kRecurse, lookup);
  MacroOutcome b = MacroExpand(first, ExpandMode::kRecurse, lookup);
  fuzz::Require(Same(a, b));
  // expand.cpp caps results at 64 MiB (plus the last append).
  fuzz::Require(a.value.size() <= (size_t{65} << 20) + size);
  size_t names = 0;
  MacroOutcome scan = MacroExpand(first, ExpandMode::kScan, lookup,
                                  [&](std::string_view, uint32_t) { ++names; });
  fuzz::Require(scan.value.empty());
  for (const MacroRef& r : ListMacroRefs(first)) fuzz::Require(r.begin <= r.end && r.end <= first.size());
  return 0;
}
