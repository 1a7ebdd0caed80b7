// Restriction lists and other Postfix lists, split into entries the way
// Postfix splits them (mystrtokq(): ", \t\r\n" outside `{}`) after
// `$`-expansion, with each entry's place in the files.
//
// Postfix expands a list value as a whole and then splits it; rules need to
// point at the entry where it is written. So the walk follows provenance: a
// token that is exactly one `$name` reference is replaced by the entries of
// that parameter's own value (reported where *that* value is written, with
// the reference kept in `via`); a token mixing text and `$` is expanded and
// split, and its entries point at the token; literal tokens point at
// themselves. Values come from the service's master.cf `-o` overrides when a
// service is given, else main.cf, else the built-in default (no location).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "src/base/location.hpp"

namespace postvet {

class LintContext;
struct MasterService;

struct ListEntry {
  std::string text;            // the entry as Postfix sees it
  Location where;              // where it is written (source null: a built-in default)
  bool exact = true;           // `where` is this entry, not a larger expression containing it
  std::string param;           // the parameter whose value holds it ("smtpd_client_restrictions")
  std::vector<Location> via;   // the `$name` references followed to reach it, outermost first
  std::vector<std::string> via_params;  // the parameters holding those references
};

/// Bounds of one ExpandList() walk. `$` references can multiply a list
/// exponentially (`a1 = $a0,$a0,$a0`, `a2 = $a1,$a1,$a1`, ...: 3^14 entries
/// from 400 bytes); the walk stops, deterministically, at whichever bound it
/// reaches first. Real lists have tens of entries.
inline constexpr size_t kMaxListEntries = 20'000;
/// Work units: one per token looked at plus one per `via` location copied.
inline constexpr size_t kMaxListWork = 1'000'000;

/// The entries of parameter `param`'s value, in Postfix's order. `service`
/// (optional) selects that service's `-o` overrides first. Reference loops and
/// nesting deeper than Postfix allows stop the walk (the rest is left out).
/// A walk past kMaxListEntries or kMaxListWork stops there and sets
/// `*truncated` (when given); the entries so far are returned.
std::vector<ListEntry> ExpandList(const LintContext& ctx, std::string_view param,
                                  const MasterService* service = nullptr, bool* truncated = nullptr);

/// Splits `text` like mystrtokq(text, ", \t\r\n", "{}"); views into `text`.
std::vector<std::string_view> SplitPostfixList(std::string_view text);

}  // namespace postvet
