// Expand: Postfix's `$` macro language (util/mac_parse.c + util/mac_expand.c;
// format spec section 3), re-implemented to give the same results, the same
// warning texts and the same error status for the same input.
//
// Contract:
// * MacroExpand() in kRecurse mode is mac_expand(MAC_EXP_FLAG_RECURSE): every
//   looked-up value is parsed again. kScan mode is MAC_EXP_FLAG_SCAN: nothing
//   is looked up or produced, every name is reported to the sink, and both
//   operands of ?: are parsed (this is how postconf finds names).
// * Errors are data: `error` is Postfix's MAC_PARSE_ERROR (a daemon or postconf
//   then dies with "macro processing error"); `fatal` is an error Postfix
//   reports with msg_fatal() inside mac_expand itself ("mac_exp_eval: bad
//   conversion: ..."). `warnings` holds the msg_warn() texts in order.
// * Never recurses without bound: Postfix's own nesting counter (>100 calls
//   deep gives "unreasonable macro call nesting") is kept, plus a hard depth
//   bound that also covers nested relational operands (for which Postfix starts
//   a fresh counter), and a work/size budget against exponential expansion.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace postvet {

/// How MacroExpand() treats names (mac_expand flags).
enum class ExpandMode {
  kRecurse,  // look names up and expand their values again (MAC_EXP_FLAG_RECURSE)
  kScan,     // only report names; parse both ?: operands (MAC_EXP_FLAG_SCAN)
};

/// Resolves a name to its raw value, or nullopt when it has none. `test` is
/// true for `${name?...}` / `${name:...}` (MAC_EXP_MODE_TEST). The returned
/// view must stay valid until MacroExpand() returns.
using MacroLookup = std::function<std::optional<std::string_view>(std::string_view name, bool test)>;

/// Where a scanned name sits: `offset` is its byte offset in the text given
/// to MacroExpand(), or kForeignOffset when it came from a looked-up value.
using MacroNameSink = std::function<void(std::string_view name, uint32_t offset)>;

inline constexpr uint32_t kForeignOffset = UINT32_MAX;

/// Postfix's nesting limit: the callback that finds the counter above this
/// fails with "unreasonable macro call nesting".
inline constexpr int kMacroNestingLimit = 100;

/// The release-dependent part of the language: the relational-operator
/// suffixes postconf registers (SourceFeatures::relop_suffixes()). nullptr
/// means {"level"}, as from Postfix 3.6; an empty list is 3.5's mac_expand(),
/// which has no suffixes, so `<level {x}` is "<" followed by text where a
/// "{expression}" should be.
struct MacroDialect {
  const std::vector<std::string_view>* relop_suffixes = nullptr;
};

/// What an expansion produced.
struct MacroOutcome {
  std::string value;                  // the result (empty in kScan mode)
  bool error = false;                 // MAC_PARSE_ERROR
  bool undefined = false;             // MAC_PARSE_UNDEF: some $name had no value
  bool fatal = false;                 // Postfix would msg_fatal() inside mac_expand
  std::string fatal_message;          // e.g. "mac_exp_eval: bad conversion: 99..."
  std::vector<std::string> warnings;  // msg_warn() texts, without "warning: "
};

/// Expands `text` like mac_expand(); `lookup` is used in kRecurse mode,
/// `sink` (optional) receives every name in kScan mode.
MacroOutcome MacroExpand(std::string_view text, ExpandMode mode, const MacroLookup& lookup,
                         const MacroNameSink& sink = nullptr, MacroDialect dialect = {});

/// One `$name` reference inside a value.
struct MacroRef {
  std::string_view name;  // view into the value passed to ListMacroRefs()
  uint32_t begin = 0;     // byte offset of the name in that value
  uint32_t end = 0;
};

/// Every name a value references (`$name`, `${name...}`, `$(name...)`, names
/// inside relational operands and both ?: operands), in order, with offsets.
/// Same walk as postconf's scan; syntax errors stop it where Postfix stops.
std::vector<MacroRef> ListMacroRefs(std::string_view value);

}  // namespace postvet
