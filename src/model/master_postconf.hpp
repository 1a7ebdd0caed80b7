// What `postconf -c DIR -F`, `-P` and `-M` print for a master.cf
// (postconf_master.c pcf_print_master_field, pcf_show_master_params;
// postconf_print.c pcf_print_line; format spec 5.5), computed from the
// MasterCf model: stdout byte for byte, the warnings postconf gives while
// reading master.cf, and the fatal error that stops it.
//
// postconf's registration of the -o parameters is part of it: read-only
// names (process_name, ...) vanish from -P, and a `$` error in the value of
// a built-in parameter is fatal ("macro processing error"); this runs the
// main.cf model's registration (known_names.hpp) with an empty main.cf.
// The warnings of that registration ("unused parameter", "undefined
// parameter", "read-only parameter assignment", `$` syntax warnings) need
// main.cf in view: show prints them from master_warnings.hpp (see
// src/cli/show_master_warnings.hpp); rules PV101/PV406 report them too.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "src/model/defaults.hpp"
#include "src/model/master_cf.hpp"

namespace postvet {

/// Which listing to print.
enum class PostconfListing : uint8_t {
  kFields,   // -F: service/type/field = value
  kParams,   // -P: service/type/param = value, sorted, whitespace-normalised
  kEntries,  // -M: one line per service, fields in columns, then the arguments
};

/// One message postconf prints on stderr, with where it is.
struct PostconfMessage {
  uint32_t line = 0;  // 0: not tied to a line
  std::string text;  // postconf's wording, without prefixes
};

/// The result of a listing run.
struct PostconfOutput {
  /// stdout; empty when postconf dies, and when a writer received it.
  std::string out;
  /// Warnings, in the order postconf prints them (before any fatal).
  std::vector<PostconfMessage> warnings;
  /// The fatal error (bad field count, invalid field) that stops postconf.
  std::optional<PostconfMessage> fatal;
};

/// Runs `postconf -F` or `-P` over `master_cf` as postconf would.
/// `defaults` is the target Postfix's table (null: 3.7's).
PostconfOutput RunPostconfListing(const MasterCf& master_cf, PostconfListing listing,
                                  const Defaults* defaults = nullptr);

/// Receives stdout in pieces.
using PostconfWriter = std::function<void(std::string_view text)>;
/// The same, handing stdout to `write` piece by piece (nothing when postconf
/// dies): -P repeats a shared table for every entry of its name space, so
/// the output can be far larger than the input.
PostconfOutput RunPostconfListing(const MasterCf& master_cf, PostconfListing listing,
                                  const PostconfWriter& write, const Defaults* defaults = nullptr);

/// postconf's message text as its msg_*() functions print it: every byte
/// that is not printable ASCII becomes '?'.
std::string SanitizeForMessage(std::string_view text);

}  // namespace postvet
