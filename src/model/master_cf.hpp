// MasterCf: what Postfix makes of a master.cf (format spec 5, 8.1, 9). Each
// logical line becomes a MasterService, or a MasterBadLine when Postfix
// rejects it outright (fewer than 8 fields; text before the first logical
// line).
//
// Two readers disagree on master.cf, and the model keeps both views:
// * postconf (postconf_master.c) groups `{}` in every field, rewrites the
//   daemon arguments (including its greedy `-o` splitting bug) and only warns
//   about brace errors. `fields`, `postconf_args` and `postconf_params` are
//   its view; `postvet show --fields/--params` prints from them.
// * master(8) (master_ent.c) splits fields 1-8 without grouping, dies on
//   brace errors, and the daemon's getopt() reads the arguments. `overrides`
//   and `daemon_args` are that view; rules should use it, because it is what
//   runs. `problems` lists what each reader would say, with Postfix's wording.
//
// Contract: the text of a line is what readllines() returns, cut at the first
// NUL (a NUL ends the line for every consumer, so later options vanish).
// Every word, override and problem carries the Source byte range it came
// from. Building never fails; bad input is described, not rejected.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/cst.hpp"
#include "src/base/source.hpp"

namespace postvet {

/// The 8 fields of a master.cf entry, in order.
enum class MasterField : uint8_t {
  kService, kType, kPrivate, kUnprivileged, kChroot, kWakeup, kProcessLimit, kCommand
};
inline constexpr size_t kMasterFieldCount = 8;

/// postconf's name of a field, as `postconf -F` prints it ("process_limit").
std::string_view MasterFieldName(MasterField field);
/// master(8)'s name of a field in its messages ("transport type", "max_proc").
std::string_view MasterFieldDaemonName(MasterField field);

/// Field 2. kUnknown: anything postconf rejects.
enum class ServiceType : uint8_t { kInet, kUnix, kUnixDgram, kFifo, kPass, kUnknown };
/// Exact, case-sensitive match ("inet", "unix", "unix-dgram", "fifo", "pass").
ServiceType ParseServiceType(std::string_view text);

/// A word of an entry: the text Postfix sees, and the bytes it came from.
struct MasterWord {
  std::string text;
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// Who reports a problem: postconf, the master daemon while reading
/// master.cf, or the service's daemon when it parses its command line.
enum class MasterChecker : uint8_t { kPostconf, kMaster, kDaemon };

/// Something Postfix would complain about in an entry.
struct MasterProblem {
  MasterChecker checker = MasterChecker::kPostconf;
  bool fatal = true;
  /// The field it is about (0-7), or -1 for the arguments.
  int field = -1;
  /// Postfix's wording, without its "file, line N:" prefix.
  std::string message;
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// How an `-o` option was written (format spec 5.3). The first five are
/// well-formed spellings; the rest are malformed and kill the daemon,
/// although postconf says nothing about them.
enum class OverrideForm : uint8_t {
  kSeparate,       // -o name=value
  kAttached,       // -oname=value (postconf -M/-F mangle it when it holds an 'o')
  kCombined,       // -vo name=value: other option letters before the o
  kBraced,         // -o { name = value }
  kAttachedBrace,  // -o{name=value}: the daemon does not strip these braces
  kSpaced,         // -o name = value (unbraced blanks around '=')
  kNoEquals,       // -o name
  kMissingName,    // -o =value, -o {}
  kMissingValue,   // -o as the last word
};
/// "separate", "attached", ..., "missing-value".
std::string_view OverrideFormName(OverrideForm form);

/// One `-o name=value` as the service's daemon reads it.
struct MasterOverride {
  OverrideForm form = OverrideForm::kSeparate;
  std::string name;
  std::string value;
  /// The option words, from the `-o` (or `-vo`) through the value (for
  /// kSpaced through the word after '=').
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t name_begin = 0;
  uint32_t name_end = 0;
  uint32_t value_begin = 0;
  uint32_t value_end = 0;
  /// The fatal error Postfix would stop with (daemon, or master(8) for a brace
  /// error); empty when the option is accepted.
  std::string error;
  /// A later well-formed `-o` sets the same name (the last one wins).
  bool overridden = false;
  /// The word right after this option is a non-option argument: options end
  /// here and the word may have been meant as part of the value.
  bool followed_by_argument = false;
  /// postconf -M/-F show this option differently from how the daemon reads
  /// it (the greedy `o` splitting).
  bool postconf_mangles = false;
  /// Written after the daemon's options ended (at a non-option word): the
  /// daemon takes it as a command-line argument, never as a setting. Only
  /// in MasterService::stranded_overrides.
  bool stranded = false;

  bool ok() const { return error.empty(); }
};

/// One master.cf entry.
struct MasterService {
  /// The logical line's bytes (continuations included, final LF excluded).
  uint32_t begin = 0;
  uint32_t end = 0;
  /// First physical line (Postfix's line numbers).
  uint32_t line = 0;
  /// The logical line as Postfix sees it, cut at the first NUL.
  std::string text;
  /// The line held a NUL; everything after it is ignored.
  bool cut_at_nul = false;

  /// postconf's view: fields split with `{}` grouping, braces kept.
  std::array<MasterWord, kMasterFieldCount> fields;
  /// postconf's view: the words after the 8 fields, braces kept.
  std::vector<MasterWord> args;
  ServiceType type = ServiceType::kUnknown;

  /// postconf's rewritten arguments (what -M/-F print after the command).
  std::vector<std::string> postconf_args;
  /// The `-o name=value` pairs postconf registers, in order (duplicates
  /// kept; the last wins). Malformed options are silently absent.
  std::vector<std::pair<std::string, std::string>> postconf_params;

  /// master(8) splits fields 1-8 without `{}` grouping, differently here.
  bool master_split_differs = false;
  /// The daemon's view: `-o` options as getopt() reads them, in order.
  std::vector<MasterOverride> overrides;
  /// The daemon's view: the words after the options (after `--` or the first
  /// non-option), outer braces stripped. Most daemons reject any.
  std::vector<MasterWord> daemon_args;
  /// `-o` options written among daemon_args (after a stray word ended the
  /// options), parsed as if they were options so that rules can report
  /// every malformed one; an `argv=` word ends the search. Never settings.
  std::vector<MasterOverride> stranded_overrides;

  /// Everything postconf, master(8) or the daemon would say, in that order.
  std::vector<MasterProblem> problems;

  std::string_view name() const { return fields[0].text; }
  const MasterWord& field(MasterField f) const { return fields[static_cast<size_t>(f)]; }
  /// postconf accepts the entry (no fatal postconf problem).
  bool PostconfAccepts() const;
  /// The first fatal problem of `checker`, or nullptr.
  const MasterProblem* FirstFatal(MasterChecker checker) const;
  /// The effective (last well-formed) `-o name=...`, or nullptr.
  const MasterOverride* FindOverride(std::string_view name) const;
  /// `service/type`, postconf's name space for the entry.
  std::string NameSpace() const;
};

/// A logical line that is not an entry.
struct MasterBadLine {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t line = 0;
  /// Text before the first logical line: Postfix warns and skips it
  /// (not fatal). Otherwise the line has fewer than 8 fields (fatal).
  bool leading_whitespace = false;
  /// postconf's message: `bad field count`, or `logical line must not start
  /// with whitespace: "<first 30 bytes>[...]"`.
  std::string postconf_message;
  /// master(8)'s message: `missing "<field>" field` (empty for leading
  /// whitespace, where it says the same as postconf).
  std::string master_message;
  bool fatal() const { return !leading_whitespace; }
};

/// A parsed master.cf.
struct MasterCf {
  const Source* source = nullptr;
  std::vector<MasterService> services;
  std::vector<MasterBadLine> bad_lines;
};

/// Builds the model from the tree ParseMasterCf() made of `cst.source()`.
MasterCf BuildMasterCf(const Cst& cst);

/// The process limit master(8) uses: maxproc, or `default_process_limit`
/// for `-`; 0 means unlimited. Follows the master's atoi() laxity (`1k` is
/// 1). nullopt when the master would reject the field.
std::optional<long> EffectiveProcessLimit(const MasterService& service, long default_process_limit);

/// The wakeup time master(8) uses (0: none), and whether it is conditional
/// (a trailing `?`). nullopt when the master would reject the field.
struct Wakeup {
  long seconds = 0;
  bool conditional = false;
};
std::optional<Wakeup> EffectiveWakeup(const MasterService& service);

/// master(8)'s "local-only" test (format spec 8.1): unix, unix-dgram and fifo
/// services, and inet services whose listen addresses are all loopback (the
/// host part of the name, or `inet_interfaces` when there is none). Hosts are
/// judged by their text: 127.0.0.0/8, ::1 and `localhost` are loopback; other
/// names are assumed not to be. pass services are never local-only.
bool IsLocalOnly(const MasterService& service, std::string_view inet_interfaces = "all");

/// Whether master(8) would start the service with `-o stress=...` (format
/// spec 8.1): not local-only, and an effective process limit above 1.
bool ReceivesStressOption(const MasterService& service, long default_process_limit,
                          std::string_view inet_interfaces = "all");

}  // namespace postvet
