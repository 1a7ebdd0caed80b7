// Fingerprints: stable identities of findings for CI services that track
// them across runs (SARIF partialFingerprints, GitLab Code Quality
// "fingerprint"). A fingerprint must not change when lines are inserted above
// a finding, and must differ between two findings of one report (GitLab keeps
// only the first issue per fingerprint). So it hashes the rule, the file, what
// the finding is about (Diagnostic::subject, or the flagged bytes when a rule
// sets no subject) and the occurrence number among findings with that same
// key, never a line number.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "src/engine/diagnostic.hpp"

namespace postvet::report {

/// Fingerprints() one diagnostic at a time, for a report that streams: it
/// remembers the keys seen so far, not the fingerprints.
class FingerprintCounter {
 public:
  explicit FingerprintCounter(std::string_view working_directory) : working_directory_(working_directory) {}
  /// The fingerprint of `d`, the next diagnostic in report order.
  std::string Next(const Diagnostic& d);

 private:
  std::string_view working_directory_;
  std::map<std::string, size_t> occurrences_;  // key -> findings with it so far
};

/// One fingerprint (32 lowercase hex digits) per diagnostic, in the given
/// order, which decides the occurrence numbers (use report order). Files are
/// keyed by CiPath(display, working_directory).
std::vector<std::string> Fingerprints(const std::vector<const Diagnostic*>& diagnostics,
                                      std::string_view working_directory);

/// The 128-bit FNV-1a hash of `bytes` as 32 lowercase hex digits. Not
/// cryptographic: it only has to spread distinct keys apart.
std::string Fnv1a128Hex(std::string_view bytes);

}  // namespace postvet::report
