// Suppressions: own-line comment directives that silence findings. Postfix
// has whole-line comments only (a '#' after a value is part of the value),
// so directives are comment lines of their own:
//
//   # postvet: disable=PV203,PV205 -- reason   the next logical line
//   # postvet: disable-file=PV301              the whole file
//   # postvet: disable=PV102 ... # postvet: enable=PV102   a range
//   # postvet: expect-change=smtp/inet        acknowledges a risky change (postvet diff)
//
// A `disable` whose ID is enabled again further down covers the lines up to
// that `enable`; otherwise it covers the next logical line, its
// continuation lines included. IDs may be rule IDs or slugs. The engine asks
// Suppresses() for every finding and reports the directives that silenced
// nothing (PV004).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "grammar/cst.hpp"

namespace postvet {

struct SuppressionDirective {
  /// kExpectChange: `# postvet: expect-change=SUBJECT[,...]`, an acknowledgement
  /// read by `postvet diff`; it suppresses no finding.
  enum class Kind : uint8_t { kDisable, kDisableFile, kEnable, kExpectChange, kMalformed };
  Kind kind = Kind::kMalformed;
  uint32_t line_begin = 0;  // the comment line, LF included
  uint32_t line_end = 0;
  uint32_t ids_begin = 0;   // the ID list as written
  uint32_t ids_end = 0;
  std::vector<std::string_view> ids;   // into the source
  std::vector<uint32_t> id_begins;     // offset of each ID
  // Scope covered by each ID of a disable / disable-file (parallel to ids).
  std::vector<uint32_t> scope_begin;
  std::vector<uint32_t> scope_end;
  std::vector<bool> used;              // parallel to ids
  std::string problem;                 // for kMalformed
};

/// The directives of one file.
class Suppressions {
 public:
  /// Finds every directive among the top-level comment lines of `cst`.
  explicit Suppressions(const Cst& cst);

  /// True when a directive covers `offset` for the rule `id` / `slug`; marks
  /// that directive's ID as used.
  bool Suppresses(std::string_view id, std::string_view slug, uint32_t offset);

  std::vector<SuppressionDirective>& directives() { return directives_; }
  const std::vector<SuppressionDirective>& directives() const { return directives_; }

 private:
  std::vector<SuppressionDirective> directives_;
};

/// Parses one comment line (`offset` = its position in the file). Returns
/// false when it is an ordinary comment; otherwise fills `out`, with kind
/// kMalformed and `problem` set when it starts with "postvet:" but is not a
/// valid directive.
bool ParseDirective(std::string_view comment, uint32_t offset, SuppressionDirective* out);

}  // namespace postvet
